import ExcelJS from 'exceljs';
import { PassThrough, type Readable } from 'node:stream';
import type { AuditEntry, AuditExportQuery, AuditQuery, AuditVerifyResult } from '@yunwei/contracts/audit';
import type { PageOf } from '@yunwei/contracts/common';
import { XLSX_TYPE } from '@yunwei/contracts/documents';
import { pickText } from '@yunwei/contracts/i18n';
import type { Actor } from '../../platform/actor.js';
import { systemActor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { PolicyService } from '../identity/policy.service.js';
import { AuditRepository, type AuditRow } from './audit.repository.js';

function entryView(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    ts: row.ts,
    actorId: row.actor_id,
    actorName: row.actor_name,
    ip: row.ip,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    before: JSON.parse(row.before) as unknown,
    after: JSON.parse(row.after) as unknown,
    hash: row.hash,
  };
}

const COLUMNS = ['id', 'time', 'actor', 'ip', 'action', 'target_type', 'target_id', 'outcome', 'before', 'after', 'hash'] as const;

function exportRow(row: AuditRow): (string | number)[] {
  return [row.id, new Date(row.ts).toISOString(), row.actor_name, row.ip, row.action, row.target_type, row.target_id ?? '', row.outcome, row.before, row.after, row.hash];
}

function csvCell(value: string | number): string {
  const text = String(value);
  // Leading = + - @ would run as formulas in Excel: quote them (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Searching, exporting and verifying the audit trail, and its retention. */
export class AuditService {
  private readonly repo: AuditRepository;
  private readonly policy: PolicyService;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new AuditRepository(ctx.db);
    this.policy = new PolicyService(ctx);
  }

  async search(query: AuditQuery): Promise<PageOf<AuditEntry>> {
    const { rows, total } = await this.repo.search(query);
    return { items: rows.map(entryView), total };
  }

  /** A CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX stream; the export itself is audited. */
  async export(actor: Actor, query: AuditExportQuery): Promise<{ stream: Readable; contentType: string; filename: string }> {
    const { format, ...filters } = query;
    await this.ctx.audit.recordNow({ actor, action: 'audit.log.export', targetType: 'audit_log', after: { format, filters } });
    const stamp = new Date().toISOString().slice(0, 10);
    const out = new PassThrough();
    if (format === 'csv') {
      void (async () => {
        out.write('\uFEFF' + COLUMNS.join(',') + '\n');
        for await (const rows of this.repo.scan(filters)) {
          out.write(rows.map((r) => exportRow(r).map(csvCell).join(',')).join('\n') + '\n');
        }
        out.end();
      })().catch((error: unknown) => out.destroy(error as Error));
      return { stream: out, contentType: 'text/csv; charset=utf-8', filename: `audit-${stamp}.csv` };
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const sheet = workbook.addWorksheet('审计日志 Audit');
    sheet.columns = COLUMNS.map((key) => ({ header: key, key, width: key === 'before' || key === 'after' ? 60 : 20 }));
    void (async () => {
      for await (const rows of this.repo.scan(filters)) {
        for (const r of rows) {
          sheet.addRow(exportRow(r)).commit();
        }
      }
      sheet.commit();
      await workbook.commit();
    })().catch((error: unknown) => out.destroy(error as Error));
    return { stream: out, contentType: XLSX_TYPE, filename: `audit-${stamp}.xlsx` };
  }

  async verify(actor: Actor): Promise<AuditVerifyResult> {
    const { reasonText, ...result } = await this.ctx.audit.verify();
    await this.ctx.audit.recordNow({ actor, action: 'audit.log.verify', targetType: 'audit_log', outcome: result.ok ? 'success' : 'failure', after: result });
    // The reason is read by the person who asked, in their language (the audit entry keeps the English).
    return { ...result, reason: reasonText ? pickText(reasonText, actor.locale) : null, verifiedAt: Date.now() };
  }

  /**
   * Deletes entries older than the retention (never under 180 days) and moves the chain's anchor to
   * the last deleted entry, so verification still starts from a known hash. A broken chain is not
   * purged: that would delete the evidence of what was tampered with.
   */
  async purgeExpired(now = Date.now()): Promise<number> {
    const days = Math.max(180, (await this.policy.get()).auditRetentionDays);
    const cutoff = now - days * 86_400_000;
    const last = await this.repo.lastBefore(cutoff);
    if (!last) {
      return 0;
    }
    const chain = await this.ctx.audit.verify();
    if (!chain.ok) {
      throw new Error(`audit retention skipped: the chain is broken at #${chain.brokenAt ?? '?'} (${chain.reason ?? ''})`);
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      const count = await this.ctx.audit.purgeThrough(trx, last);
      await this.ctx.audit.record(trx, { actor: systemActor('retention'), action: 'audit.log.purge', targetType: 'audit_log', after: { deleted: count, upToId: last.id, retentionDays: days } });
      return count;
    });
  }
}
