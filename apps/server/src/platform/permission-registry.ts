import type { BuiltinRoleKind, PermissionDefinition, PermissionGroup, PermissionId } from '@yunwei/contracts/access';
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
        permissions: m.permissions.map((p) => ({ id: p.id, module: m.id, name: p.name, reserved: p.reserved === true })),
      }));
  }
}
