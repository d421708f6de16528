// Conformance: every case of test/fixtures/conformance (real Nucleus 0.3.8 output) through the real CLI code
// path (`inspect FILE --json --nucleus-version 0.3.8`), every field deep-compared; a few also through the
// bundled CLI in a child process.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@nucleus-topology/engine';
import { captureIo } from './markers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CASES = join(ROOT, 'test', 'fixtures', 'conformance', 'cases');
const EXPECTED = join(ROOT, 'test', 'fixtures', 'conformance', 'expected');
const FIELDS = [
  'parse',
  'validate',
  'graph',
  'services',
  'hashes',
  'service_json',
  'run_args',
  'secrets_payload',
  'post_start_wait',
  'health_check_valid',
] as const;

const cases = readdirSync(CASES)
  .filter((f) => f.endsWith('.toml'))
  .sort();

function expectedOf(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXPECTED, file.replace(/\.toml$/, '.json')), 'utf8')) as Record<
    string,
    unknown
  >;
}

async function inspect(file: string): Promise<Record<string, unknown>> {
  const cap = captureIo(CASES);
  const code = await runCli(['inspect', file, '--json', '--nucleus-version', '0.3.8'], cap.io);
  assert.equal(cap.err(), '', `stderr for ${file}`);
  const out = JSON.parse(cap.out()) as Record<string, unknown>;
  const exp = expectedOf(file);
  const ok = exp['parse'] === 'ok' && exp['validate'] === 'ok' && !('error' in (exp['graph'] as object));
  assert.equal(code, ok ? 0 : 1, `exit code for ${file}`);
  return out;
}

describe('conformance vectors (Nucleus 0.3.8) through `inspect --json`', () => {
  let fullyMatching = 0;
  let parseErrors = 0;
  let parseIdentical = 0;

  for (const file of cases) {
    it(file, async () => {
      const got = await inspect(file);
      const exp = expectedOf(file);
      for (const field of FIELDS) assert.deepEqual(got[field], exp[field], `${file}: field ${field}`);
      assert.ok(Array.isArray(got['diagnostics']), 'diagnostics present');
      const parse = exp['parse'];
      if (typeof parse === 'object' && parse !== null) {
        parseErrors++;
        const want = (parse as { error: string }).error;
        const have = (got['parse'] as { error: string }).error;
        // The whole multi-line text (line, column, excerpt, carets, message) must match byte for byte.
        assert.equal(have, want);
        parseIdentical++;
        // Errors Nucleus reports are also diagnostics at the same place.
        const diags = got['diagnostics'] as { severity: string }[];
        assert.ok(
          diags.some((d) => d.severity === 'error'),
          'a parse error is an error diagnostic',
        );
      }
      fullyMatching++;
    });
  }

  after(() => {
    // Reported in the test output so the count is visible in CI logs.
    console.log(
      `conformance: ${fullyMatching}/${cases.length} cases fully matching; parse errors byte-identical ${parseIdentical}/${parseErrors}`,
    );
  });
});

describe('bundled CLI (node dist-like bundle of engine/src/cli/bin.ts)', () => {
  let dir = '';
  let cli = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nt-cli-'));
    cli = join(dir, 'cli.cjs');
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [join(ROOT, 'engine', 'src', 'cli', 'bin.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      conditions: ['source'],
      logLevel: 'silent',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const file of [
    '002-full-valid.toml',
    '097-type-two-errors-one-service.toml',
    '059-cycle-unicode-names.toml',
    '145-secrets-payload.toml',
  ]) {
    it(`spawned inspect ${file}`, () => {
      let stdout: string;
      try {
        stdout = execFileSync(
          process.execPath,
          // No --nucleus-version: the CLI's default is 0.3.8, the version of the vectors.
          [cli, 'inspect', join(CASES, file), '--json'],
          {
            encoding: 'utf8',
          },
        );
      } catch (error) {
        stdout = (error as { stdout: string }).stdout;
      }
      const got = JSON.parse(stdout) as Record<string, unknown>;
      const exp = expectedOf(file);
      for (const field of FIELDS) assert.deepEqual(got[field], exp[field], `${file}: field ${field}`);
    });
  }
});
