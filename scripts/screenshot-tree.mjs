// The README picture of the Services view: a demo stack applied with the `nucleus` test double (services keep
// running after the CLI exits), one service's memory edited afterwards (drift), the file open with its lenses and
// the Nucleus view open, in a real VS Code (code-server) driven by headless chromium, as `npm start` serves it.
// Usage: node scripts/screenshot-tree.mjs [--out docs/images/tree-view.png] [--no-build] [--size 1400x860]
// Everything it starts (containers of the double, code-server) is stopped and its scratch folder removed at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, launchChromium, startCodeServer, workbenchUrl } from './vscode/harness.mjs';

const repo = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(repo, 'docs/images/tree-view.png') },
    'no-build': { type: 'boolean', default: false },
    size: { type: 'string', default: '1400x860' },
    timeout: { type: 'string', default: '90' },
  },
});
const t0 = Date.now();
const log = (message) => console.log(`[tree-shot ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
const double = join(repo, 'test/double/nucleus');

const demo = (apiMemory) => `# The shop's stack: web in front of the API, PostgreSQL and Redis behind it.
name = "shop"

[services.db]
rootfs = "/nix/store/5k2mzx8c0b1q7v3l4j9h6g2f1d8s0a9w-postgres-16-rootfs"
command = ["postgres", "-D", "/var/lib/postgresql/data"]
memory = "1G"
cpus = 1.5

[services.cache]
rootfs = "/nix/store/9q1w8e7r6t5y4u3i2o1p0a9s8d7f6g5h-redis-7-rootfs"
command = ["redis-server", "--maxmemory", "200mb"]
memory = "320M"
cpus = 0.5

[services.api]
rootfs = "/nix/store/7d6f5g4h3j2k1l0z9x8c7v6b5n4m3q2w-shop-api-rootfs"
command = ["/bin/shop-api", "--port", "9000"]
memory = "${apiMemory}"
depends_on = [{ service = "db" }, { service = "cache" }]

[services.web]
rootfs = "/nix/store/3h4j5k6l7z8x9c0v1b2n3m4q5w6e7r8t-shop-web-rootfs"
command = ["/bin/shop-web", "--listen", "0.0.0.0:8080"]
memory = "512M"
cpus = 2
depends_on = [{ service = "api" }]
`;

if (!opts['no-build']) {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
spawnSync('bash', [join(repo, 'scripts/vscode/install.sh')], { stdio: 'inherit' });

const scratch = mkdtempSync(join(tmpdir(), 'nucleus-tree-shot-'));
const workspace = join(scratch, 'shop');
const state = join(scratch, 'state');
const logs = join(scratch, 'logs');
mkdirSync(workspace);
mkdirSync(state, { mode: 0o700 });
const file = join(workspace, 'shop.topology.toml');
writeFileSync(file, demo('512M'));
// Nucleus runs through the double; code-server (and so the extension and its terminals) finds it on PATH too.
process.env.PATH = `${join(repo, 'test/double')}${delimiter}${process.env.PATH ?? ''}`;
// As in the e2e runner: code-server keeps this environment instead of resolving a login shell's.
process.env.VSCODE_CLI = '1';

function cli(...args) {
  return execFileSync(process.execPath, [join(repo, 'dist/cli.js'), ...args], { encoding: 'utf8' });
}
const common = ['--root', state, '--nucleus', double, '--log-dir', logs, '--nucleus-version', '0.3.8'];
log(
  cli('apply', file, '--yes', ...common)
    .trim()
    .split('\n')
    .slice(-1)[0],
);
// The drift: the API gets more memory in the file; the running container still has the old hash.
writeFileSync(file, demo('768M'));

const { publisher, name, version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const extensionsDir = join(scratch, 'extensions');
mkdirSync(extensionsDir);
symlinkSync(repo, join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');
const server = await startCodeServer({
  workspace,
  port: await freePort(),
  extensionsDir,
  settings: {
    'workbench.colorTheme': 'Default Dark Modern',
    'nucleus.stateRoot': state,
    'nucleus.logDir': logs,
    'nucleus.version': '0.3.8',
    'editor.minimap.enabled': false,
  },
});

let code = 0;
try {
  await shoot(resolve(opts.out));
} catch (error) {
  console.error(`tree-shot failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`--- code-server log ---\n${server.log()}`);
  code = 1;
} finally {
  server.stop();
  try {
    cli('down', file, '--yes', ...common);
  } catch {
    // below: whatever is left is killed
  }
  for (const entry of readdirSync(state)) {
    try {
      process.kill(
        JSON.parse(readFileSync(join(state, entry), 'utf8').replace(/(\d{16,})/g, '"$1"')).pid,
        'SIGKILL',
      );
    } catch {
      // gone
    }
  }
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);

async function shoot(out) {
  const timeout = Number(opts.timeout) * 1000;
  const [width, height] = opts.size.split('x').map(Number);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(workbenchUrl(server.url, workspace));
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout });
    log('workbench visible');
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { timeout });
    await page.keyboard.type('shop.topology.toml');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'shop.topology.toml' })
      .first()
      .waitFor({ timeout });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-lines', { timeout });
    // The lenses show the runtime state once the client told the server: wait for the drifted one.
    await page.locator('.codelens-decoration', { hasText: 'changed → restart' }).first().waitFor({ timeout });
    log('file open, status lenses visible');
    // The Nucleus activity-bar container, like a user clicking its icon.
    await page.locator('.activitybar .action-item a[aria-label^="Nucleus"]').first().click();
    await page.locator('.monaco-list-row', { hasText: 'in sync' }).first().waitFor({ timeout });
    await page.locator('.monaco-list-row', { hasText: 'changed' }).first().waitFor({ timeout });
    log('Services view lists the running stack');
    // A wider side bar, so the descriptions (pid · uptime · drift) show in full: drag its edge.
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      const x = sidebar.x + sidebar.width + 2;
      const y = sidebar.y + sidebar.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 170, y, { steps: 10 });
      await page.mouse.up();
    }
    // Point at the drifted service, as a user about to act on it: its inline actions show.
    await page.locator('.monaco-list-row', { hasText: 'changed' }).last().hover();
    await page.evaluate(
      () => new Promise((r) => globalThis.requestAnimationFrame(() => globalThis.requestAnimationFrame(r))),
    );
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    log(`screenshot ${out}`);
  } finally {
    await browser.close();
  }
}
