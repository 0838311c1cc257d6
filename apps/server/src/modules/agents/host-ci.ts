import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { HostInventoryData } from '@yunwei/contracts/agents';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { checkAttributes, checkCiFields } from '../cmdb/attributes.js';
import { CiService } from '../cmdb/ci.service.js';
import { CmdbRepository, type CiRow } from '../cmdb/cmdb.repository.js';
import { ciView, classDef } from '../cmdb/cmdb.shared.js';
import { AGENT_HOST_DESCRIPTION } from '@yunwei/contracts/seeded-texts';

/** Agents report for CIs of this built-in class. */
export const HOST_CLASS = 'server';

/** What the CI shows of a host (the rest of the inventory stays in the agents module). */
export interface HostFacts {
  hostname: string;
  ip: string;
  attributes: Record<string, unknown>;
}

const GIB = 1024 ** 3;

/** The server-class attributes derived from an inventory (only those the machine revealed). */
export function hostFacts(inv: HostInventoryData, fallbackIp: string): HostFacts {
  const os = [inv.os.distro, inv.os.release].filter(Boolean).join(' ').trim();
  const attributes: Record<string, unknown> = {
    vendor: inv.hardware.manufacturer,
    model: inv.hardware.model,
    serial_number: inv.hardware.serial,
    cpu_cores: inv.cpu.cores || undefined,
    memory_gb: inv.memory.totalBytes ? Math.round((inv.memory.totalBytes / GIB) * 10) / 10 : undefined,
    // The class has no kernel attribute: the kernel goes with the OS (the full inventory keeps it apart).
    os: [os || inv.os.platform, inv.os.kernel ? `(kernel ${inv.os.kernel})` : ''].filter(Boolean).join(' '),
  };
  const ip = inv.nics.flatMap((n) => (n.virtual ? [] : n.ip4)).find((a) => a && !a.startsWith('127.')) ?? fallbackIp;
  return { hostname: inv.os.hostname, ip, attributes };
}

/** Hostname and IP as the CI accepts them ('' when the agent's value is not valid there). */
function ciFields(facts: Pick<HostFacts, 'hostname' | 'ip'>): { hostname: string; ip: string } {
  const draft = { name: 'x', subtype: null, status: 'active', ip: facts.ip.trim(), hostname: facts.hostname.trim(), description: '' };
  const problems = new Set(checkCiFields({ subtypes: [] }, draft).map((p) => p.field));
  return { hostname: problems.has('hostname') ? '' : draft.hostname, ip: problems.has('ip') ? '' : draft.ip };
}

/**
 * The host CIs agents create and keep up to date. Everything runs inside the caller's transaction
 * and is audited as the agent.
 */
export class HostCis {
  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {}

  /**
   * The host CI of a machine: the one it reported for before (if it still exists), else a server CI
   * with this hostname or name, else a new one in `orgUnitId` (the enrolment token's unit). A CI found
   * keeps its unit: enrolling never moves a host between units.
   */
  async findOrCreate(trx: Kysely<Database>, actor: Actor, hostname: string, ip: string, previousCiId: string | null, orgUnitId: string | null): Promise<{ ciId: string; created: boolean }> {
    const repo = new CmdbRepository(trx);
    const cls = await repo.findClassByCode(HOST_CLASS);
    if (!cls) {
      throw new Error(`built-in CI class ${HOST_CLASS} missing`);
    }
    if (previousCiId && (await trx.selectFrom('cmdb_ci').select('id').where('id', '=', previousCiId).executeTakeFirst())) {
      return { ciId: previousCiId, created: false };
    }
    const name = hostname.trim().slice(0, 128);
    const existing = await trx
      .selectFrom('cmdb_ci')
      .select('id')
      .where('class_id', '=', cls.id)
      .where((eb) => eb.or([eb('name', '=', name), eb('hostname', '=', name)]))
      .orderBy('created_at')
      .executeTakeFirst();
    if (existing) {
      return { ciId: existing.id, created: false };
    }
    const now = Date.now();
    const fields = ciFields({ hostname: name, ip });
    const view = await new CiService(this.ctx).insert(
      trx,
      actor,
      {
        id: uuidv7(),
        class_id: cls.id,
        subtype: null,
        name,
        status: 'active',
        ...fields,
        owner_id: null,
        org_unit_id: orgUnitId,
        attributes: toJson({}),
        description: AGENT_HOST_DESCRIPTION.zh,
        created_at: now,
        updated_at: now,
      },
      { source: 'agent' },
    );
    return { ciId: view.id, created: true };
  }

  /** Brings the CI's hostname, IP and attributes in line with the inventory; true when it changed. */
  async apply(trx: Kysely<Database>, actor: Actor, ciId: string, facts: HostFacts): Promise<boolean> {
    const repo = new CmdbRepository(trx);
    const before = await repo.findCi(ciId);
    if (!before) {
      return false;
    }
    const cls = await repo.findClass(before.class_id);
    const { values } = checkAttributes(cls ? classDef(cls).attributes : [], facts.attributes);
    // Attributes people maintain (location, purchase date…) are kept; what the machine reports wins.
    const attributes = { ...fromJson<Record<string, unknown>>(before.attributes), ...values };
    const fields = ciFields(facts);
    const patch = {
      hostname: fields.hostname || before.hostname,
      ip: fields.ip || before.ip,
      attributes: toJson(attributes),
    };
    if (patch.hostname === before.hostname && patch.ip === before.ip && sameJson(attributes, fromJson(before.attributes))) {
      return false;
    }
    await repo.updateCi(trx, ciId, { ...patch, updated_at: Date.now() });
    const after = (await repo.findCi(ciId)) as CiRow;
    await this.ctx.audit.record(trx, { actor, action: 'cmdb.ci.update', targetType: 'cmdb_ci', targetId: ciId, before: ciView(before), after: { ...ciView(after), source: 'agent' } });
    return true;
  }
}

function sameJson(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) {
      return false;
    }
  }
  return true;
}
