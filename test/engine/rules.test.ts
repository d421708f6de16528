// One test per rule of the catalog: a small file with ⟦…⟧ around the range the issue must cover, its code,
// severity, and (where Nucleus prints one) the exact Nucleus message.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeTopology,
  ruleCatalog,
  type Issue,
  type Severity,
  type SupportedVersion,
} from '@nucleus-topology/engine';
import { marked } from './markers.ts';

const BASE = 'rootfs = "/nix/store/x"\ncommand = ["/bin/x"]\nmemory = "1G"\n';
const svc = (name: string, extra = '') => `[services.${name}]\n${BASE}${extra}`;
const file = (body: string, name = '"t"') => `name = ${name}\n${body}`;

interface Case {
  code: string;
  severity: Severity;
  template: string;
  version?: SupportedVersion;
  nucleus?: string;
  phase?: string;
  /** Extra assertions on the issue. */
  check?: (issue: Issue, text: string) => void;
}

const CASES: Case[] = [
  // parse
  {
    code: 'toml-syntax',
    severity: 'error',
    template: file('[services.we⟦b⟧\nrootfs = "/r"\n'),
    nucleus: 'unclosed table, expected `]`',
  },
  {
    code: 'missing-field',
    severity: 'error',
    template: file('⟦[services.web]⟧\ncommand = []\nmemory = "1G"\n'),
    nucleus: 'missing field `rootfs`',
  },
  {
    code: 'invalid-type',
    severity: 'error',
    template: file('[services.web]\nrootfs = "/nix/store/x"\ncommand = ["/bin/x"]\nmemory = ⟦512⟧\n'),
    nucleus: 'invalid type: integer `512`, expected a string',
  },
  {
    code: 'invalid-value',
    severity: 'error',
    template: file(svc('web', 'pids = ⟦-1⟧\n')),
    nucleus: 'invalid value: integer `-1`, expected u64',
  },
  {
    code: 'unknown-variant',
    severity: 'error',
    template: file(svc('web', 'nat_backend = ⟦"fast"⟧\n')),
    nucleus: 'unknown variant `fast`, expected one of `auto`, `kernel`, `userspace`',
  },
  {
    code: 'number-overflow',
    severity: 'error',
    template: file(svc('web', 'cpus = ⟦1e400⟧\n')),
    nucleus: 'floating-point number overflowed',
  },
  {
    code: 'unknown-service-key',
    severity: 'error',
    template: file(svc('web', '⟦image⟧ = "nginx"\n')),
    check: (i) => assert.deepEqual(i.data?.suggestions, ['rootfs']),
  },
  {
    code: 'newer-version-key',
    severity: 'error',
    version: '0.3.8',
    template: file(svc('web', '⟦egress_domains⟧ = []\n')),
  },
  { code: 'removed-hooks', severity: 'error', template: file(svc('web', '⟦hooks⟧ = {}\n')) },
  {
    code: 'ignored-key',
    severity: 'warning',
    template: file(`[volumes.v]\n⟦type⟧ = "persistent"\n${svc('web', 'volumes = ["v:/srv"]\n')}`),
  },
  // validate
  {
    code: 'empty-topology-name',
    severity: 'error',
    template: file(svc('web'), '⟦""⟧'),
    nucleus: 'Configuration error: Topology name cannot be empty',
  },
  {
    code: 'invalid-topology-name',
    severity: 'error',
    template: file(svc('web'), '⟦"my/app"⟧'),
    nucleus:
      "Configuration error: Topology name 'my/app' contains invalid characters (allowed: a-zA-Z0-9, '-', '_', '.')",
  },
  {
    code: 'invalid-service-name',
    severity: 'error',
    template: file(`[services.⟦"web server"⟧]\n${BASE}`),
    nucleus:
      "Configuration error: Service name 'web server' contains invalid characters (allowed: a-zA-Z0-9, '-', '_', '.')",
  },
  {
    code: 'no-services',
    severity: 'error',
    template: file('⟦[services]⟧\n'),
    nucleus: 'Configuration error: Topology must have at least one service',
  },
  {
    code: 'persistent-volume-without-path',
    severity: 'error',
    template: file(
      `[volumes.data]\nvolume_type = ⟦"persistent"⟧\n${svc('web', 'volumes = ["data:/srv"]\n')}`,
    ),
    nucleus: "Configuration error: Persistent volume 'data' must define path",
  },
  {
    code: 'persistent-path-not-absolute',
    severity: 'error',
    template: file(
      `[volumes.data]\nvolume_type = "persistent"\npath = ⟦"data"⟧\n${svc('web', 'volumes = ["data:/srv"]\n')}`,
    ),
    nucleus: "Configuration error: Persistent volume 'data' path must be absolute: data",
  },
  {
    code: 'sensitive-host-path',
    severity: 'error',
    template: file(
      `[volumes.data]\nvolume_type = "persistent"\npath = ⟦"/var/lib/../../etc/x"⟧\n${svc('web', 'volumes = ["data:/srv"]\n')}`,
    ),
    nucleus:
      "Configuration error: Bind mount source '/etc/x' is under sensitive host path '/etc' and cannot be mounted into containers",
  },
  {
    code: 'ephemeral-volume-with-path',
    severity: 'error',
    template: file(`[volumes.data]\n⟦path⟧ = "/srv/data"\n${svc('web', 'volumes = ["data:/srv"]\n')}`),
    nucleus: "Configuration error: Ephemeral volume 'data' must not define path",
  },
  {
    code: 'unsupported-volume-type',
    severity: 'error',
    template: file(`[volumes.data]\nvolume_type = ⟦"tmpfs"⟧\n${svc('web', 'volumes = ["data:/srv"]\n')}`),
    nucleus: "Configuration error: Volume 'data' has unsupported type 'tmpfs'",
  },
  {
    code: 'invalid-volume-owner',
    severity: 'error',
    template: file(
      `[volumes.data]\nvolume_type = "persistent"\npath = "/srv/d"\nowner = ⟦"70:-1"⟧\n${svc('web', 'volumes = ["data:/srv"]\n')}`,
    ),
    nucleus: "Configuration error: Invalid volume owner GID '-1' in '70:-1': invalid digit found in string",
  },
  {
    code: 'unknown-dependency',
    severity: 'error',
    template: file(svc('web', 'depends_on = [{ service = ⟦"dbb"⟧ }]\n') + svc('db')),
    nucleus: "Configuration error: Service 'web' depends on unknown service 'dbb'",
    check: (i) => assert.deepEqual(i.data?.suggestions, ['db']),
  },
  {
    code: 'invalid-dependency-condition',
    severity: 'error',
    template: file(
      svc('db', 'health_check = "x"\n') +
        svc('web', '[[services.web.depends_on]]\nservice = "db"\ncondition = ⟦"Healthy"⟧\n'),
    ),
    nucleus: "Configuration error: Invalid dependency condition 'Healthy' for service 'web'",
    check: (i) => assert.deepEqual(i.data?.suggestions, ['"healthy"']),
  },
  {
    code: 'healthy-without-health-check',
    severity: 'error',
    template: file(svc('db') + svc('web', 'depends_on = [{ service = "db", condition = ⟦"healthy"⟧ }]\n')),
    nucleus: "Configuration error: Service 'web' depends on 'db' being healthy, but 'db' has no health_check",
    check: (i, text) => {
      assert.equal(i.related?.length, 1);
      const r = i.related?.[0]?.span;
      assert.equal(r && text.slice(r.start, r.end), '[services.db]');
    },
  },
  {
    code: 'unknown-network',
    severity: 'error',
    template: file(`[networks.net]\n${svc('web', 'dns = ["1.1.1.1"]\nnetworks = [⟦"nett"⟧]\n')}`),
    nucleus: "Configuration error: Service 'web' references unknown network 'nett'",
    check: (i) => assert.deepEqual(i.data?.suggestions, ['net']),
  },
  {
    code: 'invalid-volume-mount',
    severity: 'error',
    template: file(`[volumes.data]\n${svc('web', 'volumes = [⟦"data:/srv:ro:x"⟧]\n')}`),
    nucleus: "Configuration error: Invalid volume mount 'data:/srv:ro:x', expected VOLUME:DEST[:ro|rw]",
  },
  {
    code: 'invalid-mount-destination',
    severity: 'error',
    template: file(`[volumes.data]\n${svc('web', 'volumes = [⟦"data:/usr/local/share"⟧]\n')}`),
    nucleus:
      "Configuration error: Volume destination '/usr/local/share' is reserved for trusted container/runtime paths and cannot be overlaid",
  },
  {
    code: 'host-path-volume-mount',
    severity: 'error',
    template: file(svc('web', 'volumes = [⟦"/host/path:/srv"⟧]\n')),
    nucleus:
      "Configuration error: Service 'web' uses absolute host-path volume mount '/host/path'; topology configs must reference a named volume instead",
  },
  {
    code: 'unknown-volume',
    severity: 'error',
    template: file(`[volumes.dta]\n${svc('web', 'volumes = [⟦"data:/srv"⟧]\n')}`),
    nucleus: "Configuration error: Service 'web' references unknown volume 'data'",
    check: (i, text) => {
      const r = i.related?.[0]?.span;
      assert.equal(r && text.slice(r.start, r.end), 'dta', 'related: the declared volumes');
      assert.deepEqual(i.data?.suggestions, ['dta']);
    },
  },
  {
    code: 'invalid-egress-cidr',
    severity: 'error',
    version: '0.3.9',
    template: file(svc('web', 'egress_allow = [⟦"10.0.0.0"⟧]\n')),
    nucleus:
      "Configuration error: Service 'web' has invalid egress_allow entry '10.0.0.0': Invalid CIDR (missing /prefix): '10.0.0.0'",
    phase: 'validate',
  },
  {
    code: 'invalid-egress-cidr',
    severity: 'error',
    version: '0.3.8',
    template: file(
      `[networks.n]\n${svc('web', 'networks = ["n"]\ndns = ["1.1.1.1"]\negress_allow = [⟦"10.0.0.0/33"⟧]\n')}`,
    ),
    phase: 'up',
  },
  {
    code: 'invalid-egress-domain',
    severity: 'error',
    version: '0.3.9',
    template: file(svc('web', 'egress_domains = [⟦"*.example.com"⟧]\n')),
    nucleus:
      "Configuration error: Service 'web' has invalid egress_domains entry '*.example.com': Egress domain '*.example.com' contains invalid characters",
  },
  {
    code: 'invalid-credential-broker',
    severity: 'error',
    version: '0.3.9',
    template: file(
      `[networks.n]\n${svc('web', 'networks = ["n"]\ncredential_broker = ⟦"10.42.0.9:8080"⟧\n')}`,
    ),
    nucleus:
      "Configuration error: Service 'web' has invalid credential_broker '10.42.0.9:8080': Credential broker IP must be the host-side bridge address 10.42.0.1 for subnet 10.42.0.0/24, got 10.42.0.9",
  },
  {
    code: 'credential-broker-without-network',
    severity: 'error',
    version: '0.3.9',
    template: file(svc('web', 'credential_broker = ⟦"10.42.0.1:8080"⟧\n')),
    nucleus: "Configuration error: Service 'web' uses credential_broker but has no bridge network",
  },
  {
    code: 'credential-broker-with-egress',
    severity: 'error',
    version: '0.3.9',
    template: file(
      `[networks.n]\nsubnet = "10.0.42.0/24"\n${svc('web', 'networks = ["n"]\ncredential_broker = "10.0.42.1:8080"\n⟦egress_tcp_ports⟧ = [443]\n')}`,
    ),
    nucleus: "Configuration error: Service 'web' cannot combine credential_broker with raw egress allowlists",
  },
  {
    code: 'no-proxy-env-without-broker',
    severity: 'error',
    version: '0.3.9',
    template: file(svc('web', 'credential_broker_no_proxy_env = ⟦true⟧\n')),
    nucleus:
      "Configuration error: Service 'web' sets credential_broker_no_proxy_env without credential_broker",
  },
  // graph
  {
    code: 'dependency-cycle',
    severity: 'error',
    template: file(
      svc('a', 'depends_on = [{ service = ⟦"b"⟧ }]\n') +
        svc('b', 'depends_on = [{ service = "a" }]\n') +
        svc('c', 'depends_on = [{ service = "a" }]\n'),
    ),
    nucleus: 'Configuration error: Circular dependency detected among services: ["a", "b", "c"]',
    phase: 'graph',
    check: (i, text) => {
      assert.equal(i.related?.length, 1, 'the other edge only, never the bystander c');
      const r = i.related?.[0]?.span;
      assert.equal(r && text.slice(r.start, r.end), '"a"');
    },
  },
  // up
  {
    code: 'container-name-too-long',
    severity: 'error',
    template: file(`[services.⟦${'s'.repeat(127)}⟧]\n${BASE}`),
    nucleus: 'Invalid container name: must be 1-128 characters',
  },
  {
    code: 'empty-command',
    severity: 'error',
    template: file('[services.web]\nrootfs = "/nix/store/x"\ncommand = ⟦[]⟧\nmemory = "1G"\n'),
  },
  {
    code: 'invalid-memory',
    severity: 'error',
    template: file('[services.web]\nrootfs = "/nix/store/x"\ncommand = ["/bin/x"]\nmemory = ⟦"512MB"⟧\n'),
    nucleus: 'Invalid resource limit: Invalid memory value: 512MB',
  },
  {
    code: 'invalid-cpus',
    severity: 'error',
    template: file(svc('web', 'cpus = ⟦0⟧\n')),
    nucleus: 'Invalid resource limit: CPU cores must be a finite positive number',
  },
  {
    code: 'bridge-without-dns',
    severity: 'error',
    template: file(`[networks.n]\n${svc('web', '⟦networks⟧ = ["n"]\n')}`),
    nucleus: 'Configuration error: Production mode with bridge networking requires explicit --dns servers',
  },
  {
    code: 'invalid-port-forward',
    severity: 'error',
    template: file(
      `[networks.n]\n${svc('web', 'networks = ["n"]\ndns = ["1.1.1.1"]\nport_forwards = [⟦"127.0.0.01:80:80"⟧]\n')}`,
    ),
    nucleus: "Invalid IPv4 address: '127.0.0.01' \u2013 octet '01' has leading zero",
  },
  {
    code: 'port-forwards-without-network',
    severity: 'warning',
    template: file(svc('web', '⟦port_forwards⟧ = ["8080:80"]\n')),
  },
  {
    code: 'egress-without-network',
    severity: 'warning',
    template: file(svc('web', '⟦egress_allow⟧ = ["1.1.1.1/32"]\n')),
  },
  {
    code: 'egress-ports-without-allowlist',
    severity: 'warning',
    template: file(
      `[networks.n]\n${svc('web', 'networks = ["n"]\ndns = ["1.1.1.1"]\n⟦egress_tcp_ports⟧ = [443]\n')}`,
    ),
  },
  {
    code: 'invalid-dns',
    severity: 'error',
    template: file(`[networks.n]\n${svc('web', 'networks = ["n"]\ndns = [⟦"1.1.1"⟧]\n')}`),
    nucleus: "Network error: Invalid IPv4 address: '1.1.1'",
  },
  {
    code: 'invalid-tmpfs-size',
    severity: 'error',
    template: file(`[volumes.tmp]\nsize = ⟦"1T"⟧\n${svc('web', 'volumes = ["tmp:/cache"]\n')}`),
    nucleus: "Invalid tmpfs size value '1T': only digits with optional K/M/G suffix allowed",
  },
  {
    code: 'volume-size-ignored',
    severity: 'warning',
    template: file(
      `[volumes.d]\nvolume_type = "persistent"\npath = "/srv/d"\n⟦size⟧ = "1G"\n${svc('web', 'volumes = ["d:/srv"]\n')}`,
    ),
  },
  {
    code: 'owner-on-ephemeral-volume',
    severity: 'warning',
    template: file(`[volumes.tmp]\n⟦owner⟧ = "1:1"\n${svc('web', 'volumes = ["tmp:/cache"]\n')}`),
  },
  {
    code: 'ephemeral-volume-non-root-user',
    severity: 'warning',
    template: file(
      `[volumes.tmp]\n${svc('web', 'user = "1000"\ngroup = "1000"\nvolumes = [⟦"tmp:/cache"⟧]\n')}`,
    ),
  },
  {
    code: 'persistent-path-with-colon',
    severity: 'error',
    template: file(
      `[volumes.d]\nvolume_type = "persistent"\npath = ⟦"/srv/a:b"⟧\n${svc('web', 'volumes = ["d:/srv"]\n')}`,
    ),
  },
  {
    code: 'invalid-secret',
    severity: 'error',
    template: file(svc('web', 'secrets = [⟦"no-colon"⟧]\n')),
    nucleus: "Invalid secret format 'no-colon', expected SOURCE:DEST",
  },
  {
    code: 'relative-secret-source',
    severity: 'warning',
    template: file(svc('web', 'secrets = [⟦"keys/token:/run/secrets/token"⟧]\n')),
  },
  {
    code: 'additional-groups-unsupported',
    severity: 'error',
    template: file(svc('web', 'user = "1000"\ngroup = "1000"\nadditional_groups = ⟦["video"]⟧\n')),
    nucleus: 'Configuration error: Supplementary groups are currently unsupported with user namespaces',
  },
  {
    code: 'group-without-user',
    severity: 'error',
    template: file(svc('web', '⟦group⟧ = "1000"\n')),
    nucleus: 'Configuration error: --group/--additional-group require --user to be set as well',
  },
  {
    code: 'numeric-user-without-group',
    severity: 'error',
    template: file(svc('web', 'user = ⟦"1000"⟧\n')),
    nucleus: 'Configuration error: Numeric --user values require an explicit --group',
  },
  {
    code: 'unmapped-user-id',
    severity: 'error',
    template: file(svc('web', 'user = ⟦"70000"⟧\ngroup = "100"\n')),
    nucleus: 'Configuration error: Process uid 70000 is not mapped in the configured user namespace',
  },
  { code: 'identity-starts-with-dash', severity: 'error', template: file(svc('web', 'user = ⟦"-x"⟧\n')) },
  {
    code: 'host-identity-lookup',
    severity: 'information',
    template: file(svc('web', 'user = ⟦"www-data"⟧\n')),
  },
  {
    code: 'unsafe-health-check-waited',
    severity: 'error',
    template: file(
      svc('db', 'health_check = "pg_isready ⟦&⟧& test -f /x"\n') +
        svc('web', 'depends_on = [{ service = "db", condition = "healthy" }]\n'),
    ),
    nucleus:
      "Configuration error: Health check command contains unsafe character '&' (code point U+0026): pg_isready && test -f /x",
  },
  {
    code: 'unsafe-health-check',
    severity: 'information',
    template: file(svc('db', 'health_check = "curl -f http://x ⟦|⟧| exit 1"\n')),
    nucleus:
      "Configuration error: Health check command contains unsafe character '|' (code point U+007C): curl -f http://x || exit 1",
  },
  {
    code: 'unknown-runtime',
    severity: 'warning',
    template: file(svc('web', 'runtime = ⟦"gvisr"⟧\n')),
    check: (i) => assert.deepEqual(i.data?.suggestions, ['"gvisor"']),
  },
  {
    code: 'native-runtime-uses-gvisor',
    severity: 'information',
    template: file(svc('web', 'runtime = ⟦"native"⟧\n')),
  },
  { code: 'replicas-unused', severity: 'information', template: file(svc('web', 'replicas = ⟦3⟧\n')) },
  {
    code: 'network-setting-unused',
    severity: 'information',
    template: file(`[networks.n]\nencrypted = ⟦true⟧\n${svc('web')}`),
  },
  {
    code: 'broker-subnet-mismatch',
    severity: 'error',
    version: '0.3.9',
    template: file(
      `[networks.n]\n${svc('web', 'networks = ["n"]\nnat_backend = "kernel"\ncredential_broker = ⟦"10.42.0.1:8080"⟧\n')}`,
    ),
    nucleus:
      'Configuration error: Credential broker IP must be the host-side bridge address 10.0.42.1 for subnet 10.0.42.0/24, got 10.42.0.1',
  },
  {
    code: 'broker-userspace-nat',
    severity: 'error',
    version: '0.3.9',
    template: file(
      `[networks.n]\nsubnet = "10.0.42.0/24"\n${svc('web', 'networks = ["n"]\nnat_backend = ⟦"userspace"⟧\ncredential_broker = "10.0.42.1:8080"\n')}`,
    ),
  },
  {
    code: 'blocked-environment-variable',
    severity: 'error',
    template: file(svc('web', 'environment = { ⟦LD_PRELOAD⟧ = "/x.so" }\n')),
    nucleus:
      "Environment variable 'LD_PRELOAD' is blocked (dynamic linker injection risk). This restriction applies in all modes.",
  },
  {
    code: 'invalid-environment-key',
    severity: 'error',
    version: '0.3.9',
    template: file(svc('web', '[services.web.environment]\n⟦1BAD⟧ = "x"\n')),
    nucleus: "Invalid env var key '1BAD'",
  },
  {
    code: 'environment-key-resplit',
    severity: 'warning',
    version: '0.3.8',
    template: file(svc('web', '[services.web.environment]\n⟦"A=B"⟧ = "c"\n')),
  },
  {
    code: 'rootfs-not-in-nix-store',
    severity: 'error',
    template: file('[services.web]\nrootfs = ⟦"/opt/app"⟧\ncommand = ["/bin/x"]\nmemory = "1G"\n'),
  },
  {
    code: 'rootfs-attestation-missing',
    severity: 'warning',
    template: file(svc('web'), '⟦"t"⟧'),
    nucleus: 'Production mode requires --verify-rootfs-attestation',
  },
  { code: 'unused-volume', severity: 'hint', template: file(`[volumes.⟦data⟧]\n${svc('web')}`) },
];

describe('rules: one test per catalog rule', () => {
  for (const c of CASES) {
    it(`${c.code}${c.version ? ` (${c.version})` : ''}`, () => {
      const m = marked(c.template);
      const a = analyzeTopology(m.text, { version: c.version ?? '0.3.9' });
      const found = a.issues.filter((i) => i.code === c.code);
      assert.ok(found.length > 0, `no ${c.code} issue; got ${a.issues.map((i) => i.code).join(', ')}`);
      const issue = found.find((i) => i.span.start === m.span.start && i.span.end === m.span.end);
      assert.ok(
        issue,
        `${c.code} at ${JSON.stringify(m.text.slice(m.span.start, m.span.end))}; got ${found
          .map((i) => JSON.stringify(m.text.slice(i.span.start, i.span.end)))
          .join(', ')}`,
      );
      assert.equal(issue.severity, c.severity);
      if (c.nucleus !== undefined) assert.equal(issue.nucleus?.message, c.nucleus);
      if (c.phase !== undefined) assert.equal(issue.nucleus?.phase, c.phase);
      assert.ok(issue.message.length > 20);
      c.check?.(issue, m.text);
    });
  }

  it('every catalog rule has a test case, and every code used is in the catalog', () => {
    const tested = new Set(CASES.map((c) => c.code));
    const missing = ruleCatalog()
      .map((r) => r.code)
      .filter((code) => !tested.has(code));
    assert.deepEqual(missing, []);
  });

  it('catalog entries are complete and kebab-case', () => {
    for (const r of ruleCatalog()) {
      assert.match(r.code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(r.title.length > 3 && r.doc.length > 20, r.code);
    }
  });
});

describe('rules: validate order (the first violation is what Nucleus prints)', () => {
  it('names before "no services"; volumes before services; S1 before S2 before S3', () => {
    const text = file(
      `[volumes.v]\nvolume_type = "bogus"\n${svc('web', 'depends_on = [{ service = "nope" }]\nnetworks = ["x"]\nvolumes = ["missing:/srv"]\n')}`,
    );
    const a = analyzeTopology(text);
    assert.deepEqual(
      a.violations.map((v) => v.issue.code),
      ['unsupported-volume-type', 'unknown-dependency', 'unknown-network', 'unknown-volume'],
    );
    assert.equal(a.nucleusError?.message, "Configuration error: Volume 'v' has unsupported type 'bogus'");
  });

  it('one issue per distinct unsafe health-check character, each at its first occurrence (escapes mapped to the source)', () => {
    const m = marked(
      file(
        svc('db', 'health_check = "a⟦\\t⟧b ⟦$⟧x $y ⟦é⟧"\n') +
          svc('web', 'depends_on = [{ service = "db", condition = "healthy" }]\n'),
      ),
    );
    const issues = analyzeTopology(m.text).issues.filter((i) => i.code === 'unsafe-health-check-waited');
    assert.deepEqual(
      issues.map((i) => i.span),
      m.spans,
    );
    assert.equal(
      issues[0]?.nucleus?.message,
      "Configuration error: Health check command contains unsafe character '\\t' (code point U+0009): a\tb $x $y é",
    );
    assert.match(issues[2]?.nucleus?.message ?? '', /'\\u\{e9\}' \(code point U\+00E9\)/);
  });

  it('failed fields do not produce follow-up issues', () => {
    const a = analyzeTopology(
      file('[services.web]\nrootfs = "/nix/store/x"\ncommand = "x"\nmemory = "1G"\n'),
    );
    assert.deepEqual(
      a.issues.filter((i) => i.severity === 'error').map((i) => i.code),
      ['invalid-type'],
    );
  });
});

describe('value grammars: Nucleus messages through their rules', () => {
  const net = '[networks.n]\nsubnet = "10.0.42.0/24"\n';
  const bridged = (extra: string) =>
    file(net + svc('web', `networks = ["n"]\ndns = ["10.0.42.1"]\n${extra}`));
  const message = (text: string, code: string, version: SupportedVersion = '0.3.9') =>
    analyzeTopology(text, { version }).issues.find((i) => i.code === code)?.nucleus?.message;
  const cases: [string, string, string, SupportedVersion?][] = [
    [
      bridged('memory2 = 1\n').replace('memory = "1G"', 'memory = "1.5G"').replace('memory2 = 1\n', ''),
      'invalid-memory',
      'Invalid resource limit: Invalid memory value: 1.5G',
    ],
    [
      bridged('').replace('memory = "1G"', 'memory = "16777216T"'),
      'invalid-memory',
      'Invalid resource limit: Memory value overflows u64: 16777216T',
    ],
    [
      bridged('').replace('memory = "1G"', 'memory = "  "'),
      'invalid-memory',
      'Invalid resource limit: Empty memory limit',
    ],
    [bridged('cpus = 65537\n'), 'invalid-cpus', 'Invalid resource limit: CPU cores must be <= 65536'],
    [
      bridged('cpus = nan\n'),
      'invalid-cpus',
      'Invalid resource limit: CPU cores must be a finite positive number',
    ],
    [
      bridged('port_forwards = ["80:80/sctp"]\n'),
      'invalid-port-forward',
      "Invalid protocol 'sctp', must be tcp or udp",
    ],
    [
      bridged('port_forwards = ["1:2:3:4"]\n'),
      'invalid-port-forward',
      "Invalid port forward format '1:2:3:4', expected HOST:CONTAINER or HOST_IP:HOST:CONTAINER",
    ],
    [bridged('port_forwards = ["70000:80"]\n'), 'invalid-port-forward', 'Invalid host port: 70000'],
    [bridged('port_forwards = ["80:x/udp"]\n'), 'invalid-port-forward', 'Invalid container port: x'],
    [
      bridged('egress_allow = ["10.0.0.0/x"]\n'),
      'invalid-egress-cidr',
      "Configuration error: Service 'web' has invalid egress_allow entry '10.0.0.0/x': Invalid CIDR prefix: '10.0.0.0/x'",
    ],
    [
      bridged('egress_allow = ["10.0.0.0/33"]\n'),
      'invalid-egress-cidr',
      "Configuration error: Service 'web' has invalid egress_allow entry '10.0.0.0/33': CIDR prefix must be 0-32, got 33",
    ],
    [
      bridged('egress_allow = ["256.0.0.0/8"]\n'),
      'invalid-egress-cidr',
      "Configuration error: Service 'web' has invalid egress_allow entry '256.0.0.0/8': Invalid IPv4 address: '256.0.0.0'",
    ],
    [
      bridged('egress_domains = ["localhost"]\n'),
      'invalid-egress-domain',
      "Configuration error: Service 'web' has invalid egress_domains entry 'localhost': Egress domain 'localhost' must be a fully-qualified name with at least one dot",
    ],
    [
      bridged('egress_domains = ["10.0.0.1"]\n'),
      'invalid-egress-domain',
      "Configuration error: Service 'web' has invalid egress_domains entry '10.0.0.1': Egress domain '10.0.0.1' is an IP address; use --egress-allow with a CIDR",
    ],
    [
      bridged('egress_domains = ["a..b"]\n'),
      'invalid-egress-domain',
      "Configuration error: Service 'web' has invalid egress_domains entry 'a..b': Egress domain 'a..b' contains an empty label",
    ],
    [
      bridged('egress_domains = ["-a.b"]\n'),
      'invalid-egress-domain',
      "Configuration error: Service 'web' has invalid egress_domains entry '-a.b': Egress domain '-a.b' contains a label starting or ending with '-'",
    ],
    [
      bridged('egress_domains = ["."]\n'),
      'invalid-egress-domain',
      "Configuration error: Service 'web' has invalid egress_domains entry '.': Egress domain cannot be only '.'",
    ],
    [
      bridged('credential_broker = "127.0.0.1:80"\n'),
      'invalid-credential-broker',
      "Configuration error: Service 'web' has invalid credential_broker '127.0.0.1:80': Credential broker IP must be reachable on the bridge, not container loopback",
    ],
    [
      bridged('credential_broker = "10.0.42.1:0"\n'),
      'invalid-credential-broker',
      "Configuration error: Service 'web' has invalid credential_broker '10.0.42.1:0': Credential broker port must be non-zero",
    ],
    [
      bridged('credential_broker = "224.0.0.1:80"\n'),
      'invalid-credential-broker',
      "Configuration error: Service 'web' has invalid credential_broker '224.0.0.1:80': Credential broker IP must be a unicast IPv4 address",
    ],
    [
      bridged('credential_broker = "0.0.0.0:80"\n'),
      'invalid-credential-broker',
      "Configuration error: Service 'web' has invalid credential_broker '0.0.0.0:80': Credential broker IP must not be 0.0.0.0",
    ],
    [
      bridged('credential_broker = "host:80"\n'),
      'invalid-credential-broker',
      "Configuration error: Service 'web' has invalid credential_broker 'host:80': Invalid credential broker endpoint 'host:80', expected IPv4:PORT",
    ],
    [
      file(`[volumes.t]\nsize = "64MiB"\n${svc('web', 'volumes = ["t:/c"]\n')}`),
      'invalid-tmpfs-size',
      "Invalid tmpfs size value '64MiB': only digits with optional K/M/G suffix allowed",
    ],
    [
      file(`[volumes.t]\nsize = "50%"\n${svc('web', 'volumes = ["t:/c"]\n')}`),
      'invalid-tmpfs-size',
      "Invalid tmpfs second field '50%' in '/c:50%': expected a size (e.g. 64M) or mode (ro|rw)",
    ],
    [
      file(svc('web', 'secrets = ["/k:relative"]\n')),
      'invalid-secret',
      'Container destination must be absolute: "relative"',
    ],
    [
      file(svc('web', 'secrets = ["/k:/run/../x"]\n')),
      'invalid-secret',
      'Container destination must not contain parent traversal: "/run/../x"',
    ],
    [
      file(svc('web', 'environment = { "MY-VAR" = "c" }\n')),
      'invalid-environment-key',
      "Invalid env var key 'MY-VAR'",
      '0.3.9',
    ],
    [
      file(svc('web', 'environment = { "" = "c" }\n')),
      'invalid-environment-key',
      "Invalid env var key ''",
      '0.3.9',
    ],
    [
      file(svc('web', 'environment = { "LD_AUDIT=x" = "c" }\n')),
      'blocked-environment-variable',
      "Environment variable 'LD_AUDIT' is blocked (dynamic linker injection risk). This restriction applies in all modes.",
      '0.3.8',
    ],
  ];
  for (const [text, code, expected, version] of cases) {
    it(`${code}: ${expected.slice(0, 70)}`, () =>
      assert.equal(message(text, code, version ?? '0.3.9'), expected));
  }
});
