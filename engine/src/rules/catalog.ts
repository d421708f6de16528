// The catalog of every problem the engine reports: stable code, severity, when Nucleus notices it, title and
// documentation (docs/rules.md is generated from it). Rules create issues only through `issue()`.

import type {
  Issue,
  IssueData,
  NucleusPhase,
  RelatedLocation,
  Severity,
  SupportedVersion,
} from '../model.js';
import type { Span } from '../toml/ast.js';

export interface RuleInfo {
  code: string;
  severity: Severity;
  /** When Nucleus itself notices the problem (for the newest version). */
  phase: NucleusPhase;
  /** When it differs by version. */
  phaseByVersion?: Partial<Record<SupportedVersion, NucleusPhase>>;
  /** Which spec rule it implements (§ and id), for maintainers. */
  spec: string;
  title: string;
  doc: string;
}

function rule(
  code: string,
  severity: Severity,
  phase: NucleusPhase,
  spec: string,
  title: string,
  doc: string,
  phaseByVersion?: Partial<Record<SupportedVersion, NucleusPhase>>,
): RuleInfo {
  return phaseByVersion
    ? { code, severity, phase, phaseByVersion, spec, title, doc }
    : { code, severity, phase, spec, title, doc };
}

const RULE_LIST: RuleInfo[] = [
  // ---- parse (every compose command fails while reading the file)
  rule(
    'toml-syntax',
    'error',
    'parse',
    '§1.1',
    'TOML syntax error',
    'The file is not valid TOML 1.1 (Nucleus uses the Rust `toml` 1.1.2 crate). Every `nucleus compose` command fails with `Failed to parse topology: TOML parse error …`.',
  ),
  rule(
    'missing-field',
    'error',
    'parse',
    '§1.2, §1.5, §1.6',
    'Required key missing',
    '`name` and `services` at the top level, `rootfs`, `command` and `memory` in every service and `service` in every `depends_on` entry are required. Nucleus reports ``missing field `x` `` at the table header.',
  ),
  rule(
    'invalid-type',
    'error',
    'parse',
    '§1.5',
    'Value of the wrong type',
    'The value does not have the TOML type Nucleus deserializes the key into (e.g. `memory = 512` instead of `"512M"`, `command = "x"` instead of an array, `depends_on = ["db"]` instead of tables). Nucleus fails to parse the file with serde\'s ``invalid type: …, expected …``.',
  ),
  rule(
    'invalid-value',
    'error',
    'parse',
    '§1.5',
    'Integer out of range',
    'An integer outside the range of its Rust type: `pids` and `health_interval` are u64 (no negatives), `replicas` u32, egress ports u16 (0–65535). Nucleus fails to parse the file with ``invalid value: integer `N`, expected u16``.',
  ),
  rule(
    'unknown-variant',
    'error',
    'parse',
    '§1.5',
    'Unknown enum value',
    '`nat_backend` must be exactly `"auto"`, `"kernel"` or `"userspace"` (lowercase). Anything else fails parsing with ``unknown variant `x`, expected one of `auto`, `kernel`, `userspace` ``.',
  ),
  rule(
    'number-overflow',
    'error',
    'parse',
    '§1.1',
    'Number too large',
    'A float literal too large for f64 (e.g. `1e400`) or an integer beyond 128 bits. Nucleus fails to parse the file, even when the key itself is ignored.',
  ),
  rule(
    'unknown-service-key',
    'error',
    'parse',
    '§1.1',
    'Unknown key in a service',
    '`[services.X]` is declared with `deny_unknown_fields`: any key Nucleus does not know (`image`, `healthcheck`, a typo) fails parsing with ``unknown field `x`, expected one of `rootfs`, …``.',
  ),
  rule(
    'newer-version-key',
    'error',
    'parse',
    '§1.5',
    'Key not known to this Nucleus version',
    '`egress_domains`, `egress_udp_ports`, `credential_broker` and `credential_broker_no_proxy_env` exist only since Nucleus 0.3.9; 0.3.8 rejects them as unknown fields.',
  ),
  rule(
    'removed-hooks',
    'error',
    'parse',
    '§1.7',
    'Hooks are not allowed in topology services',
    'OCI hooks were removed from topology services in Nucleus 0.3.5 (together with `deny_unknown_fields`): `hooks` fails parsing as an unknown field. Hooks can only be given administratively with `nucleus create --hooks FILE`.',
  ),
  rule(
    'ignored-key',
    'warning',
    'never',
    '§1.1, §7 E14',
    'Key ignored by Nucleus',
    'Outside `[services.X]`, Nucleus silently drops keys it does not know: a top-level `version`, a Docker-style `type` in a volume (so `volume_type` keeps its default `"ephemeral"`), a misspelled `condtion` in `depends_on` (so the condition stays `"started"`).',
  ),
  // ---- validate (§2.2, in Nucleus's order)
  rule(
    'empty-topology-name',
    'error',
    'validate',
    '§2.2 T1',
    'Empty topology name',
    '`name` must not be empty: `Topology name cannot be empty`.',
  ),
  rule(
    'invalid-topology-name',
    'error',
    'validate',
    '§2.2 T2',
    'Invalid topology name',
    'The topology name must be 1–128 characters from `[A-Za-z0-9._-]`: every container is named `<name>-<service>`. The same message is used for a name that is too long.',
  ),
  rule(
    'invalid-service-name',
    'error',
    'validate',
    '§2.2 T3',
    'Invalid service name',
    'Service names (the keys of `[services]`) must be 1–128 characters from `[A-Za-z0-9._-]`; quoted keys such as `[services."my app"]` fail `compose validate`.',
  ),
  rule(
    'no-services',
    'error',
    'validate',
    '§2.2 T4',
    'No services',
    'A topology needs at least one `[services.X]` table: `Topology must have at least one service`.',
  ),
  rule(
    'persistent-volume-without-path',
    'error',
    'validate',
    '§2.2 V1',
    'Persistent volume without path',
    'A `volume_type = "persistent"` volume must set `path`, the host directory to bind-mount.',
  ),
  rule(
    'persistent-path-not-absolute',
    'error',
    'validate',
    '§2.2 V2',
    'Relative persistent volume path',
    'The `path` of a persistent volume must be absolute.',
  ),
  rule(
    'sensitive-host-path',
    'error',
    'validate',
    '§2.2 V3, §1.8',
    'Persistent volume on a sensitive host path',
    'After lexical normalization (`.` dropped, `..` pops), a persistent `path` must not be `/` nor equal to or under /boot, /dev, /etc, /home, /proc, /root, /run, /sys, /var/log or /var/run.',
  ),
  rule(
    'ephemeral-volume-with-path',
    'error',
    'validate',
    '§2.2 V4',
    'Ephemeral volume with a path',
    'An ephemeral volume (the default type) is a tmpfs and must not set `path`. A Docker-style `type = "persistent"` is ignored, which leads here.',
  ),
  rule(
    'unsupported-volume-type',
    'error',
    'validate',
    '§2.2 V5',
    'Unsupported volume type',
    '`volume_type` must be exactly `"persistent"` or `"ephemeral"`.',
  ),
  rule(
    'invalid-volume-owner',
    'error',
    'validate',
    '§2.2 V6, §1.8',
    'Invalid volume owner',
    '`owner` must be `"UID:GID"` with two decimal u32s (a leading `+` is tolerated).',
  ),
  rule(
    'unknown-dependency',
    'error',
    'validate',
    '§2.2 S1',
    'Dependency on an unknown service',
    'Every `depends_on` entry must name a service of this topology.',
  ),
  rule(
    'invalid-dependency-condition',
    'error',
    'validate',
    '§2.2 S1',
    'Invalid dependency condition',
    '`condition` must be exactly `"started"` or `"healthy"` (lowercase).',
  ),
  rule(
    'healthy-without-health-check',
    'error',
    'validate',
    '§2.2 S1',
    'Waiting for health of a service without health_check',
    '`condition = "healthy"` requires the target service to define `health_check`.',
  ),
  rule(
    'unknown-network',
    'error',
    'validate',
    '§2.2 S2',
    'Unknown network',
    "Every entry of a service's `networks` must be a `[networks.X]` table.",
  ),
  rule(
    'invalid-volume-mount',
    'error',
    'validate',
    '§2.2 S3, §1.8',
    'Malformed volume mount',
    'A service `volumes` entry must be `VOLUME:DEST`, `VOLUME:DEST:ro` or `VOLUME:DEST:rw` (split on every `:`), with a non-empty volume name.',
  ),
  rule(
    'invalid-mount-destination',
    'error',
    'validate',
    '§2.2 S3, §1.8',
    'Invalid mount destination',
    'The container destination of a volume must be absolute, without `..`, not `/`, and not equal to or under /bin, /boot, /dev, /etc, /lib, /lib64, /nix, /proc, /run/secrets, /sbin, /sys or /usr.',
  ),
  rule(
    'host-path-volume-mount',
    'error',
    'validate',
    '§2.2 S3',
    'Host path instead of a named volume',
    'Topology services mount named volumes only; a Docker-style `/host/path:/dest` is rejected. Declare a persistent `[volumes.X]` with that `path` and mount `X:/dest`.',
  ),
  rule(
    'unknown-volume',
    'error',
    'validate',
    '§2.2 S3',
    'Unknown volume',
    'A service `volumes` entry must name a `[volumes.X]` table.',
  ),
  rule(
    'invalid-egress-cidr',
    'error',
    'validate',
    '§2.2 S4, §1.8',
    'Invalid egress CIDR',
    '`egress_allow` entries must be IPv4 CIDRs `A.B.C.D/N` (N ≤ 32, no leading zeros). 0.3.9 rejects bad entries at `compose validate`; 0.3.8 only when the service starts, after it registered.',
    { '0.3.8': 'up', '0.3.9': 'validate' },
  ),
  rule(
    'invalid-egress-domain',
    'error',
    'validate',
    '§2.2 S5, §1.8',
    'Invalid egress domain',
    '`egress_domains` entries must be fully-qualified DNS names (at least one dot, labels of `[A-Za-z0-9-]` not starting or ending with `-`, no wildcards, not an IP address).',
  ),
  rule(
    'invalid-credential-broker',
    'error',
    'validate',
    '§2.2 S6, §1.8',
    'Invalid credential broker',
    "`credential_broker` must be `IPv4:PORT`, a unicast non-loopback address with a non-zero port, equal to the gateway (first host) of the subnet of the service's first network.",
  ),
  rule(
    'credential-broker-without-network',
    'error',
    'validate',
    '§2.2 S6',
    'Credential broker without network',
    'A service with `credential_broker` must have at least one network (the broker is reached over the bridge).',
  ),
  rule(
    'credential-broker-with-egress',
    'error',
    'validate',
    '§2.2 S6',
    'Credential broker combined with raw egress',
    '`credential_broker` excludes `egress_allow`, `egress_domains`, `egress_tcp_ports` and `egress_udp_ports`.',
  ),
  rule(
    'no-proxy-env-without-broker',
    'error',
    'validate',
    '§2.2 S7',
    'credential_broker_no_proxy_env without broker',
    '`credential_broker_no_proxy_env = true` is only allowed together with `credential_broker`.',
  ),
  // ---- graph
  rule(
    'dependency-cycle',
    'error',
    'graph',
    '§2.3',
    'Dependency cycle',
    'The services of a cycle can never start. `compose validate` fails with `Circular dependency detected among services: [...]`, listing every service that could not be ordered (including services that only depend on the cycle).',
  ),
  // ---- up (what `compose validate` accepts but `compose up` rejects), §2.7
  rule(
    'container-name-too-long',
    'error',
    'up',
    '§2.5 (a)2',
    'Container name too long',
    'Containers are named `<topology>-<service>`, which must be at most 128 characters. `compose up` fails after a 10 s wait for the service to register.',
  ),
  rule(
    'empty-command',
    'error',
    'up',
    '§2.5 (a)1',
    'Empty command',
    '`command = []` passes validate, but `nucleus create` then lacks its required command and `compose up` fails.',
  ),
  rule(
    'invalid-memory',
    'error',
    'up',
    '§1.8',
    'Invalid memory limit',
    '`memory` must be a whole number of bytes, optionally with `K`, `M`, `G` or `T` (powers of 1024): `"512M"`, `"2G"`. `"1.5G"`, `"512MB"` and `"512 M"` fail when the service starts (`Invalid resource limit: Invalid memory value: …`).',
  ),
  rule(
    'invalid-cpus',
    'error',
    'up',
    '§1.8',
    'Invalid CPU count',
    '`cpus` must be finite, greater than 0 and at most 65536 when the service starts.',
  ),
  rule(
    'bridge-without-dns',
    'error',
    'up',
    '§2.5 (a)4, §7 E4',
    'Networked service without dns',
    'Production mode refuses a bridge network without explicit DNS servers: a service with `networks` must set `dns` (0.3.9 waives it when `credential_broker` is set).',
  ),
  rule(
    'invalid-port-forward',
    'error',
    'up',
    '§1.8',
    'Invalid port forward',
    '`port_forwards` entries must be `HOST:CONTAINER` or `HOST_IP:HOST:CONTAINER`, optionally with `/tcp` or `/udp`; ports 0–65535, HOST_IP a dotted IPv4.',
  ),
  rule(
    'port-forwards-without-network',
    'warning',
    'never',
    '§1.8, §7 E14',
    'Port forwards ignored without network',
    'Port forwards only apply to services on the bridge: without `networks` they are silently ignored.',
  ),
  rule(
    'egress-without-network',
    'warning',
    'never',
    '§7 E14',
    'Egress rules without network',
    'Egress settings only apply to services on the bridge; a service without `networks` has no network at all.',
  ),
  rule(
    'egress-ports-without-allowlist',
    'warning',
    'never',
    '§2.7',
    'Egress ports without destinations',
    '`egress_tcp_ports`/`egress_udp_ports` only open ports towards `egress_allow` (0.3.9: or `egress_domains`) destinations; without any, all egress stays denied.',
  ),
  rule(
    'invalid-dns',
    'error',
    'up',
    '§1.8, §2.5 (b)',
    'Invalid DNS server',
    '`dns` entries must be dotted IPv4 addresses without leading zeros. Checked only for networked services, after the container registered, so `compose up` may print success while the service dies.',
  ),
  rule(
    'invalid-tmpfs-size',
    'error',
    'up',
    '§1.8',
    'Invalid tmpfs size',
    'The `size` of an ephemeral volume must be digits with an optional `K`, `M` or `G` (e.g. `"64M"`); `"1T"`, `"64MiB"`, `"1.5G"` and `"50%"` fail when a service mounting it starts.',
  ),
  rule(
    'volume-size-ignored',
    'warning',
    'never',
    '§1.4',
    'size on a persistent volume',
    '`size` is used only for ephemeral (tmpfs) volumes; Nucleus ignores it for persistent volumes.',
  ),
  rule(
    'owner-on-ephemeral-volume',
    'warning',
    'never',
    '§2.7, §7 E14',
    'owner ignored on an ephemeral volume',
    'An ephemeral volume is a tmpfs that is always root-owned with mode 0700; `owner` is validated but never applied.',
  ),
  rule(
    'ephemeral-volume-non-root-user',
    'warning',
    'never',
    '§2.7, §7 E14',
    'Non-root service with an ephemeral volume',
    'tmpfs volumes are root-owned with mode 0700: a service running as a non-root `user` cannot write to them.',
  ),
  rule(
    'persistent-path-with-colon',
    'error',
    'up',
    '§1.8',
    'Persistent path containing a colon',
    'The generated `--volume SOURCE:DEST:MODE` argument is split on `:`, so a host path with `:` fails when the service starts (`Invalid volume format …`).',
  ),
  rule(
    'invalid-secret',
    'error',
    'up',
    '§1.8',
    'Invalid secret',
    '`secrets` entries must be `SOURCE:DEST` with DEST an absolute container path without `..`, not `/`.',
  ),
  rule(
    'relative-secret-source',
    'warning',
    'up',
    '§1.8, §7 E14',
    'Relative secret source',
    "A relative secret SOURCE is resolved against the current directory of the `compose up` process, not this file's folder.",
  ),
  rule(
    'additional-groups-unsupported',
    'error',
    'up',
    '§1.8',
    'Supplementary groups unsupported',
    'Production mode runs services in a user namespace, where any `additional_groups` fails: `Supplementary groups are currently unsupported with user namespaces`.',
  ),
  rule(
    'group-without-user',
    'error',
    'up',
    '§1.8',
    'group without user',
    '`group` and `additional_groups` require `user`.',
  ),
  rule(
    'numeric-user-without-group',
    'error',
    'up',
    '§1.8',
    'Numeric user without group',
    'A numeric `user` requires an explicit `group`.',
  ),
  rule(
    'unmapped-user-id',
    'error',
    'up',
    '§1.8',
    'User id outside the user namespace',
    'Production mode maps only container ids 0–65535 (running as root; rootless maps only 0): a numeric `user` or `group` above that fails with `Process uid N is not mapped in the configured user namespace`.',
  ),
  rule(
    'identity-starts-with-dash',
    'error',
    'up',
    '§2.5 (a)1',
    'Value taken for a flag',
    'A `user`/`group` value starting with `-` is passed as a separate argument to `nucleus create`, which takes it for a flag.',
  ),
  rule(
    'host-identity-lookup',
    'information',
    'up',
    '§1.8, §7 E14',
    'User/group names resolved on the host',
    "Non-numeric `user`, `group` and `additional_groups` are looked up in the host's /etc/passwd and /etc/group, not in the service's rootfs.",
  ),
  rule(
    'unsafe-health-check-waited',
    'error',
    'up',
    '§2.6',
    'Unsafe health check waited on',
    'When a dependent waits for `condition = "healthy"`, `compose up` runs the health check itself and rejects any character outside `[a-zA-Z0-9 -_./:@=?]` (`&&`, `|`, quotes, `$`, `,` …) and empty commands.',
  ),
  rule(
    'unsafe-health-check',
    'information',
    'never',
    '§2.6, §7 E9',
    'Health check outside the allow-list',
    "The health check uses characters `compose up` would reject if a dependent ever waited for this service to be healthy; the container's own periodic check is not restricted.",
  ),
  rule(
    'unknown-runtime',
    'warning',
    'never',
    '§7 E2',
    'Unknown runtime ignored',
    'Only `runtime = "gvisor"` changes anything; any other value is ignored and the service runs under gVisor.',
  ),
  rule(
    'native-runtime-uses-gvisor',
    'information',
    'never',
    '§7 E2',
    'runtime = "native" still runs under gVisor',
    'Only `"gvisor"` emits `--runtime`; for `"native"` (the default) `nucleus create` uses its own default runtime, gVisor.',
  ),
  rule(
    'replicas-unused',
    'information',
    'never',
    '§1.5',
    'replicas is unused',
    'Nucleus has no scaling: `replicas` is never used; one container runs.',
  ),
  rule(
    'network-setting-unused',
    'information',
    'never',
    '§1.3, §7 E3',
    'Network setting has no effect',
    '`encrypted` is never used, and `subnet` is never passed to containers: every bridge service runs on `nucleus0`, 10.0.42.0/24 (0.3.9 only reads `subnet` to check a credential broker address).',
  ),
  rule(
    'broker-subnet-mismatch',
    'error',
    'up',
    '§7 E8',
    'Credential broker on the wrong subnet',
    'validate checks the broker against the first network\'s `subnet`, but the container runs on 10.0.42.0/24 whose gateway is 10.0.42.1: only `subnet = "10.0.42.0/24"` with `credential_broker = "10.0.42.1:PORT"` passes both.',
  ),
  rule(
    'broker-userspace-nat',
    'error',
    'up',
    '§2.5 (a)10',
    'Credential broker with userspace NAT',
    'Credential broker egress requires the kernel NAT backend.',
  ),
  rule(
    'blocked-environment-variable',
    'error',
    'up',
    '§1.8',
    'Blocked environment variable',
    '`LD_PRELOAD`, `LD_LIBRARY_PATH`, `LD_AUDIT`, `LD_DEBUG` and `LD_PROFILE` are refused in all modes (dynamic linker injection risk).',
  ),
  rule(
    'invalid-environment-key',
    'error',
    'up',
    '§1.8',
    'Invalid environment key',
    'Since 0.3.9 environment keys must be non-empty, `[A-Za-z0-9_]` only and not start with a digit, and values must not contain NUL.',
  ),
  rule(
    'environment-key-resplit',
    'warning',
    'never',
    '§1.8',
    'Environment key containing `=`',
    'Nucleus passes `KEY=VALUE` to `nucleus create`, which splits at the first `=`: a key `A=B` with value `c` silently becomes `A` = `B=c` (0.3.9 then checks the grammar of `A`).',
  ),
  rule(
    'rootfs-not-in-nix-store',
    'error',
    'up',
    '§2.5 (a)9',
    'rootfs outside /nix/store',
    'Production mode requires the rootfs to resolve to a directory under `/nix/store`.',
  ),
  rule(
    'rootfs-attestation-missing',
    'warning',
    'up',
    '§7 E1',
    'Topology services cannot pass production validation',
    '`compose up` launches every service with `--service-mode production` but never passes `--verify-rootfs-attestation`, which production mode requires: read literally, every service fails to register at `up` (unverified: could not be confirmed on a real binary).',
  ),
  rule(
    'unused-volume',
    'hint',
    'never',
    '§2.2',
    'Volume not mounted',
    'No service mounts this volume; Nucleus does not check that volumes are used.',
  ),
];

const RULES: ReadonlyMap<string, RuleInfo> = new Map(RULE_LIST.map((r) => [r.code, r]));

/** Every rule in catalog order. */
export function ruleCatalog(): readonly RuleInfo[] {
  return RULE_LIST;
}

/** The phase at which Nucleus notices a rule's problem under a version. */
export function rulePhase(code: string, version: SupportedVersion): NucleusPhase {
  const info = RULES.get(code);
  if (!info) return 'never';
  return info.phaseByVersion?.[version] ?? info.phase;
}

/** What Nucleus does, as a sentence lead, per phase. */
function phaseLead(phase: NucleusPhase): string {
  switch (phase) {
    case 'parse':
      return 'Nucleus cannot parse the file (every compose command fails)';
    case 'validate':
      return '`nucleus compose validate` fails';
    case 'graph':
      return '`nucleus compose validate` fails';
    case 'up':
      return 'Nucleus accepts this but `compose up` fails when launching the service';
    case 'never':
      return 'Nucleus silently ignores it';
  }
}

export interface IssueInput {
  span: Span;
  /** What is wrong (one sentence, no trailing period needed). */
  problem: string;
  /** Nucleus's own text, when it prints one. */
  nucleusMessage?: string;
  /** Overrides the catalog phase (e.g. per version). */
  phase?: NucleusPhase;
  /** Overrides the catalog severity (rare: e.g. a warning becoming an error in one version). */
  severity?: Issue['severity'];
  related?: RelatedLocation[];
  tags?: Issue['tags'];
  data?: IssueData;
  /** Replaces the generated "what Nucleus does" tail. */
  tail?: string;
}

/**
 * Builds an Issue from the catalog: message = problem, then what Nucleus answers and when
 * ("`nucleus compose validate` fails with: …").
 */
export function issue(code: string, input: IssueInput): Issue {
  const info = RULES.get(code);
  if (!info) throw new Error(`unknown rule code ${code}`);
  const phase = input.phase ?? info.phase;
  let tail = input.tail;
  if (tail === undefined) {
    tail =
      input.nucleusMessage !== undefined
        ? `${phaseLead(phase)} with: ${input.nucleusMessage}`
        : `${phaseLead(phase)}.`;
  }
  const problem = input.problem.endsWith('.') ? input.problem : `${input.problem}.`;
  const out: Issue = {
    code,
    severity: input.severity ?? info.severity,
    message: tail === '' ? problem : `${problem} ${tail}`,
    span: input.span,
    nucleus: input.nucleusMessage !== undefined ? { phase, message: input.nucleusMessage } : { phase },
  };
  if (input.related && input.related.length > 0) out.related = input.related;
  if (input.tags) out.tags = input.tags;
  if (input.data) out.data = input.data;
  return out;
}
