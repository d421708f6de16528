// Runs the e2e suite inside a real VS Code extension host (code-server), headless. The browser (Debian
// chromium via playwright-core) only hosts the workbench; the tests run in code-server's Node extension host
// with the full `vscode` API, exactly like extensionTestsPath under @vscode/test-electron.
// Exit code = the suite's result: 0 pass, 1 fail (the code-server log is printed), 124 timeout.
//
// Usage: node scripts/vscode/run-tests.mjs [--untrusted] [extensionDevelopmentPath [extensionTestsPath [workspaceFolder]]]
//   defaults: the repository, out/e2e/index.js (built by `node esbuild.mjs --tests`), test/fixtures/workspace
//   --untrusted: Workspace Trust on and the folder not trusted; runs only the 'untrusted workspace' suite
// The extension host gets test/double first on PATH (the `nucleus` test double), NUCLEUS_DOUBLE_LOG (its argv log)
// and NUCLEUS_E2E_TMP (a scratch folder for state and logs), all removed at the end.
// env: TEST_TIMEOUT_S (default 600), VERBOSE=1 (all workbench logs), FAILURE_SHOT=file.png (screenshot on failure),
//      MOCHA_GREP=pattern (run only matching tests), VSCODE_HARNESS_HOME, CHROMIUM
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { format } from 'node:util';
import { freePort, launchChromium, remoteUri, startCodeServer, workbenchUrl } from './harness.mjs';

const repo = resolve(import.meta.dirname, '../..');
const untrusted = process.argv.includes('--untrusted');
const paths = process.argv.slice(2).filter((a) => a !== '--untrusted');
const [ext, tests, workspace] = [
  paths[0] ?? repo,
  paths[1] ?? join(repo, 'out/e2e/index.js'),
  paths[2] ?? join(repo, 'test/fixtures/workspace'),
].map((p) => resolve(p));
if (!existsSync(tests)) {
  console.error(`run-tests: ${tests} not found; build the suite first: node esbuild.mjs --tests`);
  process.exit(2);
}

// code-server (and so the extension host and its terminals) inherits these.
const scratch = mkdtempSync(join(tmpdir(), 'nucleus-e2e-'));
process.env.PATH = `${join(repo, 'test/double')}${delimiter}${process.env.PATH ?? ''}`;
process.env.NUCLEUS_DOUBLE_LOG = join(scratch, 'nucleus-argv.jsonl');
process.env.NUCLEUS_E2E_TMP = scratch;
// Keep this environment for the extension host and its terminals: without it the server re-reads a login shell's
// environment, whose profile resets PATH.
process.env.VSCODE_CLI = '1';
if (untrusted) process.env.MOCHA_GREP ??= 'untrusted workspace';

const t0 = Date.now();
const log = (message) => console.log(`[harness ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
// Workbench chatter that is expected offline; hidden unless VERBOSE=1.
const NOISE =
  /^(Resolv|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\])|ENOTFOUND|authentication provider 'github'/;

let server;
let browser;
let page;
let done = false;
async function finish(code) {
  if (done) return;
  done = true;
  if (code !== 0 && page && process.env.FAILURE_SHOT) {
    await page.screenshot({ path: process.env.FAILURE_SHOT }).catch(() => {});
    log(`failure screenshot: ${process.env.FAILURE_SHOT}`);
  }
  if (browser) await browser.close().catch(() => {});
  if (code !== 0 && server) console.log(`--- code-server log ---\n${server.log()}`);
  server?.stop();
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}

async function main() {
  setTimeout(
    () => {
      log('TIMEOUT');
      void finish(124);
    },
    (Number(process.env.TEST_TIMEOUT_S) || 600) * 1000,
  ).unref();
  const port = await freePort();
  // The suite reads MOCHA_GREP in the extension host, which inherits code-server's environment.
  server = await startCodeServer({ workspace, port, smokeTestDriver: true, workspaceTrust: untrusted });
  log(`code-server ${server.url} is up`);
  browser = await launchChromium();
  page = await browser.newPage();
  // With the smoke-test driver on, the workbench reports logs (incl. the extension host's console, i.e.
  // mocha's reporter) to window.codeAutomationLog and the test result to window.codeAutomationExit.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...args);
    if (process.env.VERBOSE || !NOISE.test(line)) {
      console.log(type === 'error' && !process.env.VERBOSE ? line.split('\n')[0] : line);
    }
  });
  await page.exposeFunction('codeAutomationExit', async (code) => {
    log(`extension host exited with ${code}`);
    await finish(code);
  });
  const payload = [
    ['extensionDevelopmentPath', remoteUri(port, ext)],
    ['extensionTestsPath', remoteUri(port, tests)],
    ['skipWelcome', 'true'],
  ];
  await page.goto(workbenchUrl(server.url, workspace, payload));
  log('workbench loaded; tests running in the extension host');
}

main().catch(async (error) => {
  console.error(error);
  await finish(1);
});
