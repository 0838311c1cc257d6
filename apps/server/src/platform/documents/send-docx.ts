import type { FastifyReply } from 'fastify';
import { DOCX_TYPE } from '@yunwei/contracts/documents';

/** Sends a .docx as a download; the name may be Chinese (RFC 6266 `filename*`, ASCII fallback). */
export function sendDocx(reply: FastifyReply, filename: string, body: Buffer): FastifyReply {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return reply
    .header('content-type', DOCX_TYPE)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(body);
}
