// Conformance gap audit "names": plausible stand-ins for the hidden cases 003…048 (every third number; top-level
// keys, names, dependencies, volume mounts, persistent paths, volume types and owners), run through
// `inspect --json` and checked field by field against what Nucleus 0.3.8 answers per the spec (§1.2–1.8, §2.2,
// §2.4, §5.3) and the neighbouring real vectors.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCreateHead, inspectText } from './markers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'conformance');
const CE = 'Configuration error: ';
const RESERVED = 'is reserved for trusted container/runtime paths and cannot be overlaid';
const NAME_CHARS = "contains invalid characters (allowed: a-zA-Z0-9, '-', '_', '.')";

type Json = Record<string, unknown>;

function vector(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, 'expected', `${name}.json`), 'utf8')) as Json;
}

/** The hash Nucleus gave a service of a real vector: a variant with the same ServiceDef must hash the same. */
function hashOf(vectorName: string, service: string): string {
  return (vector(vectorName)['hashes'] as Record<string, string>)[service] as string;
}

const MINIMAL_WEB = 'rootfs = "/nix/store/web"\ncommand = ["/bin/run"]\nmemory = "256M"\n';

function svc(name: string, extra = ''): string {
  return `\n[services.${name}]\nrootfs = "/nix/store/${name.replace(/"/g, '')}"\ncommand = ["/bin/run"]\nmemory = "256M"\n${extra}`;
}

/** `name = "t"`, one `[volumes.data]` with `volumeBody`, and service web mounting `mounts`. */
function withVolume(volumeBody: string, mounts: string[] = ['data:/srv/data']): string {
  return `name = "t"\n\n[volumes.data]\n${volumeBody}\n\n[services.web]\n${MINIMAL_WEB}volumes = ${JSON.stringify(mounts)}\n`;
}

/** §5.3 for a service with no networks, dns, egress, env, identity or health check: only the volume flags vary. */
function args(hash: string, container: string, rootfs: string, volumeFlags: string[] = []): string[] {
  return [...defaultCreateHead(hash, container, rootfs), ...volumeFlags, '--sd-notify', '--', '/bin/run'];
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaps-names-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const inspect = (text: string) => inspectText<Json>(dir, text);

async function validateError(text: string): Promise<unknown> {
  const { out } = await inspect(text);
  assert.equal(out['parse'], 'ok');
  return out['validate'] === 'ok' ? 'ok' : (out['validate'] as { error: string }).error;
}

function runArgsOf(out: Json, service = 'web'): unknown {
  return (out['run_args'] as Record<string, unknown>)[service];
}

describe('003: top-level keys (§1.2, §1.1)', () => {
  for (const [label, text] of [
    ['name missing', `[services.web]\n${MINIMAL_WEB}`],
    // serde reports missing fields in declaration order: `name` before `services`.
    ['empty file', ''],
    ['comment only', '# nothing\n'],
  ] as const) {
    it(`${label}: parse fails with missing field \`name\`, every other field null`, async () => {
      const { code, out } = await inspect(text);
      const parse = out['parse'] as { error: string };
      assert.ok(
        parse.error.startsWith(`${CE}Failed to parse topology: TOML parse error at line 1, column 1\n`),
      );
      assert.equal(parse.error.trimEnd().split('\n').at(-1), 'missing field `name`');
      for (const field of ['validate', 'graph', 'services', 'hashes', 'run_args', 'post_start_wait']) {
        assert.equal(out[field], null, field);
      }
      assert.equal(code, 1);
    });
  }

  it('name = 1: invalid type, expected a string', async () => {
    const { out } = await inspect(`name = 1\n[services.web]\n${MINIMAL_WEB}`);
    assert.equal(
      (out['parse'] as { error: string }).error.trimEnd().split('\n').at(-1),
      'invalid type: integer `1`, expected a string',
    );
  });

  it('case 002 rewritten (keys reversed, inline/dotted tables, integer cpus) answers exactly like 002', async () => {
    // Field order is irrelevant to serde, `cpus = 2` is 2.0 (§1.5 row 4) and the hash JSON is in struct order (§4).
    const text = `name = "myapp"
[services.worker]
depends_on = [{ service = "postgres" }, { condition = "started", service = "web" }]
memory = '1G'
command = ["/bin/worker"]
rootfs = "/nix/store/abc-worker"

[services.web]
runtime = "gvisor"
replicas = 3
additional_groups = ["video", "2000"]
group = "1000"
user = "1000"
secrets = ["/run/keys/web-token:/run/secrets/token", "/run/keys/tls.pem:/run/secrets/tls.pem"]
dns = ["10.42.0.1", "1.1.1.1"]
egress_tcp_ports = [443, 5432]
egress_allow = ["10.42.0.0/24", "1.1.1.1/32"]
port_forwards = ["8443:8443", "127.0.0.1:9090:9090"]
nat_backend = "userspace"
volumes = ["scratch:/tmp/scratch:rw"]
networks = ["internal", "public"]
cpus = 0.5
memory = "512M"
command = ["/bin/web-server", "--port", "8443"]
rootfs = "/nix/store/abc-web"
environment.RUST_LOG = "info"
environment.DATABASE_URL = "postgres://postgres@db/myapp"
depends_on = [
  { service = "postgres", condition = "healthy" },
]

[services.postgres]
nat_backend = "kernel"
environment = { LANG = "C.UTF-8", PGDATA = "/var/lib/postgresql/data" }
group = "postgres"
user = "postgres"
health_interval = 5
health_check = "pg_isready -U myapp"
volumes = ["db-data:/var/lib/postgresql/data", "cache:/var/cache/pg:ro"]
networks = ["internal"]
pids = 1024
cpus = 2
memory = "2G"
command = ["postgres", "-D", "/var/lib/postgresql/data"]
rootfs = "/nix/store/abc-postgres"

[volumes]
scratch = {}
cache = { size = "64M", volume_type = "ephemeral" }
db-data = { owner = "70:70", path = "/var/tmp/nucleus-conformance/vol/full/db", volume_type = "persistent" }

[networks]
public = {}
internal = { encrypted = true, subnet = "10.42.0.0/24" }
`;
    const { out } = await inspect(text);
    const exp = vector('002-full-valid');
    for (const field of Object.keys(exp)) assert.deepEqual(out[field], exp[field], field);
  });
});

describe('006: no services and what precedes T4 (§2.2 T1–T4)', () => {
  it('an empty [services] header is the empty map: T4, empty orders and maps', async () => {
    const { out } = await inspect('name = "t"\n[services]\n');
    assert.deepEqual(out['validate'], { error: `${CE}Topology must have at least one service` });
    assert.deepEqual(out['graph'], { startup_order: [], shutdown_order: [] });
    for (const field of ['hashes', 'run_args', 'post_start_wait', 'health_check_valid']) {
      assert.deepEqual(out[field], {}, field);
    }
  });

  it('T1 (empty name) and T2 (bad name) come before T4; T4 before any volume check', async () => {
    assert.equal(await validateError('name = ""\nservices = {}\n'), `${CE}Topology name cannot be empty`);
    assert.equal(
      await validateError('name = "a b"\nservices = {}\n'),
      `${CE}Topology name 'a b' ${NAME_CHARS}`,
    );
    assert.equal(
      await validateError('name = "t"\nservices = {}\n[volumes.v]\nvolume_type = "bogus"\n'),
      `${CE}Topology must have at least one service`,
    );
  });
});

describe('009: dependency entries (§2.2 S1, §2.3)', () => {
  it('a condition that is neither started nor healthy fails validate; the graph still resolves', async () => {
    const { out } = await inspect(
      `name = "t"${svc('db')}${svc('web', 'depends_on = [{ service = "db", condition = "ready" }]\n')}`,
    );
    assert.deepEqual(out['validate'], {
      error: `${CE}Invalid dependency condition 'ready' for service 'web'`,
    });
    assert.deepEqual(out['graph'], { startup_order: ['db', 'web'], shutdown_order: ['web', 'db'] });
    // Only the exact "healthy" makes Nucleus wait for health (case 010 with "Healthy").
    assert.deepEqual(out['post_start_wait'], { db: 'Started', web: 'Started' });
    assert.equal((out['hashes'] as Json)['db'], hashOf('011-err-healthy-dep-without-health-check', 'db'));
  });

  it('the unknown target of a later entry is reported; validate and dag.rs word it differently', async () => {
    const { out } = await inspect(
      `name = "t"${svc('db')}${svc('web', 'depends_on = [{ service = "db" }, { service = "cache" }]\n')}`,
    );
    assert.deepEqual(out['validate'], { error: `${CE}Service 'web' depends on unknown service 'cache'` });
    assert.deepEqual(out['graph'], { error: `${CE}Service 'web' depends on undefined service 'cache'` });
    assert.equal(out['post_start_wait'], null);
  });

  it('the unknown target wins over a bad condition in the same entry', async () => {
    const text = `name = "t"${svc('web', 'depends_on = [{ service = "db", condition = "bogus" }]\n')}`;
    assert.equal(await validateError(text), `${CE}Service 'web' depends on unknown service 'db'`);
  });

  it('with two services depending on unknown ones, the first in key order is reported by both', async () => {
    const { out } = await inspect(
      `name = "t"${svc('b', 'depends_on = [{ service = "yy" }]\n')}${svc('a', 'depends_on = [{ service = "zz" }]\n')}`,
    );
    assert.deepEqual(out['validate'], { error: `${CE}Service 'a' depends on unknown service 'zz'` });
    assert.deepEqual(out['graph'], { error: `${CE}Service 'a' depends on undefined service 'zz'` });
  });

  it('a misspelled `condtion` is ignored: the default "started" applies and the hash equals case 008', async () => {
    const { out } = await inspect(
      `name = "t"${svc('db')}${svc('web', '[[services.web.depends_on]]\nservice = "db"\ncondtion = "healthy"\n')}`,
    );
    assert.equal(out['validate'], 'ok');
    assert.equal((out['hashes'] as Json)['web'], hashOf('008-err-unknown-dependency', 'web'));
    assert.deepEqual(out['post_start_wait'], { db: 'Started', web: 'Started' });
  });
});

describe('012: healthy dependencies (§2.2 S1, §2.6)', () => {
  it('healthy on a service with a health check validates; the target is waited Healthy', async () => {
    const { code, out } = await inspect(
      `name = "t"${svc('db', 'health_check = "pg_isready"\n')}${svc('web', 'depends_on = [{ service = "db", condition = "healthy" }]\n')}`,
    );
    assert.equal(code, 0);
    assert.equal(out['validate'], 'ok');
    assert.deepEqual(out['hashes'], {
      db: hashOf('010-err-bad-condition-case', 'db'),
      web: hashOf('011-err-healthy-dep-without-health-check', 'web'),
    });
    assert.deepEqual(out['post_start_wait'], { db: 'Healthy', web: 'Started' });
    assert.deepEqual(out['health_check_valid'], { db: true });
  });

  it('an unsafe or empty waited-on health check passes validate; only health_check_valid reports it', async () => {
    for (const [check, verdict] of [
      [
        'pg_isready && true',
        `${CE}Health check command contains unsafe character '&' (code point U+0026): pg_isready && true`,
      ],
      ['', `${CE}Health check command must not be empty`],
    ] as const) {
      const { out } = await inspect(
        `name = "t"${svc('db', `health_check = ${JSON.stringify(check)}\n`)}${svc('web', 'depends_on = [{ service = "db", condition = "healthy" }]\n')}`,
      );
      assert.equal(out['validate'], 'ok');
      assert.deepEqual(out['health_check_valid'], { db: verdict });
      assert.deepEqual(out['post_start_wait'], { db: 'Healthy', web: 'Started' });
    }
  });

  it('a second entry asking healthy of a service without health check fails even after a started entry', async () => {
    const text = `name = "t"${svc('db')}${svc('web', 'depends_on = [{ service = "db" }, { service = "db", condition = "healthy" }]\n')}`;
    assert.equal(
      await validateError(text),
      `${CE}Service 'web' depends on 'db' being healthy, but 'db' has no health_check`,
    );
  });

  it('healthy self-dependency: validate reports the health check, the graph the cycle', async () => {
    const { out } = await inspect(
      `name = "t"${svc('web', 'depends_on = [{ service = "web", condition = "healthy" }]\n')}`,
    );
    assert.deepEqual(out['validate'], {
      error: `${CE}Service 'web' depends on 'web' being healthy, but 'web' has no health_check`,
    });
    assert.deepEqual(out['graph'], { error: `${CE}Circular dependency detected among services: ["web"]` });
  });

  it('an unknown network fails validate (S2) but the run args still say bridge', async () => {
    const { out } = await inspect(`name = "t"${svc('web', 'networks = ["front"]\n')}`);
    assert.deepEqual(out['validate'], { error: `${CE}Service 'web' references unknown network 'front'` });
    const run = runArgsOf(out) as string[];
    assert.deepEqual(run.slice(run.indexOf('--network'), run.indexOf('--network') + 4), [
      '--network',
      'bridge',
      '--nat-backend',
      'auto',
    ]);
  });
});

describe('015–024: service volume entries (§1.8 volume mount / container destination, §2.2 S3, §2.4)', () => {
  const cases: [string, string[], string][] = [
    // 015: the destination is checked while parsing, before the host-path rule (spec §2.2 S3 "/host:/etc").
    ['host path onto a reserved destination', ['/host:/etc'], `${CE}Volume destination '/etc' ${RESERVED}`],
    [
      'host path onto a relative destination',
      ['/host/path:relative'],
      `${CE}Container destination must be absolute: "relative"`,
    ],
    // 018: the mode must be exactly ro or rw.
    ['mode rx', ['data:/srv:rx'], `${CE}Invalid volume mount 'data:/srv:rx', expected VOLUME:DEST[:ro|rw]`],
    ['mode RO', ['data:/srv:RO'], `${CE}Invalid volume mount 'data:/srv:RO', expected VOLUME:DEST[:ro|rw]`],
    ['empty mode', ['data:/srv:'], `${CE}Invalid volume mount 'data:/srv:', expected VOLUME:DEST[:ro|rw]`],
    ['empty destination', ['data:'], `${CE}Container destination must be absolute: ""`],
    // 021: messages quote the destination as written ({:?}), not the normalized one.
    [
      'parent traversal',
      ['data:/srv/../etc'],
      `${CE}Container destination must not contain parent traversal: "/srv/../etc"`,
    ],
    [
      'trailing ..',
      ['data:/srv/..'],
      `${CE}Container destination must not contain parent traversal: "/srv/.."`,
    ],
    ['relative ..', ['data:..'], `${CE}Container destination must be absolute: ".."`],
    ['root spelled /./', ['data:/./'], `${CE}Container destination must not be the root directory: "/./"`],
    // 024: reserved prefixes are compared component-wise on the normalized path.
    ['reserved exactly', ['data:/etc'], `${CE}Volume destination '/etc' ${RESERVED}`],
    [
      'reserved after normalization',
      ['data://nix//store/'],
      `${CE}Volume destination '/nix/store' ${RESERVED}`,
    ],
    ['under /run/secrets', ['data:/run/secrets/x'], `${CE}Volume destination '/run/secrets/x' ${RESERVED}`],
    ['/lib64', ['data:/lib64'], `${CE}Volume destination '/lib64' ${RESERVED}`],
    ['second entry reserved', ['data:/srv', 'data:/proc'], `${CE}Volume destination '/proc' ${RESERVED}`],
  ];
  for (const [label, mounts, error] of cases) {
    it(`${label}: validate and the run-args builder give the same error`, async () => {
      const { out } = await inspect(withVolume('volume_type = "ephemeral"', mounts));
      assert.deepEqual(out['validate'], { error });
      assert.deepEqual(runArgsOf(out), { error });
      assert.deepEqual(out['graph'], { startup_order: ['web'], shutdown_order: ['web'] });
    });
  }

  it('near-reserved destinations and both modes are fine (ro is written, rw never)', async () => {
    const { out } = await inspect(
      withVolume('volume_type = "ephemeral"', [
        'data:/srv:ro',
        'data:/srv2:rw',
        'data:/run',
        'data:/libexec',
        'data:/home',
      ]),
    );
    assert.equal(out['validate'], 'ok');
    const hash = (out['hashes'] as Record<string, string>)['web'] as string;
    assert.deepEqual(
      runArgsOf(out),
      args(hash, 't-web', '/nix/store/web', [
        ...[
          '--tmpfs',
          '/srv:ro',
          '--tmpfs',
          '/srv2',
          '--tmpfs',
          '/run',
          '--tmpfs',
          '/libexec',
          '--tmpfs',
          '/home',
        ],
      ]),
    );
  });

  it('a volume really named "/data": validate refuses the host-path form, the builder mounts it', async () => {
    // Like case 014, whose builder reports the unknown volume instead: build_service_run_command has no
    // host-path rule, it only looks the name up.
    const eph = `name = "t"\n[volumes."/data"]\n\n[services.web]\n${MINIMAL_WEB}volumes = ["/data:/srv"]\n`;
    const { out } = await inspect(eph);
    const hostPath = `${CE}Service 'web' uses absolute host-path volume mount '/data'; topology configs must reference a named volume instead`;
    assert.deepEqual(out['validate'], { error: hostPath });
    const hash = (out['hashes'] as Record<string, string>)['web'] as string;
    assert.deepEqual(runArgsOf(out), args(hash, 't-web', '/nix/store/web', ['--tmpfs', '/srv']));

    const persistent = eph
      .replace(
        '[volumes."/data"]\n',
        '[volumes."/data"]\nvolume_type = "persistent"\npath = "/var/tmp/nucleus-conformance/vol/abs"\n',
      )
      .replace('/data:/srv', '/data:/srv:ro');
    const p = await inspect(persistent);
    assert.deepEqual(p.out['validate'], { error: hostPath });
    const ph = (p.out['hashes'] as Record<string, string>)['web'] as string;
    assert.deepEqual(
      runArgsOf(p.out),
      args(ph, 't-web', '/nix/store/web', ['--volume', '/var/tmp/nucleus-conformance/vol/abs:/srv:ro']),
    );
  });
});

describe('027–030: persistent volume paths (§2.2 V1–V3, §1.8 persistent volume path, §2.4 item 2)', () => {
  for (const path of ['relative/dir', '', './x']) {
    it(`path ${JSON.stringify(path)}: validate prints it raw, the builder {:?}-quoted`, async () => {
      const { out } = await inspect(withVolume(`volume_type = "persistent"\npath = ${JSON.stringify(path)}`));
      assert.deepEqual(out['validate'], {
        error: `${CE}Persistent volume 'data' path must be absolute: ${path}`,
      });
      assert.deepEqual(runArgsOf(out), {
        error: `${CE}Persistent volume 'data' path must be absolute: ${JSON.stringify(path)}`,
      });
      // The volume definition is not part of the service hash: same ServiceDef as case 031.
      assert.equal((out['hashes'] as Json)['web'], hashOf('031-persistent-dotdot-normalized', 'web'));
    });
  }

  const sensitive: [string, string][] = [
    ['/', `${CE}Bind mount source '/' is a sensitive host path and cannot be mounted into containers`],
    // `..` pops a component and stops at the root.
    [
      '/var/tmp/nucleus-conformance/vol/../../../../..',
      `${CE}Bind mount source '/' is a sensitive host path and cannot be mounted into containers`,
    ],
    [
      '/home/user/data',
      `${CE}Bind mount source '/home/user/data' is under sensitive host path '/home' and cannot be mounted into containers`,
    ],
    [
      '/var/log',
      `${CE}Bind mount source '/var/log' is under sensitive host path '/var/log' and cannot be mounted into containers`,
    ],
    [
      '/run/user/1000',
      `${CE}Bind mount source '/run/user/1000' is under sensitive host path '/run' and cannot be mounted into containers`,
    ],
  ];
  for (const [path, error] of sensitive) {
    it(`path ${path}: refused by validate and by the builder`, async () => {
      const { out } = await inspect(withVolume(`volume_type = "persistent"\npath = ${JSON.stringify(path)}`));
      assert.deepEqual(out['validate'], { error });
      assert.deepEqual(runArgsOf(out), { error });
    });
  }

  it('repeated slashes and . are dropped from the --volume host path', async () => {
    const { out } = await inspect(
      withVolume('volume_type = "persistent"\npath = "/var/tmp/nucleus-conformance/vol/a//b/./"'),
    );
    assert.equal(out['validate'], 'ok');
    const hash = hashOf('031-persistent-dotdot-normalized', 'web');
    assert.deepEqual(
      runArgsOf(out),
      args(hash, 't-web', '/nix/store/web', [
        '--volume',
        '/var/tmp/nucleus-conformance/vol/a/b:/srv/data:rw',
      ]),
    );
  });
});

describe('033: volume_type (§1.4, §2.2 V4–V6, §2.4 item 3)', () => {
  it('the type is case-sensitive; the builder words the error with the service', async () => {
    for (const type of ['Persistent', '']) {
      const { out } = await inspect(withVolume(`volume_type = ${JSON.stringify(type)}`));
      assert.deepEqual(out['validate'], { error: `${CE}Volume 'data' has unsupported type '${type}'` });
      assert.deepEqual(runArgsOf(out), {
        error: `${CE}Volume 'data' for service 'web' has unsupported type '${type}'`,
      });
    }
  });

  it('a Docker-style `type` key is ignored: the volume stays ephemeral and its path is an error', async () => {
    const { out } = await inspect(
      withVolume('type = "persistent"\npath = "/var/tmp/nucleus-conformance/vol/x"'),
    );
    assert.deepEqual(out['validate'], { error: `${CE}Ephemeral volume 'data' must not define path` });
    const hash = hashOf('031-persistent-dotdot-normalized', 'web');
    assert.deepEqual(runArgsOf(out), args(hash, 't-web', '/nix/store/web', ['--tmpfs', '/srv/data']));
  });

  it('per volume, the type/path checks come before the owner', async () => {
    for (const [body, error] of [
      [
        'volume_type = "persistent"\npath = "rel"\nowner = "x"',
        `${CE}Persistent volume 'data' path must be absolute: rel`,
      ],
      ['path = "/x"\nowner = "x"', `${CE}Ephemeral volume 'data' must not define path`],
      ['volume_type = "nope"\nowner = "x"', `${CE}Volume 'data' has unsupported type 'nope'`],
      [
        'volume_type = "persistent"\npath = "/etc"\nowner = "x"',
        `${CE}Bind mount source '/etc' is under sensitive host path '/etc' and cannot be mounted into containers`,
      ],
    ] as const) {
      assert.equal(await validateError(withVolume(body, [])), error);
    }
  });

  it('the builder reports the first failing volume entry in the service list order', async () => {
    const text = `name = "t"\n[volumes.a]\nvolume_type = "persistent"\n[volumes.b]\nvolume_type = "bogus"\n\n[services.web]\n${MINIMAL_WEB}volumes = ["b:/srv/b", "a:/srv/a"]\n`;
    const { out } = await inspect(text);
    assert.deepEqual(out['validate'], { error: `${CE}Persistent volume 'a' must define path` });
    assert.deepEqual(runArgsOf(out), {
      error: `${CE}Volume 'b' for service 'web' has unsupported type 'bogus'`,
    });
  });
});

describe('036–042: volume owner (§1.8 volume owner, §2.2 V6)', () => {
  const bad: [string, string][] = [
    ['postgres:postgres', `UID 'postgres' in 'postgres:postgres': invalid digit found in string`],
    ['70:', `GID '' in '70:': cannot parse integer from empty string`],
    ['-1:70', `UID '-1' in '-1:70': invalid digit found in string`],
    [' 70:70', `UID ' 70' in ' 70:70': invalid digit found in string`],
    ['1:2:3', `GID '2:3' in '1:2:3': invalid digit found in string`],
    ['0:4294967296', `GID '4294967296' in '0:4294967296': number too large to fit in target type`],
    [
      '99999999999999999999:x',
      `UID '99999999999999999999' in '99999999999999999999:x': number too large to fit in target type`,
    ],
    [':', `UID '' in ':': cannot parse integer from empty string`],
    ['+:1', `UID '+' in '+:1': invalid digit found in string`],
    ['١:2', `UID '١' in '١:2': invalid digit found in string`],
  ];
  for (const [owner, reason] of bad) {
    it(`owner ${JSON.stringify(owner)} fails validate; an ephemeral volume's run args ignore it`, async () => {
      const { out } = await inspect(
        withVolume(`volume_type = "ephemeral"\nowner = ${JSON.stringify(owner)}`, []),
      );
      assert.deepEqual(out['validate'], { error: `${CE}Invalid volume owner ${reason}` });
      assert.deepEqual(runArgsOf(out), args(hashOf('001-minimal', 'web'), 't-web', '/nix/store/web'));
    });
  }

  it('an empty owner has no colon', async () => {
    assert.equal(
      await validateError(withVolume('owner = ""', [])),
      `${CE}Invalid volume owner '', expected UID:GID`,
    );
  });

  it('volumes are checked in byte order (B < a < b)', async () => {
    const text = `name = "t"\n[volumes.b]\nowner = "b"\n[volumes.B]\nowner = "B"\n[volumes.a]\nowner = "a"\n${svc('web')}`;
    assert.equal(await validateError(text), `${CE}Invalid volume owner 'B', expected UID:GID`);
  });

  it('u32 max and leading zeros are valid owners', async () => {
    for (const owner of ['4294967295:4294967295', '007:0010']) {
      const { out } = await inspect(withVolume(`owner = ${JSON.stringify(owner)}`));
      assert.equal(out['validate'], 'ok');
      const hash = hashOf('031-persistent-dotdot-normalized', 'web');
      assert.deepEqual(runArgsOf(out), args(hash, 't-web', '/nix/store/web', ['--tmpfs', '/srv/data']));
    }
  });

  it('a persistent volume parses its owner before chown: the builder fails too, after the path checks', async () => {
    const owner = `${CE}Invalid volume owner UID 'abc' in 'abc:1': invalid digit found in string`;
    const withPath = await inspect(
      withVolume(
        'volume_type = "persistent"\npath = "/var/tmp/nucleus-conformance/vol/badowner"\nowner = "abc:1"',
      ),
    );
    assert.deepEqual(withPath.out['validate'], { error: owner });
    assert.deepEqual(runArgsOf(withPath.out), { error: owner });
    const noPath = await inspect(withVolume('volume_type = "persistent"\nowner = "abc:1"'));
    assert.deepEqual(runArgsOf(noPath.out), { error: `${CE}Persistent volume 'data' must define path` });
  });
});

describe('045–048: topology and service names (§2.2 T2/T3: 1–128 bytes of [A-Za-z0-9._-])', () => {
  const s129 = 's'.repeat(129);
  for (const [key, shown] of [
    [s129, s129],
    ['""', ''],
    ['"wéb"', 'wéb'],
    ['"web/x"', 'web/x'],
  ] as const) {
    it(`service ${JSON.stringify(shown).slice(0, 20)}: T3 error; run args computed anyway`, async () => {
      const { out } = await inspect(`name = "t"\n\n[services.${key}]\n${MINIMAL_WEB}`);
      assert.deepEqual(out['validate'], { error: `${CE}Service name '${shown}' ${NAME_CHARS}` });
      assert.deepEqual(out['graph'], { startup_order: [shown], shutdown_order: [shown] });
      assert.deepEqual(
        runArgsOf(out, shown),
        args(hashOf('001-minimal', 'web'), `t-${shown}`, '/nix/store/web'),
      );
    });
  }

  it('"-web" and ".." only use allowed characters: valid', async () => {
    for (const key of ['"-web"', '".."']) {
      assert.equal(await validateError(`name = "t"\n\n[services.${key}]\n${MINIMAL_WEB}`), 'ok');
    }
  });

  it('a 128-character topology name is valid, and so is a container name longer than 128', async () => {
    // The length of `<name>-<svc>` is only checked by the child `nucleus create` (§2.2 "Not checked", §2.5).
    const n128 = 'n'.repeat(128);
    const s128 = 's'.repeat(128);
    const { code, out } = await inspect(`name = "${n128}"\n\n[services.${s128}]\n${MINIMAL_WEB}`);
    assert.equal(code, 0);
    assert.equal(out['validate'], 'ok');
    assert.deepEqual(
      runArgsOf(out, s128),
      args(hashOf('001-minimal', 'web'), `${n128}-${s128}`, '/nix/store/web'),
    );
  });

  it('topology names: a space or a tab is refused, "." and every allowed class pass', async () => {
    for (const [name, verdict] of [
      ['my app', `${CE}Topology name 'my app' ${NAME_CHARS}`],
      ['tab\there', `${CE}Topology name 'tab\there' ${NAME_CHARS}`],
      ['.', 'ok'],
      ['a.b_c-D9', 'ok'],
    ] as const) {
      assert.equal(
        await validateError(`name = ${JSON.stringify(name)}\n\n[services.web]\n${MINIMAL_WEB}`),
        verdict,
      );
    }
  });
});
