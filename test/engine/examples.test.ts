// The realistic examples of the spec (test/fixtures/examples): each gets the answer its header comment states,
// for Nucleus 0.3.8 and 0.3.9 (first error text, services, startup order, hashes where stated), and the
// up-time problems the header lists are reported.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTopology, type SupportedVersion } from '@nucleus-topology/engine';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'examples');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');

interface Answer {
  /** Exact `Error: …` text without `Error: `, or `valid`. For parse errors: the serde message (last line). */
  error: string;
  parseMessage?: string;
  services?: string[];
  order?: string[];
  hashes?: Record<string, string>;
}

const FIELDS_038 =
  '`rootfs`, `command`, `memory`, `cpus`, `pids`, `networks`, `volumes`, `depends_on`, `health_check`, `health_interval`, `egress_allow`, `egress_tcp_ports`, `port_forwards`, `environment`, `user`, `group`, `additional_groups`, `secrets`, `dns`, `nat_backend`, `replicas`, `runtime`';
const FIELDS_039 =
  '`rootfs`, `command`, `memory`, `cpus`, `pids`, `networks`, `volumes`, `depends_on`, `health_check`, `health_interval`, `egress_allow`, `egress_domains`, `egress_tcp_ports`, `egress_udp_ports`, `credential_broker`, `credential_broker_no_proxy_env`, `port_forwards`, `environment`, `user`, `group`, `additional_groups`, `secrets`, `dns`, `nat_backend`, `replicas`, `runtime`';

const same = (a: Answer): Record<SupportedVersion, Answer> => ({ '0.3.8': a, '0.3.9': a });

// Transcribed from each file's header comment.
const ANSWERS: Record<string, Record<SupportedVersion, Answer>> = {
  '01-shop-stack.valid.toml': {
    '0.3.8': {
      error: 'valid',
      services: ['api', 'postgres', 'redis', 'worker'],
      order: ['postgres', 'redis', 'api', 'worker'],
      hashes: {
        api: '3122537980255133155',
        postgres: '3218933945216213293',
        redis: '17263650604626238881',
        worker: '8567727074470880022',
      },
    },
    '0.3.9': {
      error: 'valid',
      services: ['api', 'postgres', 'redis', 'worker'],
      order: ['postgres', 'redis', 'api', 'worker'],
      hashes: {
        api: '7974428920603180993',
        postgres: '17339951915902102996',
        redis: '15754188907271948122',
        worker: '9783141959077337164',
      },
    },
  },
  '02-agent-egress.v0.3.9-only.toml': {
    '0.3.8': {
      error: 'parse',
      parseMessage: `unknown field \`egress_domains\`, expected one of ${FIELDS_038}`,
    },
    '0.3.9': { error: 'valid', services: ['fetcher', 'llm-client'], order: ['fetcher', 'llm-client'] },
  },
  '03-invalid-cycle.toml': same({
    error: 'Configuration error: Circular dependency detected among services: ["api", "auth", "web"]',
  }),
  '04-invalid-healthy-without-health-check.toml': same({
    error: "Configuration error: Service 'app' depends on 'db' being healthy, but 'db' has no health_check",
  }),
  '05-invalid-host-path-volume.toml': same({
    error:
      "Configuration error: Service 'web' uses absolute host-path volume mount '/srv/www'; topology configs must reference a named volume instead",
  }),
  '06-invalid-hooks.toml': {
    '0.3.8': { error: 'parse', parseMessage: `unknown field \`hooks\`, expected one of ${FIELDS_038}` },
    '0.3.9': { error: 'parse', parseMessage: `unknown field \`hooks\`, expected one of ${FIELDS_039}` },
  },
  '07-invalid-sensitive-persistent-path.toml': same({
    error:
      "Configuration error: Bind mount source '/home/alice/notes' is under sensitive host path '/home' and cannot be mounted into containers",
  }),
  '08-validates-but-fails-at-up.toml': same({
    error: 'valid',
    services: ['db', 'web'],
    order: ['db', 'web'],
  }),
  '09-invalid-ignored-volume-key.toml': same({
    error: "Configuration error: Ephemeral volume 'data' must not define path",
  }),
  '10-egress-cidr.v0.3.9-error.toml': {
    '0.3.8': {
      error: 'parse',
      parseMessage: `unknown field \`egress_domains\`, expected one of ${FIELDS_038}`,
    },
    '0.3.9': {
      error:
        "Configuration error: Service 'crawler' has invalid egress_allow entry '192.168.001.0/24': Invalid IPv4 address: '192.168.001.0' \u2013 octet '001' has leading zero",
    },
  },
};

describe('spec examples', () => {
  for (const [file, byVersion] of Object.entries(ANSWERS)) {
    for (const version of ['0.3.8', '0.3.9'] as const) {
      it(`${file} under ${version}`, () => {
        const answer = byVersion[version];
        const a = analyzeTopology(read(file), { version });
        if (answer.error === 'valid') assert.equal(a.nucleusError, null);
        else if (answer.error === 'parse') {
          assert.equal(a.nucleusError?.phase, 'parse');
          const lines = (a.nucleusError?.message ?? '').trimEnd().split('\n');
          assert.ok(
            lines[0]?.startsWith('Configuration error: Failed to parse topology: TOML parse error at line '),
          );
          assert.equal(lines[lines.length - 1], answer.parseMessage);
        } else assert.equal(a.nucleusError?.message, answer.error);
        if (answer.services) assert.deepEqual([...(a.topology?.services.keys() ?? [])], answer.services);
        if (answer.order) assert.deepEqual(a.graph?.startupOrder, answer.order);
        if (answer.hashes) assert.deepEqual(Object.fromEntries(a.hashes), answer.hashes);
      });
    }
  }

  it('03: the cycle is flagged on its two edges only, not on the bystander `web`', () => {
    const text = read('03-invalid-cycle.toml');
    const cycles = analyzeTopology(text).issues.filter((i) => i.code === 'dependency-cycle');
    assert.equal(cycles.length, 2);
    for (const c of cycles) {
      assert.match(text.slice(c.span.start, c.span.end), /^"(api|auth)"$/);
      assert.equal(c.related?.length, 1);
    }
  });

  it('05: the alternative destination error would win over the host-path error', () => {
    const text = read('05-invalid-host-path-volume.toml').replace(
      '"/srv/www:/var/www:ro"',
      '"/srv/www:/etc/nginx"',
    );
    assert.equal(
      analyzeTopology(text).nucleusError?.message,
      "Configuration error: Volume destination '/etc/nginx' is reserved for trusted container/runtime paths and cannot be overlaid",
    );
  });

  it('07: the second volume is reported too, with the message Nucleus gives once the first is fixed', () => {
    const issues = analyzeTopology(read('07-invalid-sensitive-persistent-path.toml')).issues;
    const rel = issues.find((i) => i.code === 'persistent-path-not-absolute');
    assert.equal(
      rel?.nucleus?.message,
      "Configuration error: Persistent volume 'uploads' path must be absolute: data/uploads",
    );
  });

  it('08: every latent problem listed in the header is reported, with its Nucleus text', () => {
    for (const version of ['0.3.8', '0.3.9'] as const) {
      const issues = analyzeTopology(read('08-validates-but-fails-at-up.toml'), { version }).issues;
      const byCode = (code: string) => issues.filter((i) => i.code === code);
      const messages: [string, string][] = [
        ['invalid-memory', 'Invalid resource limit: Invalid memory value: 1.5G'],
        [
          'bridge-without-dns',
          'Configuration error: Production mode with bridge networking requires explicit --dns servers',
        ],
        [
          'unsafe-health-check-waited',
          "Configuration error: Health check command contains unsafe character '&' (code point U+0026): pg_isready -h 127.0.0.1 && test -f /tmp/ready",
        ],
        [
          'additional-groups-unsupported',
          'Configuration error: Supplementary groups are currently unsupported with user namespaces',
        ],
        ['invalid-tmpfs-size', "Invalid tmpfs format '/cache:1.5G:ro', expected DEST[:SIZE][:ro|rw]"],
      ];
      for (const [code, message] of messages) assert.equal(byCode(code)[0]?.nucleus?.message, message, code);
      for (const code of [
        'port-forwards-without-network',
        'egress-without-network', // web's egress_tcp_ports: web has no networks at all
        'owner-on-ephemeral-volume',
        'replicas-unused',
        'native-runtime-uses-gvisor',
        'rootfs-attestation-missing',
      ]) {
        assert.equal(byCode(code).length, 1, code);
      }
    }
  });

  it('09: the ignored `type` key is a warning with a `volume_type` suggestion', () => {
    const issues = analyzeTopology(read('09-invalid-ignored-volume-key.toml')).issues;
    const type = issues.find((i) => i.code === 'ignored-key' && i.data?.name === 'type');
    assert.deepEqual(type?.data?.suggestions?.[0], 'volume_type');
    assert.deepEqual(type?.tags, ['unnecessary']);
    assert.equal(type?.severity, 'warning');
  });

  it('10 under 0.3.8 without egress_domains: validate passes and the CIDR is an up-time error', () => {
    const text = read('10-egress-cidr.v0.3.9-error.toml').replace(/^egress_domains = .*$/m, '');
    const a = analyzeTopology(text, { version: '0.3.8' });
    assert.equal(a.nucleusError, null);
    const cidr = a.issues.find((i) => i.code === 'invalid-egress-cidr');
    assert.equal(cidr?.nucleus?.phase, 'up');
  });
});
