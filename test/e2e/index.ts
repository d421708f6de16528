// extensionTestsPath module (bundled to out/e2e/index.js): the extension host calls run() and exits with its
// result. Loads every out/e2e/*.test.js into one mocha run (each VS Code start costs ~15 s), smoke first so it
// sees the extension before any other test activated it. Set MOCHA_GREP to run a subset.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

const FIRST = 'smoke.test.js';

export function run(): Promise<void> {
  const grep = process.env.MOCHA_GREP;
  // 60 s per test: the first one pays for the server start on a busy 2-core machine.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.test.js'))
    .sort((a, b) => Number(b === FIRST) - Number(a === FIRST) || a.localeCompare(b));
  for (const file of files) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // a plain closing line that CI log readers understand regardless of the reporter
      console.log(`${runner.stats?.passes ?? 0} passed, ${runner.stats?.failures ?? 0} failed`);
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
  });
}
