// The topology file model per Nucleus version (zod 4): field lists and order, types, ranges, defaults and
// per-field docs. Single source for the decoder's field tables, hover/completion docs and the JSON schema.

import * as z from 'zod';
import type {
  DependsOn,
  NetworkDef,
  NucleusVersion,
  ServiceDef,
  SupportedVersion,
  Topology,
  VolumeDef,
} from './model.js';
import { compareBytes } from './order.js';

// ---------------------------------------------------------------------------------------------------------
// Field metadata

/** How the decoder reads a field (each kind maps to one serde/Rust type). */
export type FieldKind =
  | 'string'
  | 'optional-string'
  | 'string-list'
  | 'f64'
  | 'u64'
  | 'u32'
  | 'u16-list'
  | 'bool'
  | 'depends-on-list'
  | 'string-map'
  | 'nat-backend'
  | 'network-map'
  | 'volume-map'
  | 'service-map'
  | 'hooks';

/** What the engine knows about one key of a Nucleus table. */
export interface FieldMeta {
  kind: FieldKind;
  required: boolean;
  /** The TOML type as shown to users, e.g. `array of strings`. */
  type: string;
  /** The Rust type Nucleus deserializes into, e.g. `Vec<String>`. */
  rustType: string;
  /** serde's `expected …` wording for a value of the wrong type, e.g. `a sequence`, `u64`. */
  expecting: string;
  /** The default as TOML text shown to users (`1.0`, `[]`, `"native"`, `none`); absent when required. */
  default?: string;
  /** First version known to have the field (`≤0.3.8` when it predates the snapshots we read). */
  since: string;
  /** Version in which the field was removed. */
  removedIn?: string;
  /** What Nucleus does with the value (Markdown). */
  description: string;
  /** Accepted spellings of an enum. */
  variants?: readonly string[];
}

declare module 'zod' {
  interface GlobalMeta {
    /** Engine metadata of a topology field (stripped from the generated JSON schema). */
    nucleus?: FieldMeta;
  }
}

const U16_MAX = 65535;
const U32_MAX = 4294967295;
const U64_MAX = 18446744073709551615n;

/** A table of `value`s decoded into a Map in byte order of its keys, as Rust's BTreeMap iterates. */
function btreeMap<T extends z.ZodType>(value: T) {
  return z
    .record(z.string(), value)
    .transform(
      (record): Map<string, z.output<T>> =>
        new Map(Object.entries(record).sort((a, b) => compareBytes(a[0], b[0]))),
    );
}

// Value schemas. Integers accept JS numbers and bigints (the TOML reader yields bigints; a JS caller may pass
// numbers); they are range-checked like Rust's unsigned types.
const u64 = z.union([z.bigint().min(0n).max(U64_MAX), z.int().min(0)]).transform((v): bigint => BigInt(v));
const u32 = z
  .union([z.int().min(0).max(U32_MAX), z.bigint().min(0n).max(BigInt(U32_MAX))])
  .transform((v): number => Number(v));
const u16 = z
  .union([z.int().min(0).max(U16_MAX), z.bigint().min(0n).max(BigInt(U16_MAX))])
  .transform((v): number => Number(v));
/** f64: any float including NaN and ±inf; an integer literal is converted (serde's f64 visitor accepts ints). */
const f64 = z
  .union([z.custom<number>((v) => typeof v === 'number', 'expected f64'), z.bigint()])
  .transform((v): number => Number(v));
const optionalString = z
  .string()
  .optional()
  .transform((v): string | null => v ?? null);
const stringList = z.array(z.string());

/** How each kind is shown to users, the Rust type behind it and serde's `expected …` wording for it. */
const KIND_TYPES: Record<FieldKind, Pick<FieldMeta, 'type' | 'rustType' | 'expecting'>> = {
  string: { type: 'string', rustType: 'String', expecting: 'a string' },
  'optional-string': { type: 'string', rustType: 'Option<String>', expecting: 'a string' },
  'string-list': { type: 'array of strings', rustType: 'Vec<String>', expecting: 'a sequence' },
  f64: { type: 'float or integer', rustType: 'f64', expecting: 'f64' },
  u64: { type: 'integer (0 to 2^64−1)', rustType: 'u64', expecting: 'u64' },
  u32: { type: 'integer (0 to 2^32−1)', rustType: 'u32', expecting: 'u32' },
  'u16-list': { type: 'array of integers (0–65535)', rustType: 'Vec<u16>', expecting: 'a sequence' },
  bool: { type: 'boolean', rustType: 'bool', expecting: 'a boolean' },
  'depends-on-list': { type: 'array of tables', rustType: 'Vec<DependsOn>', expecting: 'a sequence' },
  'string-map': { type: 'table of strings', rustType: 'BTreeMap<String, String>', expecting: 'a map' },
  'nat-backend': { type: 'string', rustType: 'NatBackend', expecting: 'enum NatBackend' },
  'network-map': { type: 'table of tables', rustType: 'BTreeMap<String, NetworkDef>', expecting: 'a map' },
  'volume-map': { type: 'table of tables', rustType: 'BTreeMap<String, VolumeDef>', expecting: 'a map' },
  'service-map': { type: 'table of tables', rustType: 'BTreeMap<String, ServiceDef>', expecting: 'a map' },
  hooks: { type: 'table', rustType: 'Option<OciHooks>', expecting: 'struct OciHooks' },
};

/** What a field declares; its Rust type and `expecting` follow from `kind`, `required` from the default. */
type FieldSpec = Omit<FieldMeta, 'required' | 'type' | 'rustType' | 'expecting'> & { type?: string };

function field<T extends z.ZodType>(schema: T, spec: FieldSpec): T {
  const { type, rustType, expecting } = KIND_TYPES[spec.kind];
  const meta: FieldMeta = {
    kind: spec.kind,
    required: spec.default === undefined,
    type: spec.type ?? type,
    rustType,
    expecting,
    ...(spec.default !== undefined && { default: spec.default }),
    since: spec.since,
    ...(spec.removedIn !== undefined && { removedIn: spec.removedIn }),
    ...(spec.variants !== undefined && { variants: spec.variants }),
    description: spec.description,
  };
  return schema.meta({ description: meta.description, nucleus: meta });
}

function listDefault<T extends z.ZodType>(schema: z.ZodArray<T>) {
  return schema.default(() => []);
}

// ---------------------------------------------------------------------------------------------------------
// Tables

const dependsOnSchema = z.object({
  service: field(z.string(), {
    kind: 'string',
    since: '≤0.3.8',
    description:
      'Name of the service (a key of `[services]`) that must be started first. `compose validate` fails when it is not defined.',
  }),
  condition: field(z.string().default('started'), {
    kind: 'string',
    default: '"started"',
    since: '≤0.3.8',
    variants: ['started', 'healthy'],
    description:
      '`"started"`: `compose up` waits until the dependency is running. `"healthy"`: it also waits until the dependency\'s `health_check` passes (the dependency must define one, and its command must only use `[a-zA-Z0-9 -_./:@=?]`). Exact, case-sensitive spelling; anything else fails `compose validate`.',
  }),
});

const networkSchema = z.object({
  subnet: field(z.string().default('10.42.0.0/24'), {
    kind: 'string',
    default: '"10.42.0.0/24"',
    since: '≤0.3.8',
    description:
      'Declared subnet. **Never passed to containers**: every bridge service runs on `nucleus0`, `10.0.42.0/24`. 0.3.9 parses it only to check the `credential_broker` address of services that list this network first.',
  }),
  encrypted: field(z.boolean().default(false), {
    kind: 'bool',
    default: 'false',
    since: '≤0.3.8',
    description: 'Unused: Nucleus reads it and does nothing with it.',
  }),
});

const volumeSchema = z.object({
  volume_type: field(z.string().default('ephemeral'), {
    kind: 'string',
    default: '"ephemeral"',
    since: '≤0.3.8',
    variants: ['persistent', 'ephemeral'],
    description:
      '`"persistent"`: a host directory (`path`) bind-mounted into the container, created by `compose up` if missing. `"ephemeral"`: a tmpfs (root-owned, mode 0700, `size` or 64M). Exact spelling; anything else fails `compose validate`.',
  }),
  path: field(optionalString, {
    kind: 'optional-string',
    default: 'none',
    since: '≤0.3.8',
    description:
      'Host directory of a persistent volume: required for persistent volumes and forbidden for ephemeral ones. Must be absolute and, after lexical normalization, not `/` nor under /boot, /dev, /etc, /home, /proc, /root, /run, /sys, /var/log, /var/run.',
  }),
  owner: field(optionalString, {
    kind: 'optional-string',
    default: 'none',
    since: '≤0.3.8',
    description:
      '`"UID:GID"` (decimal u32s) given to a persistent volume directory with fchown. Validated for both types but ignored for ephemeral volumes (a tmpfs is always root-owned).',
  }),
  size: field(optionalString, {
    kind: 'optional-string',
    default: 'none',
    since: '≤0.3.8',
    description:
      'tmpfs size of an ephemeral volume: digits with an optional `K`/`M`/`G` suffix (default 64M). Not checked by `compose validate`; a bad value fails `compose up`. Ignored for persistent volumes.',
  }),
});

const natBackend = z.enum(['auto', 'kernel', 'userspace']);

function serviceShape() {
  return {
    rootfs: field(z.string(), {
      kind: 'string',
      since: '≤0.3.8',
      description:
        'Root filesystem of the service: a Nix store path. `compose up` runs the service in production mode, which requires it to resolve to a directory under `/nix/store`.',
    }),
    command: field(stringList, {
      kind: 'string-list',
      since: '≤0.3.8',
      description:
        'The program and its arguments (argv, no shell). An empty array passes `compose validate` but fails `compose up`.',
    }),
    memory: field(z.string(), {
      kind: 'string',
      since: '≤0.3.8',
      description:
        'Memory limit: bytes, or an integer with a `K`, `M`, `G` or `T` suffix (powers of 1024), e.g. `"512M"`. No decimals, no `B`/`iB`. Checked only when `compose up` starts the service.',
    }),
    cpus: field(f64.default(1.0), {
      kind: 'f64',
      default: '1.0',
      since: '≤0.3.8',
      description:
        'CPU cores (CFS quota = floor(cpus × 100000) µs per 100 ms). Must be finite, > 0 and ≤ 65536 when the service starts; `compose validate` does not check it. `2` and `2.0` are the same value.',
    }),
    pids: field(u64.default(512n), {
      kind: 'u64',
      default: '512',
      since: '≤0.3.8',
      description: 'Maximum number of processes; `0` means unlimited.',
    }),
    networks: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        'Names of `[networks.X]` tables. Any non-empty list puts the service on the shared bridge `nucleus0` (10.0.42.0/24) — which network, and how many, makes no difference; an empty list means no network at all. A bridge service needs `dns` to start.',
    }),
    volumes: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        'Mounts as `"VOLUME:DEST"`, `"VOLUME:DEST:ro"` or `"VOLUME:DEST:rw"`, where VOLUME is a `[volumes.X]` name (host paths are not allowed) and DEST an absolute container path outside /bin, /boot, /dev, /etc, /lib, /lib64, /nix, /proc, /run/secrets, /sbin, /sys, /usr.',
    }),
    depends_on: field(listDefault(z.array(dependsOnSchema)), {
      kind: 'depends-on-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        'Services to start first, as `[[services.X.depends_on]]` tables or `[{ service = "db", condition = "healthy" }]` (not a list of names). Decides the startup order (and the reverse shutdown order); cycles are rejected.',
    }),
    health_check: field(optionalString, {
      kind: 'optional-string',
      default: 'none',
      since: '≤0.3.8',
      description:
        'Command run as `/bin/sh -c <cmd>` inside the container every `health_interval` seconds. Required by dependents that wait for `"healthy"`; `compose up` then also runs it itself and rejects any character outside `[a-zA-Z0-9 -_./:@=?]` (no `&&`, `|`, quotes, `$`).',
    }),
    health_interval: field(u64.default(30n), {
      kind: 'u64',
      type: 'integer (seconds)',
      default: '30',
      since: '≤0.3.8',
      description:
        'Seconds between health checks. `compose up` waits max(3 × interval + 10, 20) s for a service to become healthy.',
    }),
    egress_allow: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        'IPv4 CIDRs (`"10.0.0.0/8"`) the service may reach; everything else is denied (an empty list denies all egress, DNS included). Only effective with networks. 0.3.9 validates the entries at `compose validate`, 0.3.8 only when the service starts.',
    }),
    egress_domains: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '0.3.9',
      description:
        'Exact DNS names (no wildcards) whose IPv4 addresses the service may reach, resolved when it starts.',
    }),
    egress_tcp_ports: field(listDefault(z.array(u16)), {
      kind: 'u16-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        'TCP ports allowed towards the `egress_allow` destinations. Without `egress_allow` (0.3.9: nor `egress_domains`) the list has no effect: traffic stays denied.',
    }),
    egress_udp_ports: field(listDefault(z.array(u16)), {
      kind: 'u16-list',
      default: '[]',
      since: '0.3.9',
      description: 'UDP ports allowed towards the `egress_allow`/`egress_domains` destinations.',
    }),
    credential_broker: field(optionalString, {
      kind: 'optional-string',
      default: 'none',
      since: '0.3.9',
      description:
        '`"IPv4:PORT"` of a credential broker proxy on the bridge gateway. Requires a network, excludes every raw egress list, and needs the kernel NAT backend. validate checks it against the first network\'s `subnet`, the runtime against 10.0.42.0/24, so only `subnet = "10.0.42.0/24"` with `"10.0.42.1:PORT"` passes both.',
    }),
    credential_broker_no_proxy_env: field(z.boolean().default(false), {
      kind: 'bool',
      default: 'false',
      since: '0.3.9',
      description:
        'Do not set the proxy environment variables for the credential broker. Only allowed together with `credential_broker`.',
    }),
    port_forwards: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        '`"HOST:CONTAINER"` or `"HOST_IP:HOST:CONTAINER"`, optionally with `/tcp` or `/udp`. Only used by services with networks (silently ignored otherwise); checked when the service starts.',
    }),
    environment: field(
      btreeMap(z.string()).default(() => new Map<string, string>()),
      {
        kind: 'string-map',
        default: '{}',
        since: '≤0.3.8',
        description:
          'Environment variables (values must be TOML strings: `PORT = "8080"`). `LD_PRELOAD`, `LD_LIBRARY_PATH`, `LD_AUDIT`, `LD_DEBUG` and `LD_PROFILE` are refused when the service starts; 0.3.9 also requires keys to match `[A-Za-z_][A-Za-z0-9_]*`.',
      },
    ),
    user: field(optionalString, {
      kind: 'optional-string',
      default: 'none',
      since: '≤0.3.8',
      description:
        "User to run as: a numeric uid (then `group` is required) or a name looked up in the **host's** /etc/passwd, not the rootfs.",
    }),
    group: field(optionalString, {
      kind: 'optional-string',
      default: 'none',
      since: '≤0.3.8',
      description: 'Group to run as: a numeric gid or a host group name. Requires `user`.',
    }),
    additional_groups: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        'Supplementary groups. Requires `user`, and any non-empty list fails under the user namespace production mode uses (`Supplementary groups are currently unsupported with user namespaces`).',
    }),
    secrets: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        '`"SOURCE:DEST"` files or directories mounted read-only; SOURCE is resolved against the current directory of `compose up` (not this file\'s folder), DEST must be an absolute container path.',
    }),
    dns: field(listDefault(stringList), {
      kind: 'string-list',
      default: '[]',
      since: '≤0.3.8',
      description:
        'IPv4 DNS servers. Required for services with networks (production mode refuses a bridge without explicit DNS; 0.3.9 waives it with `credential_broker`).',
    }),
    nat_backend: field(natBackend.default('auto'), {
      kind: 'nat-backend',
      default: '"auto"',
      since: '≤0.3.8',
      variants: ['auto', 'kernel', 'userspace'],
      description:
        'Bridge NAT implementation: `"kernel"` (iptables, needs root), `"userspace"` (slirp4netns) or `"auto"`. Lowercase only; any other spelling is a parse error. Not passed for services without networks.',
    }),
    replicas: field(u32.default(1), {
      kind: 'u32',
      default: '1',
      since: '≤0.3.8',
      description: 'Unused: Nucleus has no scaling; one container runs whatever the value.',
    }),
    runtime: field(z.string().default('native'), {
      kind: 'string',
      default: '"native"',
      since: '≤0.3.8',
      description:
        'Only the exact value `"gvisor"` changes anything (it passes `--runtime gvisor`); every other value, `"native"` included, is ignored and the container still runs under gVisor, the default runtime.',
    }),
  };
}

/** `[services.X]` in 0.3.9: 26 fields, `deny_unknown_fields`. */
const service039 = z.strictObject(serviceShape());
/** `[services.X]` in 0.3.8: 22 fields (the 0.3.9 additions removed), `deny_unknown_fields`. */
const service038 = service039.omit({
  egress_domains: true,
  egress_udp_ports: true,
  credential_broker: true,
  credential_broker_no_proxy_env: true,
});
const shape038 = service038.shape;

const hookSchema = z.object({
  path: z.string(),
  args: z.array(z.string()).optional(),
  env: z.array(z.string()).optional(),
  timeout: z.int().optional(),
});
const hookList = z.array(hookSchema).optional();

/** `[services.X]` up to 0.3.4: the 0.3.8 fields plus `hooks`, unknown keys ignored. */
const service034 = z.object({
  ...shape038,
  hooks: field(
    z
      .object({
        createRuntime: hookList,
        createContainer: hookList,
        startContainer: hookList,
        poststart: hookList,
        poststop: hookList,
      })
      .optional(),
    {
      kind: 'hooks',
      default: 'none',
      since: '≤0.3.4',
      removedIn: '0.3.5',
      description:
        "OCI lifecycle hooks (`createRuntime`, `createContainer`, `startContainer`, `poststart`, `poststop`: arrays of `{ path, args, env, timeout }`). Removed from topology services in 0.3.5 (they run host commands with the supervisor's privileges); use `nucleus create --hooks FILE` administratively.",
    },
  ),
});

function topologyShape<S extends z.ZodType>(service: S) {
  return {
    name: field(z.string(), {
      kind: 'string',
      since: '≤0.3.8',
      description:
        'Topology name: 1–128 characters from `[A-Za-z0-9._-]`. Every container is named `<name>-<service>` (at most 128 characters), and `plan`/`up` treat every running container whose name starts with `<name>-` as part of this topology.',
    }),
    networks: field(
      btreeMap(networkSchema).default(() => new Map<string, NetworkDef>()),
      {
        kind: 'network-map',
        default: '{}',
        since: '≤0.3.8',
        description:
          "Declared networks, referenced by services' `networks`. Cosmetic at run time: all bridge services share `nucleus0` on 10.0.42.0/24 and cannot find each other by name.",
      },
    ),
    volumes: field(
      btreeMap(volumeSchema).default(() => new Map<string, VolumeDef>()),
      {
        kind: 'volume-map',
        default: '{}',
        since: '≤0.3.8',
        description: 'Named volumes, mounted by services as `"NAME:/dest[:ro|rw]"`.',
      },
    ),
    services: field(btreeMap(service), {
      kind: 'service-map',
      since: '≤0.3.8',
      description:
        'The services, started in dependency order (ties broken by byte order of their names). At least one is required.',
    }),
  };
}

/** The whole file, per version. Unknown top-level keys are ignored by Nucleus (zod strips them). */
export const topologySchemas = {
  '0.3.4': z.object(topologyShape(service034)),
  '0.3.8': z.object(topologyShape(service038)),
  '0.3.9': z.object(topologyShape(service039)),
} as const;

export { dependsOnSchema, networkSchema, volumeSchema };

// Compile-time proof that the zod output types are the decoded types of model.ts.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type V039Only =
  'egress_domains' | 'egress_udp_ports' | 'credential_broker' | 'credential_broker_no_proxy_env';
export type ServiceDef038 = Omit<ServiceDef, V039Only>;
export type SchemaAssertions = [
  Assert<Equals<z.output<typeof service039>, ServiceDef>>,
  Assert<Equals<z.output<typeof service038>, ServiceDef038>>,
  Assert<Equals<z.output<typeof dependsOnSchema>, DependsOn>>,
  Assert<Equals<z.output<typeof networkSchema>, NetworkDef>>,
  Assert<Equals<z.output<typeof volumeSchema>, VolumeDef>>,
  Assert<Equals<z.output<(typeof topologySchemas)['0.3.9']>, Topology>>,
];

// ---------------------------------------------------------------------------------------------------------
// Field tables and docs

/** One key of a table, in declaration order. */
export interface FieldInfo extends FieldMeta {
  key: string;
}

function fieldsOf(shape: Record<string, z.ZodType>): readonly FieldInfo[] {
  const out: FieldInfo[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const meta = schema.meta()?.nucleus;
    if (meta) out.push({ key, ...meta });
  }
  return Object.freeze(out);
}

const SERVICE_FIELDS: Record<NucleusVersion, readonly FieldInfo[]> = {
  '0.3.4': fieldsOf(service034.shape),
  '0.3.8': fieldsOf(service038.shape),
  '0.3.9': fieldsOf(service039.shape),
};
const TOPOLOGY_FIELDS = fieldsOf(topologySchemas['0.3.9'].shape);
const NETWORK_FIELDS = fieldsOf(networkSchema.shape);
const VOLUME_FIELDS = fieldsOf(volumeSchema.shape);
const DEPENDS_ON_FIELDS = fieldsOf(dependsOnSchema.shape);

/** The keys of `[services.X]` for a version, in declaration order (= hash JSON order). */
export function serviceFields(version: NucleusVersion): readonly FieldInfo[] {
  return SERVICE_FIELDS[version];
}
/** Top-level keys: name, networks, volumes, services. */
export function topologyFields(): readonly FieldInfo[] {
  return TOPOLOGY_FIELDS;
}
export function networkFields(): readonly FieldInfo[] {
  return NETWORK_FIELDS;
}
export function volumeFields(): readonly FieldInfo[] {
  return VOLUME_FIELDS;
}
export function dependsOnFields(): readonly FieldInfo[] {
  return DEPENDS_ON_FIELDS;
}

/** Which Nucleus struct a table path denotes. */
export type TableKind =
  'topology' | 'network' | 'volume' | 'service' | 'depends_on' | 'environment' | 'other';

/**
 * Classifies a table path: [] → topology, ['services', X] → service, ['services', X, 'depends_on'] or
 * ['services', X, 'depends_on', index] → depends_on, ['networks', X], ['volumes', X], ['services', X, 'environment'].
 */
export function tableKind(path: readonly (string | number)[]): TableKind {
  if (path.length === 0) return 'topology';
  const [top, , sub, index] = path;
  if (path.length === 2) {
    if (top === 'services') return 'service';
    if (top === 'networks') return 'network';
    if (top === 'volumes') return 'volume';
  }
  if (top === 'services' && (path.length === 3 || (path.length === 4 && typeof index === 'number'))) {
    if (sub === 'depends_on') return 'depends_on';
    if (sub === 'environment' && path.length === 3) return 'environment';
  }
  return 'other';
}

/** The fields of the table at `path` (empty for free-form or unknown tables). */
export function tableFields(
  path: readonly (string | number)[],
  version: NucleusVersion,
): readonly FieldInfo[] {
  switch (tableKind(path)) {
    case 'topology':
      return TOPOLOGY_FIELDS;
    case 'service':
      return SERVICE_FIELDS[version];
    case 'network':
      return NETWORK_FIELDS;
    case 'volume':
      return VOLUME_FIELDS;
    case 'depends_on':
      return DEPENDS_ON_FIELDS;
    case 'environment':
    case 'other':
      return [];
  }
}

/** Documentation of one key, for hover and completion. */
export interface FieldDoc {
  key: string;
  /** TOML type as shown to users. */
  type: string;
  rustType: string;
  /** Default as TOML text, or undefined when the key is required. */
  default: string | undefined;
  required: boolean;
  description: string;
  since: string;
  removedIn?: string;
  variants?: readonly string[];
}

function toDoc(info: FieldInfo): FieldDoc {
  const doc: FieldDoc = {
    key: info.key,
    type: info.type,
    rustType: info.rustType,
    default: info.default,
    required: info.required,
    description: info.description,
    since: info.since,
  };
  if (info.removedIn) doc.removedIn = info.removedIn;
  if (info.variants) doc.variants = info.variants;
  return doc;
}

/**
 * Docs of `key` in the table at `tablePath` (see {@link tableKind}) for a version. Keys of another version
 * (0.3.9-only keys under 0.3.8, `hooks`) are documented too, with their `since`/`removedIn`, so hover can
 * explain them; undefined for keys Nucleus has never known.
 */
export function fieldDoc(
  tablePath: readonly (string | number)[],
  key: string,
  version: NucleusVersion,
): FieldDoc | undefined {
  const kind = tableKind(tablePath);
  if (kind === 'environment') {
    return {
      key,
      type: 'string',
      rustType: 'String',
      default: undefined,
      required: false,
      description: `Environment variable \`${key}\`, passed to the service as \`-e ${key}=VALUE\`.`,
      since: '≤0.3.8',
    };
  }
  const own = tableFields(tablePath, version).find((f) => f.key === key);
  if (own) return toDoc(own);
  if (kind === 'service') {
    const other =
      SERVICE_FIELDS['0.3.9'].find((f) => f.key === key) ??
      SERVICE_FIELDS['0.3.4'].find((f) => f.key === key);
    if (other) return toDoc(other);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// JSON schema

/** The JSON schema (draft-07, input side: what may be written in the TOML file) of a version's topology file. */
function topologyJsonSchema(version: NucleusVersion): Record<string, unknown> {
  const schema = z.toJSONSchema(topologySchemas[version], {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
    override(ctx) {
      const json = ctx.jsonSchema as Record<string, unknown>;
      const meta = json.nucleus as FieldMeta | undefined;
      const def = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def;
      // Integers arrive as a union of a bigint and a JS integer; show one integer with the Rust range.
      if (def.type === 'union' && Array.isArray(json.anyOf) && meta === undefined) {
        const ints = json.anyOf as Record<string, unknown>[];
        const range = ints.find((s) => typeof s.maximum === 'number');
        if (ints.every((s) => s.type === 'integer' || Object.keys(s).length === 0)) {
          delete json.anyOf;
          json.type = range || ints.some((s) => s.type === 'integer') ? 'integer' : 'number';
          if (range) {
            json.minimum = range.minimum;
            json.maximum = range.maximum;
          }
        }
      }
      if (meta) {
        delete json.nucleus;
        json.markdownDescription = `${meta.description}\n\n*Type:* ${meta.type} (Rust \`${meta.rustType}\`)${
          meta.default !== undefined ? ` · *default:* \`${meta.default}\`` : ''
        } · *since:* ${meta.since}${meta.removedIn ? ` · *removed in:* ${meta.removedIn}` : ''}`;
        if (meta.variants && meta.kind !== 'nat-backend') json.examples = [...meta.variants];
        if (meta.kind === 'f64') {
          delete json.anyOf;
          json.type = 'number';
        }
        if (meta.kind === 'u64') {
          delete json.anyOf;
          json.type = 'integer';
          json.minimum = 0;
          // 2^64 − 1 is not a float; JSON readers round it to 2^64 anyway.
          json.maximum = 2 ** 64;
        }
        if (meta.default !== undefined && json.default === undefined) {
          const parsed = defaultJson(meta.default);
          if (parsed !== undefined) json.default = parsed;
        }
      }
    },
  }) as Record<string, unknown>;
  schema.title = `Nucleus ${version} topology file`;
  schema.description = `A \`nucleus compose\` topology file as Nucleus ${version} reads it.`;
  return schema;
}

function defaultJson(text: string): unknown {
  if (text === 'none') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Versions for which a JSON schema file is generated; the newest also goes to nucleus-topology.schema.json. */
const SCHEMA_VERSIONS: readonly SupportedVersion[] = ['0.3.8', '0.3.9'];

/**
 * The committed JSON schema files (name → content): `nucleus-topology.schema.json` for the newest version and
 * `nucleus-topology-<version>.schema.json` per version. Written by scripts/generate-schema.mjs.
 */
export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const newest = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1] as SupportedVersion;
  const render = (version: SupportedVersion, id: string) => {
    const schema = { $id: id, ...topologyJsonSchema(version) };
    return `${JSON.stringify(schema, null, 2)}\n`;
  };
  files['nucleus-topology.schema.json'] = render(newest, 'nucleus-topology.schema.json');
  for (const v of SCHEMA_VERSIONS)
    files[`nucleus-topology-${v}.schema.json`] = render(v, `nucleus-topology-${v}.schema.json`);
  return files;
}
