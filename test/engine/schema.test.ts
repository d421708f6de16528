// The zod model: field lists/order per version, defaults agree with the decoder, docs for hover, decoded
// topologies satisfy the schema, and the committed JSON schema files are up to date.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeTopology,
  defaultService,
  fieldDoc,
  jsonSchemaFiles,
  serviceFields,
  serviceJson,
  tableKind,
  topologySchemas,
  type Topology,
} from '@nucleus-topology/engine';

const ROOT = join(import.meta.dirname, '..', '..');

describe('schema', () => {
  it('service field lists and order per version', () => {
    const v38 = serviceFields('0.3.8').map((f) => f.key);
    const v39 = serviceFields('0.3.9').map((f) => f.key);
    assert.equal(v38.length, 22);
    assert.equal(v39.length, 26);
    assert.deepEqual(
      v39.filter((k) => !v38.includes(k)),
      ['egress_domains', 'egress_udp_ports', 'credential_broker', 'credential_broker_no_proxy_env'],
    );
    assert.deepEqual(
      v39.filter((k) => v38.includes(k)),
      v38,
      '0.3.8 fields keep their relative order',
    );
    const v34 = serviceFields('0.3.4').map((f) => f.key);
    assert.equal(v34[v34.length - 1], 'hooks');
    assert.deepEqual(v34.slice(0, -1), v38);
  });

  it('declaration order is the hash JSON order of the core', () => {
    for (const version of ['0.3.8', '0.3.9'] as const) {
      const keys = Object.keys(JSON.parse(serviceJson(defaultService(), version)) as object);
      assert.deepEqual(
        keys,
        serviceFields(version).map((f) => f.key),
      );
    }
  });

  it('zod defaults equal the decoder defaults', () => {
    const parsed = topologySchemas['0.3.9'].parse({
      name: 't',
      services: { web: { rootfs: '', command: [], memory: '' } },
    });
    assert.deepEqual(parsed.services.get('web'), defaultService());
    assert.deepEqual(parsed.networks, new Map());
  });

  it('ranges: u16/u32/u64 reject out-of-range values, accept bigints up to 2^64-1; f64 accepts nan/inf/ints', () => {
    const base = { rootfs: '', command: [], memory: '' };
    const ok = (svc: object) =>
      topologySchemas['0.3.9'].safeParse({ name: 't', services: { s: { ...base, ...svc } } }).success;
    assert.equal(ok({ pids: 18446744073709551615n }), true);
    assert.equal(ok({ pids: 18446744073709551616n }), false);
    assert.equal(ok({ pids: -1 }), false);
    assert.equal(ok({ replicas: 4294967295 }), true);
    assert.equal(ok({ replicas: 4294967296 }), false);
    assert.equal(ok({ egress_tcp_ports: [65535] }), true);
    assert.equal(ok({ egress_tcp_ports: [65536] }), false);
    assert.equal(ok({ cpus: NaN }), true);
    assert.equal(ok({ cpus: -Infinity }), true);
    assert.equal(ok({ cpus: 9223372036854775807n }), true);
    assert.equal(ok({ cpus: '1' }), false);
    assert.equal(ok({ nat_backend: 'fast' }), false);
    assert.equal(ok({ image: 'x' }), false, 'services reject unknown keys');
    assert.equal(
      topologySchemas['0.3.8'].safeParse({ name: 't', services: { s: { ...base, egress_domains: [] } } })
        .success,
      false,
    );
  });

  it('fieldDoc: type, default, description, since — including keys of other versions', () => {
    const mem = fieldDoc(['services', 'web'], 'memory', '0.3.9');
    assert.equal(mem?.required, true);
    assert.equal(mem?.default, undefined);
    assert.match(mem?.description ?? '', /K/);
    const cpus = fieldDoc(['services', 'web'], 'cpus', '0.3.8');
    assert.equal(cpus?.default, '1.0');
    assert.equal(cpus?.rustType, 'f64');
    assert.equal(fieldDoc(['services', 'web'], 'egress_domains', '0.3.8')?.since, '0.3.9');
    assert.equal(fieldDoc(['services', 'web'], 'hooks', '0.3.9')?.removedIn, '0.3.5');
    assert.equal(fieldDoc(['volumes', 'data'], 'volume_type', '0.3.9')?.default, '"ephemeral"');
    assert.equal(fieldDoc(['services', 'web', 'depends_on', 0], 'condition', '0.3.9')?.default, '"started"');
    assert.equal(fieldDoc(['services', 'web', 'environment'], 'RUST_LOG', '0.3.9')?.type, 'string');
    assert.equal(fieldDoc(['services', 'web'], 'image', '0.3.9'), undefined);
    assert.equal(tableKind(['services', 'web', 'depends_on', 2]), 'depends_on');
  });

  it('every decoded conformance topology satisfies the zod schema of its version (decoder ⇔ model)', () => {
    const dir = join(ROOT, 'test', 'fixtures', 'conformance', 'cases');
    let checked = 0;
    for (const file of readdirSync(dir)) {
      const a = analyzeTopology(readFileSync(join(dir, file), 'utf8'), { version: '0.3.8' });
      if (a.nucleusError?.phase === 'parse' || !a.topology) continue;
      const back = topologySchemas['0.3.8'].parse(toInput(a.topology));
      assert.deepEqual(back.name, a.topology.name);
      assert.deepEqual([...back.services.keys()], [...a.topology.services.keys()], file);
      for (const [name, def] of back.services) {
        const decoded = a.topology.services.get(name);
        assert.ok(decoded);
        for (const [k, v] of Object.entries(def))
          assert.deepEqual(v, (decoded as unknown as Record<string, unknown>)[k], `${file} ${name}.${k}`);
      }
      checked++;
    }
    assert.ok(checked > 60);
  });

  it('the committed JSON schema files are up to date (run scripts/generate-schema.mjs)', () => {
    for (const [name, content] of Object.entries(jsonSchemaFiles())) {
      assert.equal(readFileSync(join(ROOT, 'schemas', name), 'utf8'), content, `schemas/${name} is stale`);
    }
    const schema = JSON.parse(jsonSchemaFiles()['nucleus-topology.schema.json'] as string) as {
      required: string[];
      properties: {
        services: { additionalProperties: { additionalProperties: boolean; required: string[] } };
      };
    };
    assert.deepEqual(schema.required, ['name', 'services']);
    assert.equal(schema.properties.services.additionalProperties.additionalProperties, false);
    assert.deepEqual(schema.properties.services.additionalProperties.required, [
      'rootfs',
      'command',
      'memory',
    ]);
  });
});

/** A decoded Topology back in the shape a TOML reader gives zod (maps as plain objects). */
function toInput(t: Topology): Record<string, unknown> {
  const obj = <V>(m: Map<string, V>, f: (v: V) => unknown = (v) => v) =>
    Object.fromEntries([...m].map(([k, v]) => [k, f(v)]));
  return {
    name: t.name,
    networks: obj(t.networks),
    volumes: obj(t.volumes, (v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null))),
    services: obj(t.services, (s) => {
      const { egress_domains, egress_udp_ports, credential_broker, credential_broker_no_proxy_env, ...rest } =
        s;
      void egress_domains;
      void egress_udp_ports;
      void credential_broker;
      void credential_broker_no_proxy_env;
      return Object.fromEntries(
        Object.entries({ ...rest, environment: Object.fromEntries(s.environment) }).filter(
          ([, x]) => x !== null,
        ),
      );
    }),
  };
}
