// The plan/apply/down/state commands through runCli (in process): output, JSON, confirmation, --expect-plan and
// exit codes, with the nucleus test double in a temporary state directory.

import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readStateDir } from '@nucleus-topology/engine';
import { doubleWorkspace } from '../helpers/double.js';
import { runCliCaptured } from './markers.ts';

const FIXTURES = new URL('../fixtures/plan/', import.meta.url).pathname;
const { double, work, root, logDir, env, entries, cleanup } = doubleWorkspace('nt-cli-');
const file = join(work, 'app.topology.toml');
const common = ['--root', root, '--nucleus', double, '--log-dir', logDir];

after(cleanup);

/**
 * A copy of a plan fixture's state directory whose recorded pids can never be live. The fixtures keep the pids
 * of the machine they were recorded on (e.g. 23681), and pids wrap on CI (pid_max 32768): a process of ours or of
 * anyone may hold that pid when the test runs, and the reason becomes "reused" instead of "gone". 999999999 is
 * above the kernel's PID_MAX_LIMIT (2^22), so it is never a live pid anywhere.
 */
function deadPidState(fixture: string): string {
  const dir = join(work, `${fixture}-state`);
  cpSync(join(FIXTURES, fixture, 'state'), dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/"pid": \d+/, '"pid": 999999999'));
  }
  return dir;
}

const cli = (args: string[], answer = false) => runCliCaptured(args, work, { env, answer });

const topo = (memory: string) =>
  `name = "app"\n\n[services.api]\nrootfs = "/nix/store/aaaaaaaa-api"\ncommand = ["/bin/api"]\nmemory = "${memory}"\n\n[services.cache]\nrootfs = "/nix/store/bbbbbbbb-cache"\ncommand = ["/bin/cache"]\nmemory = "64M"\n`;

describe('plan', () => {
  it('--json: plan_reconcile fields plus reasons, warnings, fingerprint', async () => {
    const dir = join(FIXTURES, '17-diamond-mixed-actions');
    const r = await cli([
      'plan',
      join(dir, 'topology.toml'),
      '--json',
      '--root',
      deadPidState('17-diamond-mixed-actions'),
      '--nucleus-version',
      '0.3.8',
    ]);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(json.startup_order, expected.startup_order);
    assert.deepEqual(json.hashes, expected.hashes);
    // the recorded pids are dead now: every service is a Start, nothing is claimed
    assert.deepEqual(json.actions, [
      ['db', 'Start'],
      ['cache', 'Start'],
      ['worker', 'Start'],
      ['web', 'Start'],
    ]);
    assert.equal(typeof json.fingerprint, 'string');
    assert.ok(Array.isArray(json.warnings));
    assert.equal(
      (json.reasons as Record<string, string>).db,
      'not running (state file stale: pid 999999999 gone)',
    );
  });

  it('--json gives {"error"} as plan_reconcile, and exits 1; text mode prints what nucleus prints', async () => {
    const dir = join(FIXTURES, '13-cycle-error');
    const args = [
      'plan',
      join(dir, 'topology.toml'),
      '--root',
      join(dir, 'state'),
      '--nucleus-version',
      '0.3.8',
    ];
    const json = await cli([...args, '--json']);
    assert.equal(json.code, 1);
    assert.equal(
      (JSON.parse(json.stdout) as { error: string }).error,
      'Configuration error: Circular dependency detected among services: ["a", "b"]',
    );
    const text = await cli(args);
    assert.equal(text.code, 1);
    assert.equal(
      text.stderr,
      'Error: Configuration error: Circular dependency detected among services: ["a", "b"]\n',
    );
  });

  it('usage errors and unreadable files exit 2', async () => {
    assert.equal((await cli(['plan'])).code, 2);
    assert.equal((await cli(['plan', 'a', 'b'])).code, 2);
    assert.equal((await cli(['plan', file, '--bogus'])).code, 2);
    assert.equal((await cli(['plan', file, '--nucleus-version', '0.3.7'])).code, 2);
    const missing = await cli(['plan', join(work, 'missing.toml'), ...common]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*missing\.toml/);
  });
});

describe('apply / state / down', () => {
  it('exits 5 with a helpful message when nucleus is missing', async () => {
    writeFileSync(file, topo('128M'));
    const r = await cli(['apply', file, '--yes', '--root', root, '--nucleus', join(work, 'no-such-nucleus')]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /cannot run '.*no-such-nucleus': not found\.\nInstall Nucleus, or pass --nucleus/);
  });

  it('starts without asking (nothing to stop), prints the plan and Nucleus lines', async () => {
    const r = await cli(['apply', file, ...common]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.questions, []);
    assert.ok(
      r.stdout.startsWith("Reconciliation plan for topology 'app':\n  api -> start\n  cache -> start\n"),
    );
    assert.match(r.stdout, /\nBringing up topology 'app'\.\.\.\n[^]*\nTopology 'app' is up\n/);
  });

  it('asks before a restart; "no" exits 4 and stops nothing', async () => {
    writeFileSync(file, topo('256M'));
    const n = entries().length;
    const r = await cli(['apply', file, ...common], false);
    assert.equal(r.code, 4);
    assert.deepEqual(r.questions, ['This stops 1 running container: app-api (restart). Continue?']);
    assert.deepEqual(
      entries()
        .slice(n)
        .filter((e) => !e.argv.includes('--version')),
      [],
    );
  });

  it('--expect-plan with a stale fingerprint exits 3 and prints the new plan; the right one applies', async () => {
    const plan = await cli(['plan', file, '--json', ...common]);
    const fingerprint = (JSON.parse(plan.stdout) as { fingerprint: string }).fingerprint;
    const stale = await cli(['apply', file, '--yes', '--expect-plan', 'ffffffffffffffff', ...common]);
    assert.equal(stale.code, 3);
    assert.match(stale.stderr, /The state changed/);
    assert.ok(stale.stdout.includes('\n  api -> restart\n  cache -> no change\n'));
    const ok = await cli(['apply', file, '--expect-plan', fingerprint, ...common], true);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.questions.length, 1);
    const snap = await readStateDir(root);
    assert.equal(snap.containers.filter((c) => c.running).length, 2);
  });

  it('state shows the table; --json the data', async () => {
    const r = await cli(['state', file, ...common]);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'SERVICE                   STATUS     PID        UPTIME     DRIFT');
    assert.match(lines[1] ?? '', /^api {23}running {4}\d+ +\d+s +in sync$/);
    assert.match(lines[2] ?? '', /^cache {21}running/);
    const json = JSON.parse((await cli(['state', file, '--json', ...common])).stdout) as {
      services: { service: string; drift: string }[];
    };
    assert.deepEqual(
      json.services.map((s) => [s.service, s.drift]),
      [
        ['api', 'in-sync'],
        ['cache', 'in-sync'],
      ],
    );
  });

  it('down asks, then stops in shutdown order', async () => {
    const no = await cli(['down', file, ...common], false);
    assert.equal(no.code, 4);
    const r = await cli(['down', file, '--yes', ...common]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Tearing down topology 'app'\.\.\.\nStopping app-cache\.\.\.\n[^]*Stopping app-api\.\.\.\n[^]*Topology 'app' is down\n$/,
    );
    assert.deepEqual((await readStateDir(root)).containers, []);
  });
});
