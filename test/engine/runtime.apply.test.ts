// apply/down/state against the `nucleus` test double in a temporary state directory: exact argv, idempotence,
// single-service restart, health-check failure, shutdown order, early create failure, services outliving the CLI,
// log files. Every process started is killed by pid in `after`.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  analyzeTopology,
  applyTopology,
  buildRunArgs,
  computeTopologyStatus,
  createNucleusCli,
  downTopology,
  readStateDir,
  secretsPayload,
  type Analysis,
  type ApplyEvent,
  type ApplyOptions,
} from '@nucleus-topology/engine';
import { doubleWorkspace } from '../helpers/double.js';

const REPO = new URL('../../', import.meta.url).pathname;
const { double, work, root, logDir, env, entries, cleanup } = doubleWorkspace('nt-apply-');
const ready = join(work, 'db-ready');
const secretFile = join(work, 'db.secret');

/** argv after `--root R`, from the n-th entry on. */
const commandsSince = (n: number) =>
  entries()
    .slice(n)
    .map((e) => e.argv.slice(2));

function topology(webMemory = '256M', extra = ''): string {
  return `name = "shop"

[volumes.pgdata]
volume_type = "persistent"
path = "${work}/vol/pg"
owner = "70:70"

[services.db]
rootfs = "/nix/store/aaaaaaaa-db"
command = ["/bin/db", "--port", "5432"]
memory = "512M"
health_check = "test -f ${ready}"
health_interval = 1
secrets = ["${secretFile}:/run/secrets/db"]
environment = { PGDATA = "/var/lib/pg" }
volumes = ["pgdata:/var/lib/pg"]

[services.worker]
rootfs = "/nix/store/bbbbbbbb-worker"
command = ["/bin/worker"]
memory = "128M"

[[services.worker.depends_on]]
service = "db"
condition = "started"

[services.web]
rootfs = "/nix/store/cccccccc-web"
command = ["/bin/web"]
memory = "${webMemory}"
${extra}
[[services.web.depends_on]]
service = "db"
condition = "healthy"
`;
}

const analyze = (text: string): Analysis => analyzeTopology(text, { version: '0.3.8' });
const cli = createNucleusCli({ binary: double, root, env });

async function apply(text: string, more: Partial<ApplyOptions> = {}) {
  const events: ApplyEvent[] = [];
  const result = await applyTopology(analyze(text), {
    cli,
    stateDir: root,
    root,
    logDir,
    env,
    onProgress: (e) => events.push(e),
    ...more,
  });
  return { result, events };
}

before(() => {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  writeFileSync(secretFile, 's3cret');
  writeFileSync(ready, '');
});
after(cleanup);

describe('apply/down/state against the nucleus double', () => {
  it('the test topology has no errors', () => {
    const a = analyze(topology());
    assert.deepEqual(
      a.issues.filter((i) => i.severity === 'error').map((i) => i.message),
      [],
    );
  });

  it('first apply starts db (healthy wait), worker and web with the exact create argv', async () => {
    const text = topology();
    const a = analyze(text);
    const { result, events } = await apply(text);
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(
      result.plan.steps.map((s) => [s.service, s.action]),
      [
        ['db', 'Start'],
        ['web', 'Start'],
        ['worker', 'Start'],
      ],
    );
    const creates = entries().filter((e) => e.argv.includes('create'));
    assert.equal(creates.length, 3);
    const top = a.topology;
    assert.ok(top);
    for (const [i, svc] of ['db', 'web', 'worker'].entries()) {
      const built = buildRunArgs(top, svc, {
        hash: a.hashes.get(svc) as string,
        version: '0.3.8',
        root,
        secretsFd: 3,
      });
      assert.ok('args' in built);
      assert.deepEqual(creates[i]?.argv, built.args.slice(1), svc);
    }
    const dbArgv = creates[0]?.argv ?? [];
    assert.deepEqual(dbArgv.slice(0, 3), ['--root', root, 'create']);
    assert.equal(dbArgv[dbArgv.indexOf('--secrets-fd') + 1], '3');
    // the persistent volume was prepared as Nucleus does, before create
    assert.equal(dbArgv[dbArgv.indexOf('--volume') + 1], `${work}/vol/pg:/var/lib/pg:rw`);
    const pg = statSync(join(work, 'vol', 'pg'));
    assert.equal(pg.mode & 0o777, 0o700);
    if (process.geteuid?.() === 0) assert.deepEqual([pg.uid, pg.gid], [70, 70]);
    assert.equal(
      creates[0]?.secrets_sha256,
      createHash('sha256')
        .update(secretsPayload(top.services.get('db') as never))
        .digest('hex'),
    );
    // the health probe: attach … -- /bin/sh -c <health_check>, before web (which waits for db healthy) is created
    const all = entries().map((e) => e.argv.slice(2));
    const probe = all.findIndex((x) => x[0] === 'attach');
    assert.deepEqual(all[probe], ['attach', 'shop-db', '--', '/bin/sh', '-c', `test -f ${ready}`]);
    assert.ok(probe < all.findIndex((x) => x[0] === 'create' && x.includes('shop-web')));
    assert.ok(events.some((e) => e.kind === 'healthy' && e.service === 'db'));
    assert.equal(events[0]?.message, "Bringing up topology 'shop'...");
    assert.equal(events[events.length - 1]?.message, "Topology 'shop' is up");

    const snap = await readStateDir(root);
    assert.deepEqual(snap.containers.map((c) => [c.state.name, c.running]).sort(), [
      ['shop-db', true],
      ['shop-web', true],
      ['shop-worker', true],
    ]);
    // logs land in the per-service log file: our header, then the container id create printed
    const dbLog = readFileSync(join(logDir, 'shop', 'db.log'), 'utf8');
    const dbId = snap.containers.find((c) => c.state.name === 'shop-db')?.state.id ?? '?';
    assert.match(
      dbLog,
      /^==> .* nucleus-topology apply: .*nucleus --root .* create --service-mode production/m,
    );
    assert.ok(dbLog.includes(`${dbId}\n`));
    assert.equal(result.logFiles.db, join(logDir, 'shop', 'db.log'));
  });

  it('a second apply is all NoChange and runs nothing', async () => {
    const n = entries().length;
    const { result } = await apply(topology());
    assert.equal(result.status, 'ok');
    assert.deepEqual(
      result.plan.steps.map((s) => s.action),
      ['NoChange', 'NoChange', 'NoChange'],
    );
    assert.deepEqual(commandsSince(n), []);
  });

  it('state shows every service in sync', async () => {
    const status = computeTopologyStatus(analyze(topology()), await readStateDir(root));
    assert.ok(!('error' in status));
    assert.deepEqual(
      status.services.map((s) => [s.service, s.status, s.drift]),
      [
        ['db', 'running', 'in-sync'],
        ['web', 'running', 'in-sync'],
        ['worker', 'running', 'in-sync'],
      ],
    );
    const changed = computeTopologyStatus(analyze(topology('300M')), await readStateDir(root));
    assert.ok(!('error' in changed));
    assert.equal(changed.services.find((s) => s.service === 'web')?.drift, 'changed');
  });

  it('changing one service restarts only it, waiting for the old state file to go', async () => {
    const n = entries().length;
    const before = await readStateDir(root);
    const oldWeb = before.containers.find((c) => c.state.name === 'shop-web')?.state.id;
    const { result, events } = await apply(topology('300M'));
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(
      result.plan.steps.map((s) => [s.service, s.action]),
      [
        ['db', 'NoChange'],
        ['web', 'Restart'],
        ['worker', 'NoChange'],
      ],
    );
    const cmds = commandsSince(n).map((x) =>
      x.slice(0, 2).concat(x.includes('--name') ? [x[x.indexOf('--name') + 1] as string] : []),
    );
    assert.deepEqual(cmds, [
      ['stop', 'shop-web'],
      ['create', '--service-mode', 'shop-web'],
    ]);
    assert.ok(events.some((e) => e.kind === 'state-gone' && e.service === 'web'));
    const after = await readStateDir(root);
    const web = after.containers.filter((c) => c.state.name === 'shop-web');
    assert.equal(web.length, 1);
    assert.notEqual(web[0]?.state.id, oldWeb);
    assert.equal(web[0]?.state.config_hash, analyze(topology('300M')).hashes.get('web'));
  });

  it('--expect-plan: a different fingerprint changes nothing', async () => {
    const n = entries().length;
    const { result } = await apply(topology('400M'), { expectFingerprint: '0000000000000000' });
    assert.equal(result.status, 'plan-changed');
    assert.deepEqual(commandsSince(n), []);
  });

  it('refuses a file with errors and lists them', async () => {
    const n = entries().length;
    // an error Nucleus itself would only hit during up (after starting db and web)
    const upOnly = await apply(topology('lots'));
    assert.equal(upOnly.result.status, 'refused');
    assert.equal(upOnly.result.error, 'the file has 1 error');
    assert.deepEqual(
      upOnly.result.issues?.map((i) => i.code),
      ['invalid-memory'],
    );
    // an error `nucleus compose up` reports at once: its text
    const invalid = await apply(topology('256M', 'networks = ["nope"]\n'));
    assert.equal(invalid.result.status, 'refused');
    assert.equal(
      invalid.result.error,
      "Configuration error: Service 'web' references unknown network 'nope'",
    );
    assert.deepEqual(commandsSince(n), []);
  });

  it('down stops the services in shutdown order', async () => {
    const n = entries().length;
    const events: ApplyEvent[] = [];
    const result = await downTopology(analyze(topology('300M')), {
      cli,
      stateDir: root,
      root,
      onProgress: (e) => events.push(e),
    });
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(commandsSince(n), [
      ['stop', 'shop-worker', '-t', '10'],
      ['stop', 'shop-web', '-t', '10'],
      ['stop', 'shop-db', '-t', '10'],
    ]);
    assert.deepEqual(
      events.filter((e) => e.nucleus).map((e) => e.message),
      [
        "Tearing down topology 'shop'...",
        'Stopping shop-worker...',
        'Stopping shop-web...',
        'Stopping shop-db...',
        "Topology 'shop' is down",
      ],
    );
    assert.deepEqual((await readStateDir(root)).containers, []);
  });

  it('a failing health check stops the apply before the dependent starts', async () => {
    rmSync(ready);
    const n = entries().length;
    const { result, events } = await apply(topology(), { timing: { healthTimeoutSeconds: 2 } });
    assert.equal(result.status, 'failed');
    assert.equal(result.error, 'Process execution failed: Service shop-db did not become healthy within 2s');
    assert.ok(events.some((e) => e.kind === 'probe-failed'));
    const created = commandsSince(n)
      .filter((x) => x[0] === 'create')
      .map((x) => x[x.indexOf('--name') + 1]);
    assert.deepEqual(created, ['shop-db']);
    assert.deepEqual(
      result.steps.map((s) => [s.service, s.outcome]),
      [
        ['db', 'failed'],
        ['web', 'not-run'],
        ['worker', 'not-run'],
      ],
    );
    // what started stays up, as with Nucleus; clean it for the next test
    const d = await downTopology(analyze(topology()), { cli, stateDir: root, root });
    assert.equal(d.status, 'ok');
    writeFileSync(ready, '');
  });

  it('an AbortSignal cancels the apply between probes; what started keeps running', async () => {
    rmSync(ready);
    const controller = new AbortController();
    const { result } = await apply(topology(), {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'probe-failed') controller.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    assert.equal(result.steps[0]?.outcome, 'failed');
    const db = (await readStateDir(root)).containers.find((c) => c.state.name === 'shop-db');
    assert.equal(db?.running, true);
    const d = await downTopology(analyze(topology()), { cli, stateDir: root, root });
    assert.deepEqual(d.stopped, ['shop-db']);
    writeFileSync(ready, '');
  });

  it('a create that exits before registering fails at once with its stderr', async () => {
    const text = `name = "early"\n\n[services.api]\nrootfs = "/nix/store/dddddddd-api"\ncommand = ["/bin/api"]\nmemory = "64M"\nenvironment = { DOUBLE_FAIL_CREATE = "Production mode requires --verify-rootfs-attestation" }\n`;
    const started = Date.now();
    const { result } = await apply(text);
    assert.equal(result.status, 'failed');
    assert.ok(Date.now() - started < 8000, 'did not wait the full 10 s');
    assert.match(
      result.error ?? '',
      /^Process execution failed: Service early-api failed to register state: nucleus create exited with status 1\nLast lines of .*api\.log:\n {2}\| Error: Production mode requires --verify-rootfs-attestation$/,
    );
  });

  it('services keep running after the apply process exits (CLI run as a child process)', async () => {
    const file = join(work, 'solo.topology.toml');
    writeFileSync(
      file,
      `name = "solo"\n\n[services.app]\nrootfs = "/nix/store/eeeeeeee-app"\ncommand = ["/bin/app"]\nmemory = "64M"\n`,
    );
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'engine/src/cli/bin.ts',
        'apply',
        file,
        '--yes',
        '--root',
        root,
        '--nucleus',
        double,
        '--log-dir',
        logDir,
      ],
      { cwd: REPO, env },
    );
    assert.match(stdout, /Reconciliation plan for topology 'solo':\n {2}app -> start\n/);
    assert.match(stdout, /Topology 'solo' is up\n/);
    // the CLI process has exited; the service is still running
    const snap = await readStateDir(root);
    const app = snap.containers.find((c) => c.state.name === 'solo-app');
    assert.equal(app?.running, true);
    const supervisor = entries().find((e) => e.argv.includes('solo-app'));
    assert.ok(supervisor);
    assert.doesNotThrow(() => process.kill(supervisor.pid, 0));
    const d = await downTopology(analyze(readFileSync(file, 'utf8')), { cli, stateDir: root, root });
    assert.deepEqual(d.stopped, ['solo-app']);
  });
});
