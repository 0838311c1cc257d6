import type { FastifyReply } from 'fastify';
import type { DocumentFile } from './render.js';

/** Sends a document as a download; the name may be Chinese (RFC 6266 `filename*`, ASCII fallback). */
export function sendDocument(reply: FastifyReply, file: DocumentFile): FastifyReply {
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .send(file.body);
}
