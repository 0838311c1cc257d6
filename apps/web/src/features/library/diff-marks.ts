/**
 * Where two versions of a changed block differ, as the common start, the differing middles and the
 * common end ("重启 nginx 服务" → "重启 nginx 与 php-fpm 服务": the middles are "" and "与 php-fpm ").
 * Enough to point the eye at an edit inside a paragraph; the rows themselves come from the server.
 */
export interface ChangedParts {
  prefix: string;
  left: string;
  right: string;
  suffix: string;
}

export function changedParts(left: string, right: string): ChangedParts {
  const a = [...left];
  const b = [...right];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    start += 1;
  }
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) {
    end += 1;
  }
  return {
    prefix: a.slice(0, start).join(''),
    left: a.slice(start, a.length - end).join(''),
    right: b.slice(start, b.length - end).join(''),
    suffix: a.slice(a.length - end).join(''),
  };
}
