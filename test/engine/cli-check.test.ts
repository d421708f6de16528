// The `check` command: a file with many mistakes reports every problem at the right place (snapshot of the
// lines), exit codes (0 / 1 / 2), JSON output, unreadable files and usage errors; `inspect` usage.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliCaptured } from './markers.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const TOPOLOGIES = join(FIXTURES, 'topologies');

const run = (args: string[], cwd = TOPOLOGIES) => runCliCaptured(args, cwd);

describe('check', () => {
  it('reports every problem of a file with many mistakes, each at the right place (snapshot)', async () => {
    const r = await run(['check', 'many-mistakes.toml', '--nucleus-version', '0.3.8']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, readFileSync(join(TOPOLOGIES, 'many-mistakes.check.txt'), 'utf8'));
  });

  it('each line points at the text it is about', async () => {
    const text = readFileSync(join(TOPOLOGIES, 'many-mistakes.toml'), 'utf8').split('\n');
    const r = await run(['check', 'many-mistakes.toml', '--nucleus-version', '0.3.8']);
    const at = (code: string) =>
      r.stdout
        .split('\n')
        .filter((l) => l.includes(` ${code} `))
        .map((l) => {
          const [, line, col] = /:(\d+):(\d+): /.exec(l) as RegExpExecArray;
          return (text[Number(line) - 1] as string).slice(Number(col) - 1);
        });
    assert.deepEqual(at('unknown-volume'), ['"logs:/var/log/api"]']);
    assert.deepEqual(at('unknown-service-key'), ['healthcheck = "x"']);
    assert.deepEqual(at('invalid-value'), ['-1']);
    assert.deepEqual(at('unsafe-health-check-waited'), ['|| exit 1"']);
    assert.deepEqual(at('dependency-cycle').length, 3);
  });

  it('exit 0 when there are only warnings; default version is 0.3.8', async () => {
    const r = await run(['check', join(FIXTURES, 'examples', '01-shop-stack.valid.toml')]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, / warning rootfs-attestation-missing /);
    const v39file = join(FIXTURES, 'examples', '02-agent-egress.v0.3.9-only.toml');
    const byDefault = await run(['check', v39file]);
    assert.equal(byDefault.code, 1, '0.3.9 keys are unknown fields under the default version (0.3.8)');
    assert.match(byDefault.stdout, / error newer-version-key /);
    const v39 = await run(['check', v39file, '--nucleus-version', '0.3.9']);
    assert.equal(v39.code, 0, '0.3.9 keys are fine under 0.3.9');
  });

  it('unreadable files: clear message on stderr, exit 2, the other files are still checked', async () => {
    const r = await run(['check', 'does-not-exist.toml', 'many-mistakes.toml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read does-not-exist\.toml/);
    assert.match(r.stdout, /^many-mistakes\.toml:\d+:\d+: /m);
  });

  it('usage errors exit 2', async () => {
    assert.equal((await run(['check'])).code, 2);
    assert.equal((await run(['check', 'x.toml', '--format', 'xml'])).code, 2);
    assert.equal((await run(['check', 'x.toml', '--nucleus-version', '0.3.7'])).code, 2);
    assert.equal((await run(['check', 'x.toml', '--bogus'])).code, 2);
    const help = await run(['check', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--nucleus-version/);
  });

  it('--format json: files, nucleusError, issues with 1-based line/column and 0-based ranges', async () => {
    const r = await run(['check', 'many-mistakes.toml', '--format', 'json', '--nucleus-version', '0.3.8']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout) as {
      files: {
        path: string;
        version: string;
        nucleusError: { phase: string; message: string };
        issues: {
          code: string;
          line: number;
          column: number;
          range: { start: { line: number; character: number } };
        }[];
      }[];
    };
    const f = json.files[0];
    assert.equal(f?.path, 'many-mistakes.toml');
    assert.equal(f?.version, '0.3.8');
    assert.equal(f?.nucleusError.phase, 'parse');
    assert.match(f?.nucleusError.message ?? '', /unknown field `healthcheck`/);
    for (const i of f?.issues ?? []) {
      assert.equal(i.range.start.line, i.line - 1);
      assert.equal(i.range.start.character, i.column - 1);
    }
    const snapshot = readFileSync(join(TOPOLOGIES, 'many-mistakes.check.txt'), 'utf8').trimEnd().split('\n');
    assert.equal(f?.issues.length, snapshot.length);
  });
});

describe('inspect usage', () => {
  it('--json is required, --help documents the default version, exit 1 on an invalid file', async () => {
    assert.equal((await run(['inspect', 'many-mistakes.toml'])).code, 2);
    const help = await run(['inspect', '--help']);
    assert.match(help.stdout, /default 0\.3\.8\)/);
    const r = await run(['inspect', 'many-mistakes.toml', '--json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout) as {
      parse: { error: string };
      validate: null;
      diagnostics: { severity: string }[];
    };
    assert.equal(json.validate, null);
    assert.ok(json.diagnostics.some((d) => d.severity === 'error'));
  });
});
