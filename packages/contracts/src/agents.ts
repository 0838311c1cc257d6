import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';

/**
 * Host agents (`yunwei-agent`): one-time enrolment tokens, the agents enrolled with them, and what
 * an agent pushes (host metrics, inventory). Agent-side routes (`/api/agent/*`) authenticate with
 * `Authorization: Bearer <credential>`; the credential is returned once, at enrolment.
 */
export const AGENTS_PERMISSIONS = {
  agentRead: 'agents.agent.read',
  agentWrite: 'agents.agent.write',
  tokenWrite: 'agents.token.write',
} as const satisfies Record<string, PermissionId>;

/** Prefixes of the two secrets (recognisable in logs and leaked-secret scanners). */
export const ENROLMENT_TOKEN_PREFIX = 'ywe_';
export const AGENT_CREDENTIAL_PREFIX = 'ywa_';

/** Host metrics an agent may push: every name starts with this. */
export const HOST_METRIC_PREFIX = 'host_';

export const AGENT_LIMITS = {
  samplesPerPush: 50_000,
  packages: 50_000,
  listItems: 10_000,
} as const;

// ---------------------------------------------------------------- enrolment tokens (people)

export const ENROLMENT_TOKEN_STATES = ['active', 'used', 'expired', 'revoked'] as const;
export type EnrolmentTokenState = (typeof ENROLMENT_TOKEN_STATES)[number];

export const EnrolmentToken = Type.Object({
  id: Id,
  name: Type.String(),
  /** The first characters of the secret, to recognise it. */
  prefix: Type.String(),
  state: Type.Enum(ENROLMENT_TOKEN_STATES),
  expiresAt: Epoch,
  usedAt: Type.Union([Epoch, Type.Null()]),
  /** The agent enrolled with it. */
  agentId: Type.Union([Id, Type.Null()]),
  /** The org unit the new host CI is created in (null: none); only people whose scope reaches it see the token. */
  orgUnitId: Type.Union([Id, Type.Null()]),
  orgUnitName: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Epoch,
});
export type EnrolmentToken = Static<typeof EnrolmentToken>;
export const EnrolmentTokenList = Type.Object({ items: Type.Array(EnrolmentToken) });
export type EnrolmentTokenList = Static<typeof EnrolmentTokenList>;

export const EnrolmentTokenCreate = Type.Object(
  {
    name: Name(64),
    /** Hours until it expires (default 24). */
    expiresInHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
    /**
     * Where the host CI it enrols is created. Default: your own org unit when your scope reaches it;
     * null (no unit) needs an unrestricted grant.
     */
    orgUnitId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type EnrolmentTokenCreate = Static<typeof EnrolmentTokenCreate>;
/**
 * The secret is in this response only; it is stored hashed. `serverUrl`: the address hosts reach Yunwei at
 * (YUNWEI_PUBLIC_URL) for the install command; null when it is not configured (the page uses its own address).
 */
export const EnrolmentTokenCreated = Type.Object({ token: EnrolmentToken, secret: Type.String(), serverUrl: Type.Union([Type.String(), Type.Null()]) });
export type EnrolmentTokenCreated = Static<typeof EnrolmentTokenCreated>;

// ---------------------------------------------------------------- agents (people)

export const AGENT_STATUSES = ['online', 'offline', 'revoked'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const Agent = Type.Object({
  id: Id,
  hostname: Type.String(),
  machineId: Type.String(),
  /** The host CI (class `server`) it reports for. */
  ciId: Type.Union([Id, Type.Null()]),
  ciName: Type.Union([Type.String(), Type.Null()]),
  /** The host CI's org unit: it decides who sees the agent. */
  orgUnitId: Type.Union([Id, Type.Null()]),
  orgUnitName: Type.Union([Type.String(), Type.Null()]),
  version: Type.String(),
  os: Type.String(),
  ip: Type.String(),
  intervalSeconds: Type.Integer(),
  status: Type.Enum(AGENT_STATUSES),
  enrolledAt: Epoch,
  lastContactAt: Type.Union([Epoch, Type.Null()]),
  lastInventoryAt: Type.Union([Epoch, Type.Null()]),
  revokedAt: Type.Union([Epoch, Type.Null()]),
  /** Whether the agent's local policy allows remote execution (`--allow-remote-exec`); null: it never said (older agent). */
  remoteExec: Type.Union([Type.Boolean(), Type.Null()]),
});
export type Agent = Static<typeof Agent>;
export const AgentList = Type.Object({ items: Type.Array(Agent) });
export type AgentList = Static<typeof AgentList>;

// ---------------------------------------------------------------- agent side

const Text = (max = 256) => Type.String({ maxLength: max });

export const AgentEnroll = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    hostname: Type.String({ minLength: 1, maxLength: 253 }),
    /** /etc/machine-id or the platform's equivalent: identifies the host across re-enrolments. */
    machineId: Type.String({ minLength: 1, maxLength: 128 }),
    version: Type.String({ minLength: 1, maxLength: 40 }),
    os: Type.Optional(Text(200)),
    ip: Type.Optional(Text(64)),
    intervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
  },
  { additionalProperties: false },
);
export type AgentEnroll = Static<typeof AgentEnroll>;
/** `commandKey`: the server's Ed25519 public key (SPKI DER, base64) the agent pins to verify commands. */
export const AgentEnrolled = Type.Object({ agentId: Id, ciId: Id, credential: Type.String(), commandKey: Type.Optional(Type.String()) });
export type AgentEnrolled = Static<typeof AgentEnrolled>;

export const AgentSample = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: 200 }),
    labels: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1024 }), { maxProperties: 30 })),
    /** Epoch milliseconds when the agent measured it (buffered samples keep their time). */
    ts: Epoch,
    value: Type.Number(),
  },
  { additionalProperties: false },
);
export type AgentSample = Static<typeof AgentSample>;

export const AgentMetrics = Type.Object(
  {
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    intervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    /** The agent's local policy: does it run remote commands? */
    remoteExec: Type.Optional(Type.Boolean()),
    samples: Type.Array(AgentSample, { maxItems: AGENT_LIMITS.samplesPerPush }),
  },
  { additionalProperties: false },
);
export type AgentMetrics = Static<typeof AgentMetrics>;
export const AgentMetricsResult = Type.Object({ accepted: Type.Integer() });

const List = <T extends Type.TSchema>(item: T, max: number = AGENT_LIMITS.listItems) => Type.Array(item, { maxItems: max });
const Int = Type.Integer({ minimum: 0 });
const Num = Type.Number({ minimum: 0 });

export const HostInventoryData = Type.Object(
  {
    os: Type.Object({ platform: Text(), distro: Text(), release: Text(), codename: Text(), kernel: Text(), arch: Text(), hostname: Text() }, { additionalProperties: false }),
    hardware: Type.Object({ manufacturer: Text(), model: Text(), serial: Text(), uuid: Text(), virtual: Type.Boolean() }, { additionalProperties: false }),
    cpu: Type.Object({ manufacturer: Text(), brand: Text(), cores: Int, physicalCores: Int, sockets: Int, speedGHz: Num }, { additionalProperties: false }),
    memory: Type.Object({ totalBytes: Num, swapBytes: Num }, { additionalProperties: false }),
    disks: List(Type.Object({ device: Text(), type: Text(), name: Text(), vendor: Text(), sizeBytes: Num, serial: Text(), interfaceType: Text(), smartStatus: Text() }, { additionalProperties: false }), 1000),
    filesystems: List(Type.Object({ mount: Text(1024), fstype: Text(), device: Text(1024), sizeBytes: Num }, { additionalProperties: false }), 1000),
    nics: List(Type.Object({ iface: Text(), mac: Text(), ip4: List(Text(64), 100), ip6: List(Text(64), 100), speedMbps: Type.Union([Num, Type.Null()]), virtual: Type.Boolean() }, { additionalProperties: false }), 1000),
    packages: List(Type.Object({ name: Text(), version: Text(), arch: Text() }, { additionalProperties: false }), AGENT_LIMITS.packages),
    ports: List(Type.Object({ protocol: Text(16), address: Text(64), port: Type.Integer({ minimum: 0, maximum: 65535 }) }, { additionalProperties: false })),
    accounts: List(Type.Object({ name: Text(), uid: Int, gid: Int, home: Text(1024), shell: Text(1024), login: Type.Boolean() }, { additionalProperties: false })),
    services: List(Type.Object({ name: Text(), state: Text(64), enabled: Text(64) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type HostInventoryData = Static<typeof HostInventoryData>;

export const AgentInventory = Type.Object(
  {
    /** When the agent collected it (epoch ms). */
    collectedAt: Epoch,
    inventory: HostInventoryData,
  },
  { additionalProperties: false },
);
export type AgentInventory = Static<typeof AgentInventory>;
export const AgentInventoryResult = Type.Object({ ciId: Id, ciChanged: Type.Boolean() });

/** The latest inventory of a host CI (`GET /api/agents/inventory/:ciId`). */
export const HostInventory = Type.Object({
  ciId: Id,
  agentId: Id,
  collectedAt: Epoch,
  receivedAt: Epoch,
  /** sha-256 of the canonical inventory: changes only when something in it changed. */
  hash: Type.String(),
  inventory: HostInventoryData,
});
export type HostInventory = Static<typeof HostInventory>;
export const CiIdParams = Type.Object({ ciId: Id }, { additionalProperties: false });
/** A file of the agent's downloads (`/agent/yunwei-agent.mjs`, `/agent/yunwei-agent-linux-x64`). */
export const AgentFileParams = Type.Object({ file: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }) }, { additionalProperties: false });
