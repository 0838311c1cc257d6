import type { FormInstance } from 'antd';
import { ApiError } from '../app/api-client';

/** `body.username` → ['username']; `body/roles/0` → ['roles', '0']. */
export function formFieldPath(field: string): string[] {
  return field
    .replace(/^\/?(body|query|params)[./]/, '')
    .split(/[./]/)
    .filter(Boolean);
}

/**
 * Put the server's field errors on the form (details.fields, each with its message in the request's
 * language; details.field alone from an older answer takes the whole message). The global handler still
 * shows the message itself. `rename` maps API field names to form names.
 */
export function applyServerErrors(form: FormInstance, error: unknown, rename: Record<string, string> = {}): void {
  if (!(error instanceof ApiError) || !error.details) {
    return;
  }
  const byField = new Map<string, string[]>();
  const add = (field: string, text: string) => {
    const path = formFieldPath(field);
    if (path.length === 0) {
      return;
    }
    const first = path[0] as string;
    path[0] = rename[first] ?? first;
    const key = path.join('.');
    const texts = byField.get(key) ?? [];
    if (!texts.includes(text)) {
      byField.set(key, [...texts, text]);
    }
  };
  const fields = error.details.fields ?? (error.details.field ? [{ field: error.details.field, message: error.message }] : []);
  for (const item of fields) {
    add(item.field, item.message);
  }
  // Form.List items match only numeric indexes: `matchers.0.value` → ['matchers', 0, 'value'].
  form.setFields([...byField].map(([key, errors]) => ({ name: key.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)), errors })));
}
