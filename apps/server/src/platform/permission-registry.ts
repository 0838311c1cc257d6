import type { BuiltinRoleKind, Duty, PermissionDefinition, PermissionGroup, PermissionId } from '@yunwei/contracts/access';
import type { LocalizedText } from '@yunwei/contracts/i18n';

interface RegisteredModule {
  id: string;
  name: LocalizedText;
  permissions: readonly PermissionDefinition[];
}

/** Every permission the composed modules declare. Built once at start-up, read-only afterwards. */
export class PermissionRegistry {
  readonly #byId = new Map<string, PermissionDefinition>();
  readonly #modules: RegisteredModule[] = [];

  register(module: RegisteredModule): void {
    for (const p of module.permissions) {
      if (this.#byId.has(p.id)) {
        throw new Error(`permission ${p.id} is declared twice`);
      }
      this.#byId.set(p.id, p);
    }
    this.#modules.push(module);
  }

  has(id: string): id is PermissionId {
    return this.#byId.has(id);
  }

  get(id: string): PermissionDefinition | undefined {
    return this.#byId.get(id);
  }

  isReserved(id: string): boolean {
    return this.#byId.get(id)?.reserved === true;
  }

  /**
   * 三员分立 duty, derived from the declaration so that a new module cannot forget it:
   * - `audit`: the built-in audit administrator is the only built-in role granted it (read and
   *   export the audit trail). Declaring `grants: ['audit_admin']` is what makes a permission audit duty.
   * - `security`: reserved to the security administrator (`reserved: true`: roles, assignments, policy),
   *   or granted to the security administrator alone (e.g. resetting someone's MFA).
   * - `system`: everything else, including a permission no built-in role is granted.
   * Unknown ids count as `system`.
   */
  dutyOf(id: string): Duty {
    const p = this.#byId.get(id);
    const onlyTo = (kind: BuiltinRoleKind) => p !== undefined && p.grants.length > 0 && p.grants.every((k) => k === kind);
    if (p?.reserved || onlyTo('security_admin')) {
      return 'security';
    }
    return onlyTo('audit_admin') ? 'audit' : 'system';
  }

  /**
   * True for a system- or security-duty permission beyond read access, i.e. one that neither the
   * built-in viewer nor the built-in audit administrator holds: those two templates only look (plus
   * personal things such as their own dashboards and API tokens, and checking the audit chain).
   * With separation of duties on, nobody may hold an administrative permission together with an
   * audit-duty one. A new permission is administrative unless a module grants it to the viewer or
   * the auditor, so forgetting errs on the strict side.
   */
  isAdministrative(id: string): boolean {
    const p = this.#byId.get(id);
    return this.dutyOf(id) !== 'audit' && !(p && (p.grants.includes('viewer') || p.grants.includes('audit_admin')));
  }

  all(): PermissionDefinition[] {
    return [...this.#byId.values()];
  }

  /** The permissions a built-in role template holds, from the modules' `grants`. */
  grantedTo(kind: BuiltinRoleKind): PermissionId[] {
    return this.all()
      .filter((p) => p.grants.includes(kind))
      .map((p) => p.id);
  }

  catalogue(): PermissionGroup[] {
    return this.#modules
      .filter((m) => m.permissions.length > 0)
      .map((m) => ({
        module: m.id,
        name: m.name,
        permissions: m.permissions.map((p) => ({ id: p.id, module: m.id, name: p.name, reserved: p.reserved === true, duty: this.dutyOf(p.id), administrative: this.isAdministrative(p.id) })),
      }));
  }
}
