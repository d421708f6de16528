// The running-services view model: grouping of containers under topologies (longest prefix, E5 collisions),
// status, pid/uptime, drift, other containers, and masking of secret-looking values.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeTopology,
  buildRuntimeOverview,
  isSecretLookingKey,
  isSecretLookingValue,
  maskArgv,
  maskEntries,
  MASKED,
  overviewAnalysisOf,
  type OverviewTopologyInput,
  type RuntimeOverview,
} from '@nucleus-topology/engine';
import { NOW, observed, snapshotOf } from '../helpers/state.js';

function topo(
  name: string | null,
  services: Record<string, string | null>,
  errors = 0,
  uri = `file:///w/${name ?? 'broken'}.topology.toml`,
): OverviewTopologyInput {
  return {
    uri,
    analysis: { name, services: Object.entries(services).map(([n, hash]) => ({ name: n, hash })), errors },
  };
}

/** `topology/service` → the row, for short assertions. */
function rows(
  overview: RuntimeOverview,
): Map<string, RuntimeOverview['topologies'][number]['services'][number]> {
  const out = new Map<string, RuntimeOverview['topologies'][number]['services'][number]>();
  for (const t of overview.topologies)
    for (const s of t.services) out.set(`${t.name ?? '?'}/${s.service}`, s);
  for (const s of overview.others) out.set(`(other)/${s.service}`, s);
  return out;
}

describe('buildRuntimeOverview: grouping', () => {
  it('lists declared services in key order, then undeclared <topo>- containers; others in their own group', () => {
    const overview = buildRuntimeOverview(
      [topo('shop', { web: '2', db: '1' })],
      snapshotOf([observed('shop-db', { config_hash: '1' }), observed('shop-old'), observed('lonely')]),
      NOW,
    );
    const [shop] = overview.topologies;
    assert.ok(shop);
    assert.deepEqual(
      shop.services.map((s) => [s.service, s.container, s.declared, s.status]),
      [
        ['web', 'shop-web', true, 'not-started'],
        ['db', 'shop-db', true, 'running'],
        ['old', 'shop-old', false, 'running'],
      ],
    );
    assert.match(shop.services[2]?.notes[0] ?? '', /not a service of this file: 'apply' would stop it/);
    assert.deepEqual(
      overview.others.map((s) => [s.topology, s.service, s.container, s.status]),
      [[null, 'lonely', 'lonely', 'running']],
    );
    assert.deepEqual(shop.counts, { running: 1, starting: 0, stopped: 0, notStarted: 1, changed: 0 });
  });

  it('E5: a container goes to the longest known topology name it starts with', () => {
    const overview = buildRuntimeOverview(
      [topo('app', { web: '1' }), topo('app-db', { x: '2' })],
      snapshotOf([
        observed('app-web', { config_hash: '1' }),
        observed('app-db-x', { config_hash: '2' }),
        observed('app-db-y'),
        observed('app-zzz'),
      ]),
      NOW,
    );
    const r = rows(overview);
    assert.deepEqual(
      overview.topologies.map((t) => [t.name, t.services.map((s) => s.container)]),
      [
        ['app', ['app-web', 'app-zzz']],
        ['app-db', ['app-db-x', 'app-db-y']],
      ],
    );
    assert.equal(r.get('app-db/x')?.drift, 'in-sync');
    assert.equal(r.get('app-db/y')?.declared, false);
    assert.ok(r.get('app-db/y')?.notes.some((n) => n.includes("'apply' of 'app' would stop it too")));
    assert.equal(r.get('app/zzz')?.notes.length, 1, 'app-zzz is only undeclared, no E5 note');
    const [app, appDb] = overview.topologies;
    assert.equal(app?.warnings.length, 1);
    assert.match(app?.warnings[0] ?? '', /prefix of topology 'app-db'.*would stop app-db-x, app-db-y/);
    assert.deepEqual(appDb?.warnings, []);
    assert.deepEqual(overview.others, []);
  });

  it("E5: with only 'app' known, app-db-x is an undeclared container of app", () => {
    const overview = buildRuntimeOverview(
      [topo('app', { web: '1' })],
      snapshotOf([observed('app-db-x')]),
      NOW,
    );
    assert.deepEqual(
      overview.topologies[0]?.services.map((s) => [s.service, s.declared]),
      [
        ['web', true],
        ['db-x', false],
      ],
    );
  });

  it('a prefix that is not followed by "-" is no claim: appx-web is another container', () => {
    const overview = buildRuntimeOverview(
      [topo('app', { web: '1' })],
      snapshotOf([observed('appx-web')]),
      NOW,
    );
    assert.deepEqual(
      overview.topologies[0]?.services.map((s) => s.container),
      ['app-web'],
    );
    assert.deepEqual(
      overview.others.map((s) => s.container),
      ['appx-web'],
    );
  });

  it('E5 collision: app + db-x and app-db + x name the same container; both show it, with a note', () => {
    const overview = buildRuntimeOverview(
      [topo('app', { 'db-x': '1' }), topo('app-db', { x: '2' })],
      snapshotOf([observed('app-db-x', { config_hash: '2' })]),
      NOW,
    );
    const r = rows(overview);
    assert.equal(r.get('app/db-x')?.status, 'running');
    assert.equal(r.get('app/db-x')?.drift, 'changed');
    assert.equal(r.get('app-db/x')?.drift, 'in-sync');
    assert.ok(r.get('app/db-x')?.notes.some((n) => n.includes("also service 'x' of topology 'app-db'")));
    assert.ok(r.get('app-db/x')?.notes.some((n) => n.includes("also service 'db-x' of topology 'app'")));
    assert.deepEqual(overview.others, []);
  });

  it('two files with one name both list the undeclared containers, each with its own notes', () => {
    const overview = buildRuntimeOverview(
      [
        topo('shop', { web: '1' }, 0, 'file:///a/topology.toml'),
        topo('shop', { api: '1' }, 0, 'file:///b/topology.toml'),
      ],
      snapshotOf([observed('shop-old'), observed('shop-web', { config_hash: '1' })]),
      NOW,
    );
    const [a, b] = overview.topologies;
    assert.deepEqual(
      a?.services.map((s) => [s.service, s.declared]),
      [
        ['web', true],
        ['old', false],
      ],
    );
    // for b, shop-web is declared by the other file of the same name: not "undeclared"
    assert.deepEqual(
      b?.services.map((s) => [s.service, s.declared]),
      [
        ['api', true],
        ['old', false],
      ],
    );
    assert.notEqual(a?.services[1]?.notes, b?.services[1]?.notes);
    assert.equal(a?.services[1]?.notes.length, 1);
  });

  it('sorts topologies by name and keeps a file without a name (no services)', () => {
    const overview = buildRuntimeOverview(
      [topo('zeta', {}), topo(null, {}, 2), topo('alpha', { a: null })],
      snapshotOf([]),
      NOW,
    );
    assert.deepEqual(
      overview.topologies.map((t) => [t.name, t.services.length, t.errors]),
      [
        [null, 0, 2],
        ['alpha', 1, 0],
        ['zeta', 0, 0],
      ],
    );
  });

  it('reports the directory error and skipped state files', () => {
    const overview = buildRuntimeOverview(
      [],
      snapshotOf([], {
        error: 'Failed to read state directory "/state": EACCES',
        problems: [{ file: 'x.json', message: 'not valid JSON' }],
      }),
      NOW,
    );
    assert.deepEqual(overview.problems, [
      'Failed to read state directory "/state": EACCES',
      'x.json: not valid JSON',
    ]);
    assert.equal(overview.stateDir, '/state');
    assert.equal(overview.readAt, NOW);
  });
});

describe('buildRuntimeOverview: status, pid, uptime', () => {
  it('running, starting (creating/created with a live pid), stopped (stale file), not started', () => {
    const overview = buildRuntimeOverview(
      [topo('s', { a: '1', b: '1', c: '1', d: '1', e: '1' })],
      snapshotOf([
        observed('s-a', { config_hash: '1', pid: 41, started_at: NOW / 1000 - 3725 }),
        observed('s-b', { status: 'creating', config_hash: '1', pid: 42 }),
        observed('s-c', { status: 'created', config_hash: '1', pid: 43 }),
        observed('s-d', { running: false, pid: 44, liveness: 'pid 44 gone' }),
      ]),
      NOW,
    );
    const r = rows(overview);
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((s) => {
        const row = r.get(`s/${s}`);
        return [row?.status, row?.pid, row?.drift];
      }),
      [
        ['running', 41, 'in-sync'],
        ['starting', 42, 'in-sync'],
        ['starting', 43, 'in-sync'],
        ['stopped', null, null],
        ['not-started', null, null],
      ],
    );
    assert.equal(r.get('s/a')?.uptimeSeconds, 3725);
    assert.equal(r.get('s/d')?.uptimeSeconds, null);
    assert.match(r.get('s/d')?.notes[0] ?? '', /stale state file .*: pid 44 gone/);
    assert.equal(r.get('s/d')?.details?.pid, 44, 'the stale file is still shown in the details');
    assert.equal(r.get('s/e')?.details, null);
    assert.deepEqual(overview.topologies[0]?.counts, {
      running: 1,
      starting: 2,
      stopped: 1,
      notStarted: 1,
      changed: 0,
    });
  });

  it('uptime never goes negative (clock skew)', () => {
    const overview = buildRuntimeOverview(
      [topo('s', { a: '1' })],
      snapshotOf([observed('s-a', { started_at: NOW / 1000 + 50 })]),
      NOW,
    );
    assert.equal(overview.topologies[0]?.services[0]?.uptimeSeconds, 0);
  });

  it('several state files with one name: the last running one is used, with an ambiguity note', () => {
    const stale = observed('s-a', { running: false, config_hash: '9' });
    const first = observed('s-a', { config_hash: '7', pid: 7 });
    const last = observed('s-a', { config_hash: '1', pid: 8 });
    const overview = buildRuntimeOverview([topo('s', { a: '1' })], snapshotOf([first, last, stale]), NOW);
    const row = overview.topologies[0]?.services[0];
    assert.equal(row?.pid, 8);
    assert.equal(row?.drift, 'in-sync');
    assert.equal(row?.stateFiles, 3);
    assert.equal(row?.details?.id, last.state.id);
    assert.match(row?.notes.join('\n') ?? '', /3 state files are named s-a/);
  });
});

describe('buildRuntimeOverview: drift', () => {
  it('in sync, changed (other hash), no hash, unknown (no file hash, or the file has errors)', () => {
    const state = snapshotOf([
      observed('s-same', { config_hash: '18446744073709551615' }),
      observed('s-other', { config_hash: '5' }),
      observed('s-none', { config_hash: null }),
      observed('s-inexact', { config_hash: '5' }),
    ]);
    const services = { same: '18446744073709551615', other: '6', none: '6', inexact: null };
    const r = rows(buildRuntimeOverview([topo('s', services)], state, NOW));
    assert.deepEqual(
      ['same', 'other', 'none', 'inexact'].map((s) => r.get(`s/${s}`)?.drift),
      ['in-sync', 'changed', 'no-hash', 'unknown'],
    );
    // Apply restarts both a changed service and one running without a hash.
    assert.equal(buildRuntimeOverview([topo('s', services)], state, NOW).topologies[0]?.counts.changed, 2);
    assert.match(r.get('s/other')?.driftReason ?? '', /hash 5 → 6/);
    assert.match(r.get('s/none')?.driftReason ?? '', /without a config hash/);
    const withErrors = rows(buildRuntimeOverview([topo('s', services, 2)], state, NOW));
    assert.deepEqual(
      ['same', 'other', 'none', 'inexact'].map((s) => withErrors.get(`s/${s}`)?.drift),
      ['unknown', 'unknown', 'unknown', 'unknown'],
    );
    assert.match(withErrors.get('s/same')?.driftReason ?? '', /the file has 2 errors/);
  });

  it('from a real analysis: the hash the engine computes is "in sync", a memory edit makes it "changed"', () => {
    const text = (memory: string) =>
      `name = "shop"\n\n[services.web]\nrootfs = "/nix/store/aaaa-web"\ncommand = ["/bin/web"]\nmemory = "${memory}"\n`;
    const before = analyzeTopology(text('256M'));
    const hash = before.hashes.get('web');
    assert.ok(hash);
    const state = snapshotOf([observed('shop-web', { config_hash: hash })]);
    const inSync = buildRuntimeOverview([{ uri: 'f', analysis: overviewAnalysisOf(before) }], state, NOW);
    assert.equal(inSync.topologies[0]?.services[0]?.drift, 'in-sync');
    const edited = overviewAnalysisOf(analyzeTopology(text('512M')));
    assert.equal(edited.errors, 0);
    const changed = buildRuntimeOverview([{ uri: 'f', analysis: edited }], state, NOW);
    assert.equal(changed.topologies[0]?.services[0]?.drift, 'changed');
  });

  it('overviewAnalysisOf counts errors (a file Nucleus rejects has at least one)', () => {
    const a = overviewAnalysisOf(analyzeTopology('name = "x"\n[services.web]\nrootfs = 1\n'));
    assert.equal(a.name, 'x');
    assert.ok(a.errors >= 1);
    const broken = overviewAnalysisOf(analyzeTopology('name = \n'));
    assert.equal(broken.name, null);
    assert.ok(broken.errors >= 1);
  });
});

describe('secrets are never displayed', () => {
  it('masks the 0.3.9 environment by key and by value, keeps the rest, in byte order', () => {
    const overview = buildRuntimeOverview(
      [topo('s', { a: '1' })],
      snapshotOf([
        observed('s-a', {
          environment: {
            PGDATA: '/var/lib/pg',
            DB_PASSWORD: 'hunter2',
            apiKey: 'x',
            DATABASE_URL: 'postgres://app:s3cret@db:5432/app',
            OPAQUE: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg',
            MODE: 'production',
            REPLICA: 'postgres-primary-replica-01',
          },
        }),
      ]),
      NOW,
    );
    assert.deepEqual(overview.topologies[0]?.services[0]?.details?.environment, [
      ['DATABASE_URL', MASKED],
      ['DB_PASSWORD', MASKED],
      ['MODE', 'production'],
      ['OPAQUE', MASKED],
      ['PGDATA', '/var/lib/pg'],
      ['REPLICA', 'postgres-primary-replica-01'],
      ['apiKey', MASKED],
    ]);
    const json = JSON.stringify(overview);
    for (const secret of ['hunter2', 's3cret', 'Zm9vYmFy']) assert.ok(!json.includes(secret), secret);
  });

  it('masks secret flags and token-looking words in the command', () => {
    assert.deepEqual(
      maskArgv([
        '/bin/app',
        '--password=pw1',
        '--token',
        'tk1',
        '--port',
        '8080',
        'API_KEY=k1',
        'ghp_abcdefghijklmnop',
        '--verbose',
      ]),
      [
        '/bin/app',
        `--password=${MASKED}`,
        '--token',
        MASKED,
        '--port',
        '8080',
        `API_KEY=${MASKED}`,
        MASKED,
        '--verbose',
      ],
    );
    assert.deepEqual(
      maskArgv(['--auth', '--x']),
      ['--auth', '--x'],
      'a flag after a secret flag is not its value',
    );
  });

  it('key and value heuristics', () => {
    for (const k of [
      'PASSWORD',
      'db_pass',
      'SECRET_KEY',
      'githubToken',
      'AWS_SECRET_ACCESS_KEY',
      '--auth-token',
      'SESSION',
    ]) {
      assert.equal(isSecretLookingKey(k), true, k);
    }
    for (const k of ['PATH', 'KEYBOARD', 'MONKEY', 'PGDATA', 'PORT', 'passage'])
      assert.equal(isSecretLookingKey(k), false, k);
    for (const v of [
      '-----BEGIN PRIVATE KEY-----',
      'https://u:p@host/x',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      'AKIAABCDEFGHIJKLMNOP',
      '0123456789abcdef0123456789abcdef',
    ]) {
      assert.equal(isSecretLookingValue(v), true, v);
    }
    for (const v of [
      '/nix/store/aaaa-web',
      'production',
      'https://example.com/a',
      'db.internal.example.com:5432',
      'postgres-primary-replica-01',
    ]) {
      assert.equal(isSecretLookingValue(v), false, v);
    }
    assert.deepEqual(maskEntries({ b: 'x', a: 'y', TOKEN: 'z' }), [
      ['TOKEN', MASKED],
      ['a', 'y'],
      ['b', 'x'],
    ]);
  });
});
