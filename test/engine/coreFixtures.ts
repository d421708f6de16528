// Test helpers for the exact-reproduction core: ServiceDef/Topology builders with Nucleus's defaults, and
// access to the conformance vectors (real Nucleus 0.3.8 output) by case number.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sortedMap, type ServiceDef, type Topology, type VolumeDef } from '@nucleus-topology/engine';

/** The vectors are copied into the repository so a fresh clone runs them. */
export const CONFORMANCE_DIR = fileURLToPath(new URL('../fixtures/conformance', import.meta.url));

/** Where the conformance cases put their persistent volumes. */
export const CONFORMANCE_VOL = '/var/tmp/nucleus-conformance/vol';

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

/** Conformance case 002 (full-valid) as Nucleus decodes it: every flag family of the run arguments. */
export const case002 = (): Topology =>
  topo(
    'myapp',
    [
      [
        'postgres',
        svc({
          rootfs: '/nix/store/abc-postgres',
          command: ['postgres', '-D', '/var/lib/postgresql/data'],
          memory: '2G',
          cpus: 2,
          pids: 1024n,
          networks: ['internal'],
          volumes: ['db-data:/var/lib/postgresql/data', 'cache:/var/cache/pg:ro'],
          health_check: 'pg_isready -U myapp',
          health_interval: 5n,
          user: 'postgres',
          group: 'postgres',
          environment: env({ PGDATA: '/var/lib/postgresql/data', LANG: 'C.UTF-8' }),
          nat_backend: 'kernel',
        }),
      ],
      [
        'web',
        svc({
          rootfs: '/nix/store/abc-web',
          command: ['/bin/web-server', '--port', '8443'],
          memory: '512M',
          cpus: 0.5,
          networks: ['internal', 'public'],
          volumes: ['scratch:/tmp/scratch:rw'],
          nat_backend: 'userspace',
          port_forwards: ['8443:8443', '127.0.0.1:9090:9090'],
          egress_allow: ['10.42.0.0/24', '1.1.1.1/32'],
          egress_tcp_ports: [443, 5432],
          dns: ['10.42.0.1', '1.1.1.1'],
          secrets: ['/run/keys/web-token:/run/secrets/token', '/run/keys/tls.pem:/run/secrets/tls.pem'],
          user: '1000',
          group: '1000',
          additional_groups: ['video', '2000'],
          replicas: 3,
          runtime: 'gvisor',
          environment: env({ RUST_LOG: 'info', DATABASE_URL: 'postgres://postgres@db/myapp' }),
          depends_on: [{ service: 'postgres', condition: 'healthy' }],
        }),
      ],
      [
        'worker',
        svc({
          rootfs: '/nix/store/abc-worker',
          command: ['/bin/worker'],
          memory: '1G',
          depends_on: [
            { service: 'postgres', condition: 'started' },
            { service: 'web', condition: 'started' },
          ],
        }),
      ],
    ],
    [
      ['db-data', vol({ volume_type: 'persistent', path: `${CONFORMANCE_VOL}/full/db`, owner: '70:70' })],
      ['cache', vol({ size: '64M' })],
      ['scratch', vol()],
    ],
  );

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
