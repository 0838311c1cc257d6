import type { FormInstance } from 'antd';
import { applyServerErrors } from '../../shared/form-errors';

type Path = (string | number)[];

/** `applyServerErrors` with `mapPath` turning an API path into the form's (forms laid out differently from the body). */
export function applyListFormErrors(form: FormInstance, error: unknown, mapPath: (path: Path) => Path = (p) => p): void {
  const mapped: Pick<FormInstance, 'setFields'> = {
    setFields: (fields) =>
      form.setFields(fields.map((f) => ({ ...f, name: Array.isArray(f.name) ? mapPath(f.name as Path) : f.name }))),
  };
  applyServerErrors(mapped as FormInstance, error);
}
