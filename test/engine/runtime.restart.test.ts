// Restarting one service (restartService and `nucleus-topology restart FILE SERVICE`) against the nucleus test
// double in a temporary state directory: only that service is stopped and created again, with the file's hash;
// a stopped service is just started; refusals; argument parsing; confirmation. Processes are killed in `after`.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  analyzeTopology,
  applyTopology,
  createNucleusCli,
  readStateDir,
  restartService,
  type ApplyEvent,
} from '@nucleus-topology/engine';
import { doubleWorkspace } from '../helpers/double.js';
import { runCliCaptured } from './markers.ts';

const { double, work, root, logDir, env, entries, cleanup } = doubleWorkspace('nt-restart-');
const file = join(work, 'shop.topology.toml');
const cli = createNucleusCli({ binary: double, root, env });
/** What applyTopology and restartService are given in every test here. */
const runtime = { cli, stateDir: root, root, logDir, env };

const text = (webMemory: string) => `name = "shop"

[services.db]
rootfs = "/nix/store/aaaaaaaa-db"
command = ["/bin/db"]
memory = "128M"

[services.web]
rootfs = "/nix/store/cccccccc-web"
command = ["/bin/web"]
memory = "${webMemory}"

[[services.web.depends_on]]
service = "db"
`;
const analyze = (t: string) => analyzeTopology(t, { version: '0.3.8' });

/** `[command, --name value]` of each nucleus run since entry n (after `--root R`; --version runs skipped). */
const commandsSince = (n: number) =>
  entries()
    .slice(n)
    .map((e) => e.argv.slice(2))
    .filter((a) => a[0] !== '--version')
    .map((a) => (a[0] === 'create' ? ['create', a[a.indexOf('--name') + 1] ?? '?'] : a.slice(0, 2)));

async function running(): Promise<Map<string, { id: string; hash: string | null }>> {
  const snap = await readStateDir(root);
  return new Map(
    snap.containers
      .filter((c) => c.running)
      .map((c) => [c.state.name, { id: c.state.id, hash: c.state.config_hash }]),
  );
}

const runRestartCli = (args: string[], answer = false) =>
  runCliCaptured(['restart', ...args], work, { env, answer });
const common = ['--root', root, '--nucleus', double, '--log-dir', logDir, '--nucleus-version', '0.3.8'];

before(async () => {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  writeFileSync(file, text('256M'));
  const result = await applyTopology(analyze(text('256M')), runtime);
  assert.equal(result.status, 'ok', result.error);
});
after(cleanup);

describe('restartService', () => {
  it('stops and creates only that service, with the hash of the (edited) file; dependents are not restarted', async () => {
    const beforeRun = await running();
    const n = entries().length;
    const events: ApplyEvent[] = [];
    const edited = analyze(text('300M'));
    const result = await restartService(edited, 'db', {
      ...runtime,
      onProgress: (e) => events.push(e),
    });
    assert.equal(result.status, 'ok', result.error);
    assert.equal(result.stopped, true);
    assert.equal(result.logFile, join(logDir, 'shop', 'db.log'));
    assert.deepEqual(result.dependentsNotRestarted, ['web']);
    assert.deepEqual(commandsSince(n), [
      ['stop', 'shop-db'],
      ['create', 'shop-db'],
    ]);
    const afterRun = await running();
    assert.notEqual(afterRun.get('shop-db')?.id, beforeRun.get('shop-db')?.id);
    assert.equal(afterRun.get('shop-db')?.hash, edited.hashes.get('db'));
    assert.equal(afterRun.get('shop-web')?.id, beforeRun.get('shop-web')?.id, 'web untouched');
    assert.ok(events.some((e) => e.kind === 'state-gone' && e.service === 'db'));
    assert.ok(events.some((e) => e.kind === 'warning' && e.message.includes('web depends on db')));
    assert.match(readFileSync(join(logDir, 'shop', 'db.log'), 'utf8'), /==> .* nucleus-topology apply: /);
  });

  it('a service that is not running is only started', async () => {
    const r = await cli.stop('shop-web', 5);
    assert.equal(r.exitCode, 0, r.stderr);
    // the double's supervisor removes the state file a moment after the workload exits (E10): wait for that
    for (
      let i = 0;
      i < 250 && (await readStateDir(root)).containers.some((c) => c.state.name === 'shop-web');
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const n = entries().length;
    const result = await restartService(analyze(text('256M')), 'web', runtime);
    assert.equal(result.status, 'ok', result.error);
    assert.equal(result.stopped, false);
    assert.deepEqual(commandsSince(n), [['create', 'shop-web']]);
    assert.equal((await running()).has('shop-web'), true);
  });

  it('refuses a service the file does not declare, and a file with errors', async () => {
    const n = entries().length;
    const missing = await restartService(analyze(text('256M')), 'nope', runtime);
    assert.equal(missing.status, 'refused');
    assert.equal(missing.error, "Configuration error: Service 'nope' not found in topology");
    const bad = await restartService(analyze(text('lots')), 'web', runtime);
    assert.equal(bad.status, 'refused');
    assert.ok((bad.issues?.length ?? 0) > 0);
    assert.deepEqual(commandsSince(n), [], 'nothing was run');
  });
});

describe('nucleus-topology restart', () => {
  it('asks before stopping a running container; no answer changes nothing (exit 4)', async () => {
    const n = entries().length;
    const r = await runRestartCli([file, 'web', ...common]);
    assert.equal(r.code, 4, r.stderr);
    assert.deepEqual(r.questions.length, 1);
    assert.match(r.questions[0] ?? '', /^Stop and restart shop-web \(pid \d+\)\?$/);
    assert.deepEqual(commandsSince(n), []);
  });

  it('--yes restarts it; SERVICE may come after the options', async () => {
    const webBefore = (await running()).get('shop-web')?.id;
    const r = await runRestartCli([
      '--root',
      root,
      file,
      '--yes',
      '--nucleus',
      double,
      '--log-dir',
      logDir,
      'web',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Restarting service 'web' of topology 'shop'\.\.\./);
    assert.match(r.stdout, /Service shop-web is up\n/);
    assert.match(r.stdout, new RegExp(`Service log: ${join(logDir, 'shop', 'web.log')}`));
    assert.notEqual((await running()).get('shop-web')?.id, webBefore);
  });

  it('usage errors: missing SERVICE, unknown option, unknown service', async () => {
    const noService = await runRestartCli([file, ...common]);
    assert.equal(noService.code, 2);
    assert.match(noService.stderr, /a SERVICE is required after FILE/);
    const unknown = await runRestartCli([file, 'web', '--json', ...common]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--json'/);
    const three = await runRestartCli([file, 'web', 'db', ...common]);
    assert.equal(three.code, 2);
    const notThere = await runRestartCli([file, 'nope', '--yes', ...common]);
    assert.equal(notThere.code, 1);
    assert.match(notThere.stderr, /Service 'nope' not found in topology/);
  });

  it('is listed in the CLI usage', async () => {
    const { stdout } = await runCliCaptured(['--help'], work, { env });
    assert.match(stdout, /restart FILE SERVICE \[--yes\]/);
  });
});
