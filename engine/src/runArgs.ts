// The `nucleus create` argument list `compose up` spawns for a service (reconcile.rs
// build_service_run_command, spec §5.3 and §2.4), computed without touching the disk.

import { formatF64Display } from './hash.js';
import type { ServiceDef, SupportedVersion, Topology, VolumeDef } from './model.js';
import { compareBytes, isByteSorted } from './order.js';
import { rustDebugStr } from './rustFmt.js';
import {
  checkBindMountSourcePolicy,
  parseVolumeMount,
  parseVolumeOwner,
  persistentVolumePath,
} from './values/mount.js';

export interface RunArgsOptions {
  /** The service's change hash (decimal u64), passed as `--topology-config-hash`. */
  hash: string;
  version: SupportedVersion;
  /** `compose --root R`: emitted as `--root R` right after `nucleus` (path as given). */
  root?: string;
  /** The inherited descriptor number of the anonymous secrets file (Nucleus passes its raw fd). Default 3. */
  secretsFd?: number;
  /**
   * Canonical form of a persistent volume's (lexically normalized, policy-checked) host path, i.e. what
   * `fs::canonicalize` gives after Nucleus created the directories. Default: the normalized path itself
   * (right when no component is a symlink). If it throws, the error's message becomes the result
   * (`Configuration error: <message>`), so a caller that really prepares the volume can report e.g.
   * Nucleus's `Failed to open persistent volume directory component under …` text.
   */
  canonicalPath?: (hostPath: string) => string;
}

export type RunArgsResult = { args: string[] } | { error: string };

const CONFIG_ERROR = 'Configuration error: ';

/**
 * `prepare_persistent_volume` minus its side effects: path present and absolute, sensitive-path policy,
 * NUL check (CString), canonical path, policy re-check on it, then the owner parse that precedes fchown.
 * Returns the host path for `--volume` or Nucleus's message (without prefix).
 */
function preparePersistentVolume(
  name: string,
  volume: VolumeDef,
  canonicalPath: ((hostPath: string) => string) | undefined,
): { ok: true; value: string } | { ok: false; error: string } {
  const normalized = persistentVolumePath(name, volume);
  if (!normalized.ok) return normalized;
  if (normalized.value.includes('\0')) {
    return {
      ok: false,
      error: `Persistent volume path contains NUL byte: ${rustDebugStr(normalized.value)}`,
    };
  }
  let canonical = normalized.value;
  if (canonicalPath !== undefined) {
    try {
      canonical = canonicalPath(normalized.value);
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    const recheck = checkBindMountSourcePolicy(canonical);
    if (!recheck.ok) return recheck;
  }
  if (volume.owner !== null) {
    const owner = parseVolumeOwner(volume.owner);
    if (!owner.ok) return owner;
  }
  return { ok: true, value: canonical };
}

function push(args: string[], flag: string, values: readonly (string | number)[]): void {
  for (const v of values) args.push(flag, String(v));
}

/**
 * `build_service_run_command(config, service, "<topology>-<service>", hash, root)`: the argument list
 * starting with `"nucleus"`, or Nucleus's full error text (`Configuration error: …`) for what the builder
 * itself rejects (volume entries, unknown/unsupported volumes, persistent path policy, owner syntax).
 * It does not depend on validate() having passed.
 */
export function buildRunArgs(topology: Topology, service: string, options: RunArgsOptions): RunArgsResult {
  const svc: ServiceDef | undefined = topology.services.get(service);
  if (svc === undefined) return { error: `${CONFIG_ERROR}Service '${service}' not found in topology` };
  const v39 = options.version === '0.3.9';
  const args = ['nucleus'];
  if (options.root !== undefined) args.push('--root', options.root);
  args.push(
    'create',
    '--service-mode',
    'production',
    '--quiet-id',
    '--topology-config-hash',
    options.hash,
    '--name',
    `${topology.name}-${service}`,
    '--rootfs',
    svc.rootfs,
    '--memory',
    svc.memory,
    '--cpus',
    formatF64Display(svc.cpus),
    '--pids',
    svc.pids.toString(),
    '--network',
    svc.networks.length === 0 ? 'none' : 'bridge',
  );
  push(args, '--dns', svc.dns);
  if (svc.networks.length > 0) args.push('--nat-backend', svc.nat_backend);
  push(args, '--egress-allow', svc.egress_allow);
  if (v39) push(args, '--egress-domain', svc.egress_domains);
  push(args, '--egress-tcp-port', svc.egress_tcp_ports);
  if (v39) {
    push(args, '--egress-udp-port', svc.egress_udp_ports);
    if (svc.credential_broker !== null) {
      args.push('--credential-broker', svc.credential_broker);
      if (svc.credential_broker_no_proxy_env) args.push('--credential-broker-no-proxy-env');
    }
  }
  push(args, '-p', svc.port_forwards);

  for (const spec of svc.volumes) {
    const mount = parseVolumeMount(spec);
    if (!mount.ok) return { error: CONFIG_ERROR + mount.error };
    const { volume, dest, readOnly } = mount.value;
    const def = topology.volumes.get(volume);
    if (def === undefined) {
      return { error: `${CONFIG_ERROR}Service '${service}' references unknown volume '${volume}'` };
    }
    if (def.volume_type === 'persistent') {
      const host = preparePersistentVolume(volume, def, options.canonicalPath);
      if (!host.ok) return { error: CONFIG_ERROR + host.error };
      args.push('--volume', `${host.value}:${dest}:${readOnly ? 'ro' : 'rw'}`);
    } else if (def.volume_type === 'ephemeral') {
      // `:rw` is never written; the size is appended verbatim whenever it is set (even empty).
      args.push('--tmpfs', dest + (def.size !== null ? `:${def.size}` : '') + (readOnly ? ':ro' : ''));
    } else {
      return {
        error: `${CONFIG_ERROR}Volume '${volume}' for service '${service}' has unsupported type '${def.volume_type}'`,
      };
    }
  }

  if (svc.secrets.length > 0) args.push('--secrets-fd', String(options.secretsFd ?? 3));
  let envKeys = Array.from(svc.environment.keys());
  if (!isByteSorted(envKeys)) envKeys = envKeys.sort(compareBytes);
  for (const key of envKeys) args.push('-e', `${key}=${svc.environment.get(key) as string}`);
  if (svc.user !== null) args.push('--user', svc.user);
  if (svc.group !== null) args.push('--group', svc.group);
  push(args, '--additional-group', svc.additional_groups);
  if (svc.health_check !== null) {
    args.push('--health-cmd', svc.health_check, '--health-interval', svc.health_interval.toString());
  }
  if (svc.runtime === 'gvisor') args.push('--runtime', 'gvisor');
  args.push('--sd-notify', '--', ...svc.command);
  return { args };
}

/** The bytes written to the anonymous secrets file behind `--secrets-fd`: a serde_json array and "\n". */
export function secretsPayload(service: ServiceDef): string {
  return `${JSON.stringify(service.secrets)}\n`;
}
