// The same e2e suite (out/e2e, built by `node esbuild.mjs --tests`) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (it fetches it from
// update.code.visualstudio.com into .vscode-test/; on Linux without a display run it under xvfb-run).
// CI here uses scripts/vscode/run-tests.mjs (code-server) instead, because this machine cannot download VS Code.
// Usage: npm run test:e2e:electron      env: VSCODE_VERSION (default: the minimum engines.vscode, e.g. 1.138.0;
//        "stable" for the latest), MOCHA_GREP
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const repo = resolve(import.meta.dirname, '..');
const { engines } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const version = process.env.VSCODE_VERSION ?? engines.vscode.replace(/^\^/, '');

try {
  const code = await runTests({
    version,
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(repo, 'out/e2e/index.js'),
    launchArgs: [
      join(repo, 'test/fixtures/workspace'),
      '--disable-extensions', // only the extension under test
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  });
  process.exit(code);
} catch (error) {
  console.error(`test-electron: ${error instanceof Error ? error.message : String(error)}`);
  console.error('This runner downloads VS Code; offline, use `npm run test:e2e` (code-server) instead.');
  process.exit(1);
}
