// `npm start`: build, then serve a real VS Code (code-server) on 127.0.0.1 with this extension installed and
// examples/ open, print the URL and keep serving until Ctrl-C.
// `npm start -- --screenshot FILE.png [--file EXAMPLE]`: instead open EXAMPLE (default mistakes.topology.toml)
// in headless chromium, wait for its diagnostics (squiggle + Problems panel), save the screenshot and exit.
// Options: --port N (or PORT; default a free port), --folder DIR (default examples), --no-build,
//          --size WxH (screenshot viewport, default 1400x860), --timeout S (per UI step, default 90),
//          --code-lens (the screenshot also waits for a code lens).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, launchChromium, startCodeServer, workbenchUrl } from './vscode/harness.mjs';

const repo = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({
  options: {
    screenshot: { type: 'string' },
    file: { type: 'string', default: 'mistakes.topology.toml' },
    folder: { type: 'string', default: join(repo, 'examples') },
    port: { type: 'string', default: process.env.PORT },
    build: { type: 'boolean', default: true },
    'no-build': { type: 'boolean', default: false },
    size: { type: 'string', default: '1400x860' },
    timeout: { type: 'string', default: '90' },
    'code-lens': { type: 'boolean', default: false },
  },
});
const folder = resolve(opts.folder);
const t0 = Date.now();
const log = (message) => console.log(`[start ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: '${command} ${args.join(' ')}' failed`);
    process.exit(result.status ?? 1);
  }
}

if (opts.build && !opts['no-build']) run('npm', ['run', '--silent', 'build']);
run('bash', [join(repo, 'scripts/vscode/install.sh')]);

// Install the extension the way VS Code itself lays it out: <extensions dir>/<publisher>.<name>-<version>.
// A symlink to the repository, so after `npm run build` (or `npm run watch`) "Developer: Reload Window" picks
// up the new dist/ without reinstalling. No smoke-test driver: the plain URL is all a person needs.
const { publisher, name, version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const extensionsDir = mkdtempSync(join(tmpdir(), 'nucleus-extensions-'));
symlinkSync(repo, join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');

const port = opts.port ? Number(opts.port) : await freePort();
// Screenshots (README) in VS Code's default dark theme; a person gets the theme their browser prefers.
const settings = opts.screenshot ? { 'workbench.colorTheme': 'Default Dark Modern' } : {};
const server = await startCodeServer({ workspace: folder, port, extensionsDir, settings });
let stopped = false;
const stop = () => {
  if (stopped) return;
  stopped = true;
  server.stop();
  rmSync(extensionsDir, { recursive: true, force: true });
};
process.on('exit', stop);
const url = workbenchUrl(server.url, folder);

if (opts.screenshot) {
  const code = await screenshot(resolve(opts.screenshot)).then(
    () => 0,
    (error) => {
      console.error(`start: screenshot failed: ${error instanceof Error ? error.message : String(error)}`);
      console.error(`--- code-server log ---\n${server.log()}`);
      return 1;
    },
  );
  stop();
  process.exit(code);
} else {
  console.log(`\nNucleus Topology in VS Code: ${url}\n(serving ${folder}; Ctrl-C to stop)\n`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stop();
      process.exit(0);
    });
  }
  server.child.on('exit', (code) => {
    console.error(`code-server exited (${code ?? 'signal'})`);
    stop();
    process.exit(1);
  });
}

async function screenshot(file) {
  const timeout = Number(opts.timeout) * 1000;
  const [width, height] = opts.size.split('x').map(Number);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout });
    log('workbench visible');
    // Open the example like a user would: Quick Open, type the name, Enter.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout });
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { timeout });
    await page.keyboard.type(opts.file);
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: basename(opts.file) })
      .first()
      .waitFor({ timeout });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: basename(opts.file) }).waitFor({ timeout });
    await page.waitForSelector('.monaco-editor .view-lines', { timeout });
    log(`${opts.file} open`);
    await page.waitForSelector('.squiggly-error, .squiggly-warning', { timeout });
    log('diagnostic squiggle visible');
    await page.keyboard.press('Control+Shift+M'); // Problems panel
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout });
    log('diagnostics listed in the Problems panel');
    if (opts['code-lens']) {
      await page.waitForSelector('.codelens-decoration', { timeout });
      log('code lens visible');
    }
    // Back to the editor, so the picture shows the cursor in the file rather than a focused Problems row.
    await page.keyboard.press('Control+1');
    // Let the editor finish painting after the panel opened (layout), then shoot.
    await page.evaluate(
      () => new Promise((r) => globalThis.requestAnimationFrame(() => globalThis.requestAnimationFrame(r))),
    );
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    log(`screenshot ${file}`);
  } catch (error) {
    const failed = file.replace(/(\.png)?$/, '.failed.png');
    await browser
      .contexts()[0]
      ?.pages()[0]
      ?.screenshot({ path: failed })
      .then(() => log(`what the browser showed: ${failed}`))
      .catch(() => undefined);
    throw error;
  } finally {
    await browser.close();
  }
}
