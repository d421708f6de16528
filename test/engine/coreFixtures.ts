// Test helpers for the exact-reproduction core: ServiceDef/Topology builders with Nucleus's defaults, and
// access to the conformance vectors (real Nucleus 0.3.8 output) by case number.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sortedMap, type ServiceDef, type Topology, type VolumeDef } from '@nucleus-topology/engine';

/** The vectors are copied into the repository so a fresh clone runs them. */
export const CONFORMANCE_DIR = fileURLToPath(new URL('../fixtures/conformance', import.meta.url));

/** A service with every omitted field at Nucleus's serde default (rootfs/command/memory included for brevity). */
export function svc(fields: Partial<ServiceDef> = {}): ServiceDef {
  return {
    rootfs: '/nix/store/web',
    command: ['/bin/run'],
    memory: '256M',
    cpus: 1,
    pids: 512n,
    networks: [],
    volumes: [],
    depends_on: [],
    health_check: null,
    health_interval: 30n,
    egress_allow: [],
    egress_domains: [],
    egress_tcp_ports: [],
    egress_udp_ports: [],
    credential_broker: null,
    credential_broker_no_proxy_env: false,
    port_forwards: [],
    environment: new Map(),
    user: null,
    group: null,
    additional_groups: [],
    secrets: [],
    dns: [],
    nat_backend: 'auto',
    replicas: 1,
    runtime: 'native',
    ...fields,
  };
}

/** `environment` from an object literal, keys in byte order as the decoder yields them. */
export function env(values: Record<string, string>): Map<string, string> {
  return sortedMap(Object.entries(values));
}

export function vol(fields: Partial<VolumeDef> = {}): VolumeDef {
  return { volume_type: 'ephemeral', path: null, owner: null, size: null, ...fields };
}

/** A topology; services/volumes are given as [name, def] pairs (object keys like "9" would be reordered by JS). */
export function topo(
  name: string,
  services: [string, ServiceDef][],
  volumes: [string, VolumeDef][] = [],
): Topology {
  return { name, networks: new Map(), volumes: sortedMap(volumes), services: sortedMap(services) };
}

/** Service with only depends_on entries (condition 'started' unless given). */
export function deps(...targets: (string | [string, string])[]): ServiceDef {
  return svc({
    depends_on: targets.map((t) =>
      typeof t === 'string' ? { service: t, condition: 'started' } : { service: t[0], condition: t[1] },
    ),
  });
}

export interface ConformanceExpected {
  parse: 'ok' | { error: string };
  validate: 'ok' | { error: string } | null;
  graph: { startup_order: string[]; shutdown_order: string[] } | { error: string } | null;
  services: string[] | null;
  hashes: Record<string, string> | null;
  service_json: Record<string, string> | null;
  run_args: Record<string, string[] | { error: string }> | null;
  secrets_payload: Record<string, string> | null;
  post_start_wait: Record<string, 'Started' | 'Healthy'> | null;
  health_check_valid: Record<string, true | string> | null;
}

/** The expected output of conformance case `NNN` (e.g. '002'). */
export function expected(caseNumber: string): ConformanceExpected {
  const file = readdirSync(`${CONFORMANCE_DIR}/expected`).find((f) => f.startsWith(`${caseNumber}-`));
  if (file === undefined) throw new Error(`no conformance case ${caseNumber}`);
  return JSON.parse(readFileSync(`${CONFORMANCE_DIR}/expected/${file}`, 'utf8')) as ConformanceExpected;
}
