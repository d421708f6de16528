// The pure decisions behind Apply/Down: plan text, when to ask, which version's rules, the CLI's options, which
// settings are read from user settings only, and why Apply refuses. Plans come from the real engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyzeTopology,
  computePlan,
  computeTopologyStatus,
  resolveRuleVersion,
  type ContainerState,
  type StateSnapshot,
} from '@nucleus-topology/engine';
import {
  applyBlockers,
  describeRuleVersion,
  describeBlockers,
  describeDown,
  describePlan,
  planNeedsConfirmation,
  runtimeCliOptions,
  stateDirFor,
  userSettingValue,
} from '@nucleus-topology/client';
import { dbAndWeb } from '../helpers/topologies.js';

const TEXT = dbAndWeb('shop');

const analysis = analyzeTopology(TEXT, { version: '0.3.8' });

function container(
  name: string,
  configHash: string | null,
  running = true,
): StateSnapshot['containers'][number] {
  const state = {
    id: `${name}-id`.padEnd(32, '0'),
    name,
    pid: 4242,
    command: ['x'],
    started_at: 1_700_000_000,
    memory_limit: null,
    cpu_limit: null,
    using_gvisor: true,
    rootless: false,
    cgroup_path: null,
    config_hash: configHash,
    creator_uid: 0,
    process_uid: 0,
    process_gid: 0,
    additional_gids: [],
    start_ticks: '1',
    status: running ? 'running' : 'stopped',
    bundle_path: null,
    annotations: {},
  } satisfies ContainerState;
  return { file: `${state.id}.json`, state, running, liveness: running ? 'running' : 'status stopped' };
}

function snapshot(...containers: StateSnapshot['containers']): StateSnapshot {
  return { dir: '/state', containers, problems: [], readAt: 0 };
}

const hash = (svc: string) => analysis.hashes.get(svc) as string;

test('a fresh topology only starts services: no question, both named with their reason', () => {
  const plan = computePlan(analysis, snapshot());
  const d = describePlan(plan);
  assert.equal(d.needsConfirmation, false);
  assert.equal(d.nothingToDo, false);
  assert.equal(d.summary, "Apply 'shop': start db, web.");
  assert.match(d.detail, /^Start \(2\):\n {2}db: new service\n {2}web: new service\n/);
  assert.match(d.detail, /Nucleus 0\.3\.8 rules; state directory: \/state$/);
});

test('a changed service is a restart: asks first and says why, unchanged ones are listed', () => {
  const plan = computePlan(analysis, snapshot(container('shop-db', hash('db')), container('shop-web', '1')));
  const d = describePlan(plan);
  assert.equal(d.needsConfirmation, true);
  assert.equal(planNeedsConfirmation(plan), true);
  assert.equal(d.summary, "Apply 'shop': restart web.");
  assert.ok(d.detail.includes(`Restart (1):\n  web: config changed (hash 1 → ${hash('web')})`), d.detail);
  assert.ok(d.detail.includes('Unchanged (1): db'), d.detail);
});

test('a running container of a removed service is a stop: asks first', () => {
  const plan = computePlan(
    analysis,
    snapshot(
      container('shop-db', hash('db')),
      container('shop-web', hash('web')),
      container('shop-old', '7'),
    ),
  );
  const d = describePlan(plan);
  assert.equal(d.needsConfirmation, true);
  assert.equal(d.summary, "Apply 'shop': stop old.");
  assert.ok(d.detail.includes('Stop (1):\n  old: removed from the file'), d.detail);
});

test('a restart whose dependents keep running lists that warning', () => {
  const plan = computePlan(analysis, snapshot(container('shop-db', '5'), container('shop-web', hash('web'))));
  const d = describePlan(plan);
  assert.match(
    d.detail,
    /Warnings:\n {2}• db will be restarted but 'web', which depends on it, will keep running/,
  );
});

test('everything in sync: nothing to do, no question', () => {
  const plan = computePlan(
    analysis,
    snapshot(container('shop-db', hash('db')), container('shop-web', hash('web'))),
  );
  const d = describePlan(plan);
  assert.equal(d.nothingToDo, true);
  assert.equal(d.needsConfirmation, false);
  assert.equal(d.summary, "Nothing to apply for 'shop': all 2 services run with the current configuration.");
});

test('stale (not running) containers are starts, not restarts: no question', () => {
  const plan = computePlan(analysis, snapshot(container('shop-db', '5', false)));
  assert.equal(describePlan(plan).needsConfirmation, false);
});

test('down asks only when something of the file runs, and names what is left running', () => {
  const some = computeTopologyStatus(
    analysis,
    snapshot(container('shop-web', '1'), container('shop-old', '2')),
  );
  assert.ok(!('error' in some));
  const d = describeDown(some);
  assert.deepEqual(d.running, ['web']);
  assert.equal(d.needsConfirmation, true);
  assert.equal(d.summary, "Stop the running service of 'shop'?");
  assert.match(
    d.detail,
    /Stops:\n {2}web\n\nLeft running \(not services of the file, as Nucleus does\): shop-old/,
  );

  const none = computeTopologyStatus(analysis, snapshot(container('shop-web', '1', false)));
  assert.ok(!('error' in none));
  assert.equal(describeDown(none).needsConfirmation, false);
  assert.equal(describeDown(none).summary, "Nothing of 'shop' is running.");
});

test('the status item says which rules apply and where the version came from', () => {
  assert.deepEqual(describeRuleVersion(resolveRuleVersion({ setting: '0.3.8', detected: '0.3.9' })), {
    text: 'Nucleus 0.3.8 rules',
    source: 'set by nucleus.version',
  });
  assert.equal(
    describeRuleVersion(resolveRuleVersion({ setting: 'auto', detected: 'nucleus 0.3.9', inferred: '0.3.8' }))
      .source,
    'detected: nucleus --version',
  );
  const inferred = describeRuleVersion(resolveRuleVersion({ setting: 'auto', inferred: '0.3.8' }));
  assert.deepEqual(inferred, {
    text: 'Nucleus 0.3.8 rules',
    source: 'inferred from the state files (nothing was run)',
  });
  const unknown = describeRuleVersion(resolveRuleVersion({ setting: 'auto' }));
  assert.equal(unknown.text, 'Nucleus 0.3.9 rules');
  assert.match(unknown.source, /version unknown: the newest supported/);
  const future = describeRuleVersion(resolveRuleVersion({ setting: 'auto', detected: '0.4.0' }));
  assert.match(future.source, /nucleus 0\.4\.0 is not a version this extension knows/);
});

test('CLI options: always --nucleus and --nucleus-version; --root and --log-dir only when set; sudo keeps logs the user’s', () => {
  const base = {
    nucleusPath: '/opt/n u/nucleus',
    version: '0.3.8' as const,
    userLogDir: '/home/u/.local/state/l',
  };
  assert.deepEqual(runtimeCliOptions({ ...base, useSudo: false }), [
    '--nucleus',
    '/opt/n u/nucleus',
    '--nucleus-version',
    '0.3.8',
  ]);
  assert.deepEqual(runtimeCliOptions({ ...base, useSudo: false, stateRoot: '/s', logDir: '/l' }), [
    '--nucleus',
    '/opt/n u/nucleus',
    '--nucleus-version',
    '0.3.8',
    '--root',
    '/s',
    '--log-dir',
    '/l',
  ]);
  assert.deepEqual(runtimeCliOptions({ ...base, useSudo: true }).slice(-2), [
    '--log-dir',
    '/home/u/.local/state/l',
  ]);
});

test('state directory as the CLI will see it: --root, else root’s choice under sudo (env reset), else ours', () => {
  assert.deepEqual(stateDirFor('/s', true), { root: '/s' });
  assert.deepEqual(stateDirFor(undefined, true), { host: { uid: 0, env: {} } });
  assert.deepEqual(stateDirFor(undefined, false), {});
});

test('machine-only settings: a workspace or folder value is never used', () => {
  assert.equal(
    userSettingValue({ globalValue: undefined, workspaceValue: '/evil', workspaceFolderValue: '/evil' } as {
      globalValue?: string;
    }),
    undefined,
  );
  assert.equal(userSettingValue({ globalValue: '/usr/bin/nucleus' }), '/usr/bin/nucleus');
});

test('apply refuses files with errors, listed by line in file order', () => {
  const text = TEXT.replace('memory = "64M"\n\n[services.web]', '\n[services.web]').replace(
    'depends_on = [{ service = "db"',
    'depends_on = [{ service = "dbx"',
  );
  const bad = analyzeTopology(text, { version: '0.3.8' });
  const blockers = applyBlockers(bad, text);
  assert.ok(blockers.length >= 1, JSON.stringify(blockers));
  assert.deepEqual(
    blockers.map((b) => b.line),
    [...blockers.map((b) => b.line)].sort((a, b) => a - b),
  );
  assert.equal(blockers[0]?.line, 3);
  assert.match(blockers[0]?.message ?? '', /memory/);
  const text1 = describeBlockers('shop.topology.toml', blockers, 1);
  assert.match(text1, /^shop\.topology\.toml has \d+ errors? Nucleus would fail on: line 3: /);
  assert.deepEqual(applyBlockers(analysis, TEXT), []);
});
