import dns from 'node:dns';
import net, { BlockList, type LookupFunction } from 'node:net';
import type { Config } from '../../config/config.js';

/**
 * Where the server may connect on its users' behalf. Checks, notification channels and scrapes reach
 * addresses an editor typed in: without a policy they reach the server's own loopback services and the
 * cloud metadata endpoint (169.254.169.254) too. The policy is enforced on the resolved address at
 * connect time (every address a name resolves to), so a name that resolves to 127.0.0.1 is caught and
 * a DNS answer cannot change between the check and the connection.
 */
export type OutboundPurpose = 'channel' | 'check' | 'scrape';

export interface OutboundRules {
  /** CIDR list; when non-empty only these networks may be reached. */
  allow: string;
  /** CIDR list never reached (wins over `allow`). */
  deny: string;
  /** Notification channels may reach loopback and link-local addresses (refused by default). */
  channelLocal: boolean;
}

/** Parses `10.0.0.0/8, 192.168.1.5 ::1/128` (commas or spaces); throws naming the bad entry. */
export function parseNetworks(list: string): BlockList {
  const block = new BlockList();
  for (const entry of list.split(/[\s,]+/).filter(Boolean)) {
    const [address, prefixText] = entry.split('/') as [string, string | undefined];
    const family = net.isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!family || !/^\d*$/.test(prefixText ?? '') || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`"${entry}" is not an IP address or CIDR network`);
    }
    block.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return block;
}

/** Loopback, link-local and "this host" (0.0.0.0 / :: connect to the local host), IPv4-mapped forms included. */
const LOCAL = parseNetworks('127.0.0.0/8 0.0.0.0/8 169.254.0.0/16 ::1/128 ::/128 fe80::/10');
const LOCAL_KIND = [
  ['127.0.0.0/8 ::1/128 0.0.0.0/8 ::/128', 'loopback'],
  ['169.254.0.0/16 fe80::/10', 'link-local'],
].map(([list, kind]) => [parseNetworks(list!), kind] as const);

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return net.isIPv6(address) ? 'ipv6' : 'ipv4';
}

/** A connection the policy refused: its message is what a check result or the delivery log shows (zh and en). */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
  readonly code = 'EOUTBOUND_REFUSED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`出站网络策略拒绝连接 / refused by the outbound network policy: ${host === address ? address : `${host} → ${address}`} ${reason}`);
  }
}

/** The rules of one purpose, with the resolution helpers the connecting code uses. */
export class OutboundGuard {
  constructor(
    private readonly policy: OutboundPolicy,
    readonly purpose: OutboundPurpose,
  ) {}

  /** Why `address` (an IP) may not be reached, or null. */
  refusal(address: string): string | null {
    return this.policy.refusal(address, this.purpose);
  }

  /** Throws OutboundRefusedError when the IP `address` (reached as `host`) is refused. */
  vet(address: string, host = address): void {
    const reason = this.refusal(address);
    if (reason) {
      throw new OutboundRefusedError(host, address, reason);
    }
  }

  /** When `host` is an IP literal (`[::1]` too), vets it: connections to one skip `lookup`. */
  vetLiteral(host: string): void {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(bare)) {
      this.vet(bare, host);
    }
  }

  /**
   * Resolves `host` (a name or an IP) and checks every address it resolves to; answers the first.
   * Connect to that address (not the name again), so the checked address is the one reached.
   */
  async resolve(host: string): Promise<{ address: string; family: 4 | 6 }> {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(bare)) {
      this.vet(bare, host);
      return { address: bare, family: net.isIPv6(bare) ? 6 : 4 };
    }
    const addresses = await dns.promises.lookup(bare, { all: true, verbatim: true });
    for (const a of addresses) {
      this.vet(a.address, host);
    }
    const first = addresses[0];
    if (!first) {
      throw Object.assign(new Error(`${host}: no address`), { code: 'ENOTFOUND' });
    }
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  /**
   * A `lookup` for net / tls / http(s) connections: resolves as dns.lookup does and refuses when any
   * address is refused. Connections to an IP literal skip `lookup`: vet those with `vet` first.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 4);
        return;
      }
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const reason = this.refusal(a.address);
        if (reason) {
          callback(new OutboundRefusedError(hostname, a.address, reason), '', 4);
          return;
        }
      }
      if (options.all) {
        (callback as unknown as (e: null, all: dns.LookupAddress[]) => void)(null, list);
      } else if (list[0]) {
        callback(null, list[0].address, list[0].family);
      } else {
        callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '', 4);
      }
    });
  };
}

/** The configured policy (YUNWEI_OUTBOUND_ALLOW, YUNWEI_OUTBOUND_DENY, YUNWEI_NOTIFY_ALLOW_LOCAL). */
export class OutboundPolicy {
  readonly #allow: BlockList | null;
  readonly #deny: BlockList;
  readonly #channelLocal: boolean;

  constructor(rules: OutboundRules) {
    this.#allow = rules.allow.trim() ? parseNetworks(rules.allow) : null;
    this.#deny = parseNetworks(rules.deny);
    this.#channelLocal = rules.channelLocal;
  }

  refusal(address: string, purpose: OutboundPurpose): string | null {
    const family = familyOf(address);
    if (this.#deny.check(address, family)) {
      return 'is in a denied network (YUNWEI_OUTBOUND_DENY)';
    }
    if (this.#allow && !this.#allow.check(address, family)) {
      return 'is not in an allowed network (YUNWEI_OUTBOUND_ALLOW)';
    }
    if (purpose === 'channel' && !this.#channelLocal && LOCAL.check(address, family)) {
      const kind = LOCAL_KIND.find(([list]) => list.check(address, family))?.[1] ?? 'local';
      return `is a ${kind} address: notification channels may not reach it (YUNWEI_NOTIFY_ALLOW_LOCAL)`;
    }
    return null;
  }

  guard(purpose: OutboundPurpose): OutboundGuard {
    return new OutboundGuard(this, purpose);
  }
}

const policies = new WeakMap<object, OutboundPolicy>();

/** The policy of a configuration (built once per configuration object). */
export function outboundPolicyOf(config: Pick<Config, 'outboundAllow' | 'outboundDeny' | 'notifyAllowLocal'>): OutboundPolicy {
  let policy = policies.get(config);
  if (!policy) {
    policy = new OutboundPolicy({ allow: config.outboundAllow ?? '', deny: config.outboundDeny ?? '', channelLocal: config.notifyAllowLocal ?? false });
    policies.set(config, policy);
  }
  return policy;
}

/** For code and tests without a configuration: nothing denied, channels keep the local refusal. */
export const DEFAULT_OUTBOUND = new OutboundPolicy({ allow: '', deny: '', channelLocal: false });
