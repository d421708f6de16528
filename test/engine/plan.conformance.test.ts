// plan_reconcile against every conformance plan scenario (state files read from disk, liveness injected from
// expected.json), one scenario made real (live pid/start_ticks of this process), and the extra reasons/warnings.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  analyzeTopology,
  computePlan,
  parseStartTicks,
  planFingerprint,
  planToJson,
  readStateDir,
  type Plan,
} from '@nucleus-topology/engine';

const FIXTURES = new URL('../fixtures/plan/', import.meta.url).pathname;
const scenarios = readdirSync(FIXTURES)
  .filter((d) => /^\d\d-/.test(d))
  .sort();

interface Expected {
  startup_order?: string[];
  actions?: [string, string][];
  error?: string;
  hashes: Record<string, string>;
  states: Record<string, { name: string; config_hash: string | null; counted_as_running: boolean }>;
}

async function planScenario(
  name: string,
  stateDir = join(FIXTURES, name, 'state'),
): Promise<{ plan: Plan; expected: Expected }> {
  const expected = JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
  const analysis = analyzeTopology(readFileSync(join(FIXTURES, name, 'topology.toml'), 'utf8'), {
    version: '0.3.8',
  });
  const snapshot = await readStateDir(stateDir, {
    liveness: (_state, file) => {
      const e = expected.states[file];
      assert.ok(e, `unexpected state file ${file}`);
      return {
        running: e.counted_as_running,
        reason: e.counted_as_running ? 'running' : 'not running (recorded)',
      };
    },
  });
  assert.deepEqual(snapshot.problems, []);
  return { plan: computePlan(analysis, snapshot), expected };
}

describe('plan_reconcile conformance', () => {
  assert.ok(scenarios.length >= 12, 'the plan fixtures are present');
  for (const name of scenarios) {
    it(name, async () => {
      const { plan, expected } = await planScenario(name);
      const json = planToJson(plan);
      if (expected.error !== undefined) {
        assert.equal(json.error, expected.error);
        assert.equal('actions' in json, false);
      } else {
        assert.deepEqual(json.startup_order, expected.startup_order);
        assert.deepEqual(json.actions, expected.actions);
        assert.equal(plan.error, undefined);
      }
      assert.deepEqual(json.hashes, expected.hashes);
      // every state file decoded with its exact u64 hash
      const snapshot = await readStateDir(join(FIXTURES, name, 'state'));
      const decoded = Object.fromEntries(
        snapshot.containers.map((c) => [c.file, [c.state.name, c.state.config_hash]]),
      );
      const want = Object.fromEntries(
        Object.entries(expected.states).map(([f, s]) => [f, [s.name, s.config_hash]]),
      );
      assert.deepEqual(decoded, want);
    });
  }
});

describe('plan reasons and warnings', () => {
  it('gives a reason per step', async () => {
    const reasons = async (n: string) => (await planScenario(n)).plan.steps.map((s) => [s.service, s.reason]);
    assert.deepEqual(await reasons('01-fresh-no-state'), [
      ['db', 'new service'],
      ['web', 'new service'],
    ]);
    assert.deepEqual(await reasons('04-missing-hash'), [
      ['db', 'running with the same config hash'],
      ['web', 'running without a config hash'],
    ]);
    const diamond = await reasons('17-diamond-mixed-actions');
    assert.deepEqual(diamond[4], ['legacy', 'removed from the file']);
    assert.match(diamond[2]?.[1] ?? '', /^config changed \(hash \d+ → \d+\)$/);
    assert.deepEqual((await reasons('07-dead-pid'))[0], [
      'db',
      'not running (state file stale: not running (recorded))',
    ]);
  });

  it('E5: names the container and the topology it probably belongs to', async () => {
    const { plan } = await planScenario('11-prefix-collision-other-topology');
    const w = plan.warnings.filter((x) => x.code === 'foreign-container');
    assert.equal(w.length, 1);
    assert.equal(w[0]?.container, 'app-db-primary');
    assert.match(w[0]?.message ?? '', /topology 'app-db' \(service 'primary'\)/);
  });

  it('E10: a stale state file with the name will make create fail', async () => {
    const { plan } = await planScenario('08-start-ticks-mismatch');
    const w = plan.warnings.filter((x) => x.code === 'stale-state');
    assert.equal(w.length, 1);
    assert.equal(w[0]?.container, 'test-db');
    assert.match(w[0]?.message ?? '', /already exists/);
  });

  it('two running states for one name are reported as ambiguous', async () => {
    const { plan } = await planScenario('16-duplicate-container-names');
    const w = plan.warnings.filter((x) => x.code === 'ambiguous-running');
    assert.equal(w.length, 1);
    assert.match(w[0]?.message ?? '', /2 running containers are named t-web \(d\d\.json, d\d\.json\)/);
  });

  it('restarts that do not cascade to dependents are reported', async () => {
    const { plan } = await planScenario('17-diamond-mixed-actions');
    const w = plan.warnings.filter((x) => x.code === 'dependents-not-restarted');
    assert.deepEqual(
      w.map((x) => [x.service, /'web'/.test(x.message)]),
      [['worker', true]],
    );
  });

  it('the fingerprint is stable and changes with what apply would do', async () => {
    const a = (await planScenario('02-all-match')).plan;
    const b = (await planScenario('02-all-match')).plan;
    assert.equal(a.fingerprint, b.fingerprint);
    assert.match(a.fingerprint, /^[0-9a-f]{16}$/);
    const c = (await planScenario('04-missing-hash')).plan;
    assert.notEqual(a.fingerprint, c.fingerprint);
    const firstStep = a.steps[0];
    assert.ok(firstStep?.running);
    const changedRunning = {
      ...a,
      steps: [{ ...firstStep, running: { ...firstStep.running, configHash: '1' } }, ...a.steps.slice(1)],
    };
    assert.notEqual(planFingerprint(changedRunning), a.fingerprint);
  });
});

describe('a scenario made real: liveness computed from /proc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nt-plan-real-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ownTicks = parseStartTicks(readFileSync(`/proc/${process.pid}/stat`, 'utf8')) as string;

  const rewrite = (file: string, pid: number, ticks: string) => {
    const text = readFileSync(file, 'utf8')
      .replace(/"pid": \d+/, `"pid": ${pid}`)
      .replace(/"start_ticks": \d+/, `"start_ticks": ${ticks}`);
    writeFileSync(file, text);
  };

  it('02-all-match with this process as the container: NoChange; dead pid and reused pid: Start', async () => {
    const state = join(dir, 'state');
    cpSync(join(FIXTURES, '02-all-match/state'), state, { recursive: true });
    const files = readdirSync(state)
      .filter((f) => f.endsWith('.json'))
      .sort();
    for (const f of files) rewrite(join(state, f), process.pid, ownTicks);
    const analysis = analyzeTopology(readFileSync(join(FIXTURES, '02-all-match/topology.toml'), 'utf8'), {
      version: '0.3.8',
    });
    const live = computePlan(analysis, await readStateDir(state));
    assert.deepEqual(planToJson(live).actions, [
      ['db', 'NoChange'],
      ['web', 'NoChange'],
    ]);

    // db's pid is gone, web's start ticks no longer match (pid reuse)
    rewrite(join(state, files[0] as string), 999_999_999, ownTicks);
    rewrite(join(state, files[1] as string), process.pid, (BigInt(ownTicks) + 7n).toString());
    const dead = computePlan(analysis, await readStateDir(state));
    assert.deepEqual(planToJson(dead).actions, [
      ['db', 'Start'],
      ['web', 'Start'],
    ]);
    assert.deepEqual(
      dead.steps.map((s) => s.reason),
      [
        'not running (state file stale: pid 999999999 gone)',
        `not running (state file stale: pid ${process.pid} reused by another process (start ticks ${ownTicks} ≠ ${BigInt(ownTicks) + 7n}))`,
      ],
    );
    assert.notEqual(dead.fingerprint, live.fingerprint);
  });
});
