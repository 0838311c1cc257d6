import type { RuleTarget } from '@yunwei/contracts/alerting';
import type { ModuleContext } from '../../platform/module.js';
import { HOST_CLASS } from '../agents/host-ci.js';
import { walkDependencies } from '../cmdb/impact-analysis.js';
import { ImpactService } from '../cmdb/impact.service.js';

const TTL_MS = 60_000;

/**
 * The CIs a rule's target covers, looked up at evaluation time (so a new host inherits its class's
 * rules) and cached for a minute. null: every series, CI or not.
 */
export class TargetResolver {
  readonly #cache = new Map<string, { at: number; cis: Set<string> }>();

  constructor(private readonly ctx: Pick<ModuleContext, 'db'>) {}

  invalidate(): void {
    this.#cache.clear();
  }

  async cisOf(target: RuleTarget, now: number): Promise<Set<string> | null> {
    if (target.kind === 'all') {
      return null;
    }
    if (target.kind === 'ci') {
      return new Set([target.ciId]);
    }
    const key = target.kind === 'class' ? `class:${target.classId}` : target.kind === 'hosts' ? 'hosts' : `business:${target.ciId}`;
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < TTL_MS) {
      return hit.cis;
    }
    const cis = target.kind === 'class' ? await this.#ofClass(target.classId) : target.kind === 'hosts' ? await this.#hosts() : await this.#ofBusiness(target.ciId);
    this.#cache.set(key, { at: now, cis });
    return cis;
  }

  async #ofClass(classId: string): Promise<Set<string>> {
    return new Set((await this.ctx.db.selectFrom('cmdb_ci').select('id').where('class_id', '=', classId).execute()).map((r) => r.id));
  }

  /**
   * Hosts: the CIs of the built-in class `server`, and every CI an agent (not revoked) reports for,
   * whatever its class (a VM, a database server): host metrics come from agents.
   */
  async #hosts(): Promise<Set<string>> {
    const servers = await this.ctx.db.selectFrom('cmdb_ci as ci').innerJoin('cmdb_class as c', 'c.id', 'ci.class_id').select('ci.id').where('c.code', '=', HOST_CLASS).execute();
    const agents = await this.ctx.db.selectFrom('agent').select('ci_id').where('revoked_at', 'is', null).where('ci_id', 'is not', null).execute();
    return new Set([...servers.map((r) => r.id), ...agents.map((r) => r.ci_id!)]);
  }

  /** A business system covers itself and every CI it depends on (the CMDB dependency walk). */
  async #ofBusiness(ciId: string): Promise<Set<string>> {
    const graph = await new ImpactService(this.ctx).graph();
    const walk = walkDependencies(graph, ciId, { includeAll: true });
    return new Set([ciId, ...walk.dependencies.filter((d) => d.kind === 'ci').map((d) => d.id)]);
  }
}
