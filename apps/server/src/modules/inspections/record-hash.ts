import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from '../../platform/audit/audit-hash.js';
import type { InspectionRecordTable, InspectionResultTable } from './inspections.tables.js';

export { GENESIS_HASH };

const n = (v: number | null) => (v === null ? null : Number(v));

/**
 * What a signature covers: every field of the record and of its results as stored (numbers
 * normalised: PostgreSQL and SQLite return the same canonical text), the photo's SHA-256, and the
 * hash of the record signed before it (the chain).
 */
export function recordContent(record: InspectionRecordTable, results: readonly InspectionResultTable[], prevHash: string): unknown {
  return {
    id: record.id,
    templateId: record.template_id,
    templateName: record.template_name,
    templateVersion: Number(record.template_version),
    items: record.items,
    scheduleId: record.schedule_id,
    scheduleName: record.schedule_name,
    dueAt: n(record.due_at),
    trigger: record.trigger,
    startedBy: record.started_by,
    startedByName: record.started_by_name,
    responsibleRole: record.responsible_role,
    createdAt: Number(record.created_at),
    conclusion: record.conclusion,
    signedBy: record.signed_by,
    signedByName: record.signed_by_name,
    signedAt: n(record.signed_at),
    signSeq: n(record.sign_seq),
    prevHash,
    results: [...results]
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((r) => ({
        id: r.id,
        position: Number(r.position),
        ciId: r.ci_id,
        ciName: r.ci_name,
        itemKey: r.item_key,
        itemName: r.item_name,
        kind: r.kind,
        value: n(r.value),
        unit: r.unit,
        detail: r.detail,
        limit: r.limit_text,
        verdict: r.verdict,
        note: r.note,
        photoSha256: r.photo_sha256,
        filledBy: r.filled_by,
        filledAt: n(r.filled_at),
      })),
  };
}

export function recordHash(record: InspectionRecordTable, results: readonly InspectionResultTable[], prevHash: string): string {
  return createHash('sha256').update(canonicalJson(recordContent(record, results, prevHash))).digest('hex');
}
