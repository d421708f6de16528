// The topology terminal's pure parts: argv building (sudo, Electron as Node), terminal names, and the wrapper
// program bundled as esbuild.mjs bundles it (dist/terminal-wrapper.js; here into a scratch folder so parallel
// builds of dist/ never race) and run for real: it passes file names through as argv, reports the exit code over
// the socket, and never hands anything to a shell.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import {
  buildCliArgv,
  buildNucleusArgv,
  formatArgv,
  parseWrapperReport,
  topologyLabel,
  topologyTerminalName,
  WRAPPER_BUNDLE,
  wrapArgv,
} from '@nucleus-topology/client';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const bundleDir = mkdtempSync(join(tmpdir(), 'wrapper-bundle-'));
const wrapperPath = join(bundleDir, 'terminal-wrapper.js');

before(async () => {
  // The options esbuild.mjs uses for every dist/ bundle (CommonJS for Node 20, everything bundled).
  await build({
    entryPoints: [join(ROOT, 'client/src/terminalWrapperProgram.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['source'],
    outfile: wrapperPath,
    logLevel: 'warning',
  });
});
after(() => rmSync(bundleDir, { recursive: true, force: true }));

test('the CLI runs on the editor runtime with ELECTRON_RUN_AS_NODE; sudo re-adds it through env', () => {
  const input = {
    execPath: '/code/electron',
    cliPath: '/ext/dist/cli.js',
    cliArgs: ['plan', '/a b/x.topology.toml'],
  };
  assert.deepEqual(buildCliArgv({ ...input, useSudo: false }), {
    argv: ['/code/electron', '/ext/dist/cli.js', 'plan', '/a b/x.topology.toml'],
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  assert.deepEqual(buildCliArgv({ ...input, useSudo: true }).argv, [
    'sudo',
    '--',
    'env',
    'ELECTRON_RUN_AS_NODE=1',
    '/code/electron',
    '/ext/dist/cli.js',
    'plan',
    '/a b/x.topology.toml',
  ]);
  assert.deepEqual(buildNucleusArgv('/usr/bin/nucleus', ['attach', 'shop-web'], true).argv, [
    'sudo',
    '--',
    '/usr/bin/nucleus',
    'attach',
    'shop-web',
  ]);
});

test('terminal names come from the file, or its folder for a plain topology.toml', () => {
  assert.equal(topologyLabel('/w/shop.topology.toml'), 'shop');
  assert.equal(topologyLabel('/w/a $(touch pwned) b.topology.toml'), 'a $(touch pwned) b');
  assert.equal(topologyLabel('/w/service/topology.toml'), 'service');
  assert.equal(topologyTerminalName('/w/shop.topology.toml'), 'Nucleus: shop');
  assert.equal(formatArgv(['a b', '"q"']), '"a b" "\\"q\\""');
});

test('the wrapper ships as its own bundle, started by path (no program text on the command line)', () => {
  assert.equal(WRAPPER_BUNDLE, 'dist/terminal-wrapper.js');
  const launch = wrapArgv('/code/electron', '/ext/dist/terminal-wrapper.js', '/tmp/s.sock', 'ab12cd34', [
    '/code/electron',
    '/ext/dist/cli.js',
    'plan',
    '/a $(x) b.topology.toml',
  ]);
  assert.deepEqual(launch, {
    shellPath: '/code/electron',
    shellArgs: [
      '/ext/dist/terminal-wrapper.js',
      '/tmp/s.sock',
      'ab12cd34',
      '/code/electron',
      '/ext/dist/cli.js',
      'plan',
      '/a $(x) b.topology.toml',
    ],
  });
  const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes(`!${WRAPPER_BUNDLE}`), '.vscodeignore ships the wrapper bundle');
  assert.match(
    readFileSync(join(ROOT, 'esbuild.mjs'), 'utf8'),
    /'terminal-wrapper': 'client\/src\/terminalWrapperProgram\.ts'/,
  );
});

test('wrapper reports are exact: token and code only', () => {
  assert.deepEqual(parseWrapperReport('0123456789abcdef 3\n'), { token: '0123456789abcdef', code: 3 });
  assert.equal(parseWrapperReport('0123456789abcdef'), undefined);
  assert.equal(parseWrapperReport('nothex!! 0'), undefined);
  assert.equal(parseWrapperReport('0123456789abcdef 0; rm -rf /'), undefined);
});

async function runWrapper(argv: string[]): Promise<{ report: string; exit: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wrapper-test-'));
  const socketPath = join(dir, 's.sock');
  let report = '';
  const server = createServer((s) => s.on('data', (d) => (report += String(d))));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  try {
    const launch = wrapArgv(process.execPath, wrapperPath, socketPath, 'feedc0ffee', argv);
    assert.deepEqual(launch.shellArgs.slice(0, 3), [wrapperPath, socketPath, 'feedc0ffee']);
    // stdin is not a TTY here, so the wrapper exits right after reporting instead of waiting for a key.
    const child = spawn(launch.shellPath, launch.shellArgs, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const exit = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { report, exit, output };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the wrapper runs argv without a shell, reports the exit code and exits with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wrapper-argv-'));
  try {
    const evil = join(dir, 'a $(touch pwned) b.topology.toml');
    writeFileSync(evil, '');
    const script =
      'const fs=require("node:fs");process.stdout.write(JSON.stringify(process.argv.slice(1)));process.exit(fs.existsSync(process.argv[1])?7:9)';
    const result = await runWrapper([process.execPath, '-e', script, '--', evil]);
    assert.equal(result.exit, 7, result.output);
    assert.equal(parseWrapperReport(result.report)?.code, 7);
    assert.equal(parseWrapperReport(result.report)?.token, 'feedc0ffee');
    assert.ok(result.output.startsWith(JSON.stringify([evil])), result.output);
    assert.match(result.output, /exit code 7\. Press any key to close this terminal\./);
    assert.equal(existsSync(join(dir, 'pwned')), false);
    assert.equal(existsSync('pwned'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a program that cannot start is reported as 127', async () => {
  const result = await runWrapper(['/nonexistent/nucleus-topology-test-binary']);
  assert.equal(result.exit, 127);
  assert.equal(parseWrapperReport(result.report)?.code, 127);
  assert.match(result.output, /Cannot start \/nonexistent\/nucleus-topology-test-binary/);
});

test('a program ended by a signal reports 128 + the signal number', async () => {
  const result = await runWrapper([process.execPath, '-e', 'process.kill(process.pid, "SIGTERM")']);
  assert.equal(result.exit, 143, result.output);
  assert.equal(parseWrapperReport(result.report)?.code, 143);
  assert.match(result.output, /ended by SIGTERM/);
});

test('without its arguments the wrapper says how to use it and exits 2', async () => {
  const child = spawn(process.execPath, [wrapperPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (d) => (output += String(d)));
  const exit = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(exit, 2);
  assert.match(output, /usage: terminal-wrapper <socket> <token> <program>/);
});
