// Runs every unit test (test/**/*.test.ts outside test/e2e and test/fixtures) with Node's test runner,
// TypeScript through tsx and workspace packages resolved to their sources (--conditions=source).
// Usage: node scripts/test-unit.mjs [extra node --test flags, e.g. --test-name-pattern=cycle]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const skip = new Set(['e2e', 'fixtures', 'node_modules', 'out']);

function* findTests(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) yield* findTests(join(dir, entry.name));
    } else if (entry.name.endsWith('.test.ts')) {
      yield relative(root, join(dir, entry.name));
    }
  }
}

const files = [...findTests(join(root, 'test'))].sort();
if (files.length === 0) {
  console.error('test-unit: no test/**/*.test.ts files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', '--test', ...process.argv.slice(2), ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
