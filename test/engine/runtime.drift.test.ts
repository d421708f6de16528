// A service's runtime status and drift, decided once (serviceRuntimeStatus) and used by the Services view's overview,
// `nucleus-topology state` and the language server's lenses: the cases, and the view and the CLI agreeing on files
// with and without errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeTopology,
  analysisErrorCount,
  buildRuntimeOverview,
  computeTopologyStatus,
  cpusToMillicores,
  driftLabel,
  fileErrorCount,
  formatMemoryValue,
  overviewAnalysisOf,
  runningConfigDifferences,
  serviceRuntimeStatus,
} from '@nucleus-topology/engine';
import { NOW, observed, snapshotOf } from '../helpers/state.js';

const run = (configHash: string | null, status: 'running' | 'created' = 'running') => ({
  status,
  running: true,
  configHash,
});

describe('serviceRuntimeStatus', () => {
  it('not started without a state file; stopped for a stale one: no drift (apply starts it)', () => {
    assert.deepEqual(serviceRuntimeStatus(undefined, { hash: '1', errors: 0 }), {
      status: 'not-started',
      drift: null,
      driftReason: null,
      restart: false,
    });
    const stale = serviceRuntimeStatus(
      { status: 'running', running: false, configHash: '1' },
      { hash: '1', errors: 0 },
    );
    assert.equal(stale.status, 'stopped');
    assert.equal(stale.drift, null);
  });

  it('in sync, changed, no hash; starting while creating/created', () => {
    const file = { hash: '7', errors: 0 };
    assert.equal(serviceRuntimeStatus(run('7'), file).drift, 'in-sync');
    const changed = serviceRuntimeStatus(run('6'), file);
    assert.deepEqual([changed.drift, changed.restart], ['changed', true]);
    assert.match(changed.driftReason ?? '', /hash 6 → 7/);
    const none = serviceRuntimeStatus(run(null), file);
    assert.deepEqual([none.drift, none.restart], ['no-hash', true]);
    assert.equal(serviceRuntimeStatus(run('7', 'created'), file).status, 'starting');
  });

  it('unknown when the file has errors (whatever the hashes) or the service has no exact hash', () => {
    for (const hash of ['7', null]) {
      const verdict = serviceRuntimeStatus(run(hash), { hash: '7', errors: 2 });
      assert.deepEqual([verdict.drift, verdict.restart], ['unknown', false]);
      assert.match(verdict.driftReason ?? '', /the file has 2 errors/);
    }
    assert.equal(serviceRuntimeStatus(run('7'), { hash: null, errors: 0 }).drift, 'unknown');
  });

  it('labels and error counts', () => {
    assert.deepEqual((['in-sync', 'changed', 'no-hash', 'unknown'] as const).map(driftLabel), [
      'in sync',
      'changed',
      'no hash',
      'drift unknown',
    ]);
    assert.equal(fileErrorCount(0, null), 0);
    assert.equal(fileErrorCount(0, { message: 'x' }), 1);
    assert.equal(fileErrorCount(3, { message: 'x' }), 3);
  });
});

describe('the view and `state` agree', () => {
  const text = (memory: string, extra = '') =>
    `name = "shop"\n\n[services.web]\nrootfs = "/nix/store/aaaa-web"\ncommand = ["/bin/web"]\nmemory = "${memory}"\n${extra}\n[services.db]\nrootfs = "/nix/store/aaaa-db"\ncommand = ["/bin/db"]\nmemory = "1G"\n`;
  const applied = analyzeTopology(text('256M'));

  for (const [label, source, expected] of [
    // Services in key order: db, web.
    ['as applied', text('256M'), ['no-hash', 'in-sync']],
    ['memory edited', text('512M'), ['no-hash', 'changed']],
    ['with an error', text('256M', 'pids = -1\n'), ['unknown', 'unknown']],
  ] as const) {
    it(label, () => {
      const analysis = analyzeTopology(source);
      const state = snapshotOf([
        observed('shop-web', { config_hash: applied.hashes.get('web') ?? null }),
        observed('shop-db', { config_hash: null }),
      ]);
      const status = computeTopologyStatus(analysis, state);
      assert.ok(!('error' in status));
      assert.deepEqual(
        status.services.map((s) => s.drift),
        expected,
      );
      const overview = buildRuntimeOverview(
        [{ uri: 'f', analysis: overviewAnalysisOf(analysis) }],
        state,
        NOW,
      );
      assert.deepEqual(
        overview.topologies[0]?.services.map((s) => s.drift),
        expected,
      );
      assert.equal(overviewAnalysisOf(analysis).errors, analysisErrorCount(analysis));
    });
  }
});

describe('runningConfigDifferences (what the state file tells about memory, cpus, command)', () => {
  const service = { memory: '768M', cpus: 2, command: ['/bin/api', '--port', '8080'] };
  const same = { memoryLimit: 768 * 1024 * 1024, cpuLimit: 2000, command: ['/bin/api', '--port', '8080'] };

  it('nothing when the running values are the file’s', () => {
    assert.deepEqual(runningConfigDifferences(service, same), []);
  });

  it('memory as the file writes it, cpus from millicores, the argv as a TOML array', () => {
    const differences = runningConfigDifferences(service, {
      memoryLimit: 512 * 1024 * 1024,
      cpuLimit: 500,
      command: ['/bin/api'],
    });
    assert.deepEqual(
      differences.map((d) => [d.key, d.running]),
      [
        ['memory', '512M'],
        ['cpus', '0.5'],
        ['command', '["/bin/api"]'],
      ],
    );
    assert.match(differences[0]?.detail ?? '', /536,870,912 bytes/);
    const none = runningConfigDifferences(service, { ...same, memoryLimit: null, cpuLimit: null });
    assert.deepEqual(
      none.map((d) => [d.key, d.running]),
      [
        ['memory', 'no limit'],
        ['cpus', 'no limit'],
      ],
    );
  });

  it('cpus are compared as Nucleus stores them: floor(cpus × 100000) × 1000 / 100000 millicores', () => {
    assert.equal(cpusToMillicores(0.29), 289); // 0.29 × 100000 = 28999.999…
    assert.equal(cpusToMillicores(2.25), 2250);
    assert.equal(cpusToMillicores(0), null);
    assert.deepEqual(runningConfigDifferences({ ...service, cpus: 0.29 }, { ...same, cpuLimit: 289 }), []);
  });

  it('an invalid file value is not compared; secret-looking arguments are compared masked', () => {
    assert.deepEqual(
      runningConfigDifferences({ ...service, memory: '1.5G' }, { ...same, memoryLimit: 1 }),
      [],
    );
    const secret = { ...service, command: ['/bin/api', '--token', 'hunter2'] };
    assert.deepEqual(
      runningConfigDifferences(secret, { ...same, command: ['/bin/api', '--token', '••••••'] }),
      [],
    );
  });

  it('formatMemoryValue: the largest exact unit, else bytes', () => {
    assert.deepEqual([1024 ** 3, 1536 * 1024 ** 2, 65536, 1000, 3 * 1024 ** 4].map(formatMemoryValue), [
      '1G',
      '1536M',
      '64K',
      '1000',
      '3T',
    ]);
  });
});
