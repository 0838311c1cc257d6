import type { ImportReport } from '@yunwei/contracts/cmdb';
import { ApiError, buildUrl } from '../../../app/api-client';
import i18n, { currentLanguage } from '../../../app/i18n';

export type UploadPhase = 'uploading' | 'processing';

const CONTENT_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

/**
 * Sends the file as the raw request body (the server's import takes XLSX or CSV bytes, not a
 * multipart form). XMLHttpRequest rather than fetch: only it reports upload progress.
 */
export function uploadImport(
  file: File,
  classId: string,
  csrfToken: string | undefined,
  onProgress: (phase: UploadPhase, percent: number) => void,
): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl('/api/cmdb/import', { classId, filename: file.name }));
    const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
    xhr.setRequestHeader('Content-Type', CONTENT_TYPES[extension] ?? 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLanguage());
    if (csrfToken) {
      xhr.setRequestHeader('x-csrf-token', csrfToken);
    }
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        onProgress('uploading', Math.round((event.loaded / event.total) * 100));
      }
    };
    // Upload finished: the server now checks and writes every row.
    xhr.upload.onload = () => onProgress('processing', 100);
    xhr.onerror = () => reject(new ApiError(0, 'YW_NETWORK', i18n.t('error.network')));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as ImportReport);
        return;
      }
      const error = body as { code?: string; message?: string; details?: ApiError['details'] } | undefined;
      reject(
        error?.code && error.message
          ? new ApiError(xhr.status, error.code, error.message, error.details)
          : new ApiError(xhr.status, `HTTP_${xhr.status}`, i18n.t('error.http', { status: xhr.status })),
      );
    };
    xhr.send(file);
  });
}
