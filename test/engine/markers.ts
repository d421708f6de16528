// Test helpers: a topology template with ⟦…⟧ around the expected range (returns the text without markers and
// the marked span(s), so rule tests can assert exact ranges without counting offsets), and the CLI run in
// process with its output captured.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, type CliIo, type Span } from '@nucleus-topology/engine';

export interface Marked {
  text: string;
  /** The first marked span. */
  span: Span;
  /** Every marked span, in order. */
  spans: Span[];
}

export function marked(template: string): Marked {
  let text = '';
  const spans: Span[] = [];
  let open = -1;
  for (const ch of template) {
    if (ch === '⟦') open = text.length;
    else if (ch === '⟧') {
      if (open < 0) throw new Error('⟧ without ⟦');
      spans.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  if (spans.length === 0) throw new Error('no ⟦…⟧ marker in template');
  return { text, span: spans[0] as Span, spans };
}

/** A CliIo that captures output and the questions asked, reads files from disk and answers every question. */
export function captureIo(
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; answer?: boolean } = {},
): {
  io: CliIo;
  out: () => string;
  err: () => string;
  questions: string[];
} {
  let out = '';
  let err = '';
  const questions: string[] = [];
  return {
    io: {
      stdout: (t: string) => void (out += t),
      stderr: (t: string) => void (err += t),
      readFile: (p: string) => readFile(p, 'utf8'),
      cwd,
      env: options.env ?? {},
      version: 'test',
      confirm: (question: string) => {
        questions.push(question);
        return Promise.resolve(options.answer ?? false);
      },
    },
    out: () => out,
    err: () => err,
    questions,
  };
}

/** Runs the CLI in process (runCli) on a {@link captureIo}: exit code, output and the questions it asked. */
export async function runCliCaptured(
  args: string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; answer?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string; questions: string[] }> {
  const cap = captureIo(cwd, options);
  const code = await runCli(args, cap.io);
  return { code, stdout: cap.out(), stderr: cap.err(), questions: cap.questions };
}

let inspectedFiles = 0;

/**
 * `inspect FILE --json --nucleus-version 0.3.8` in process on `text`, written to a new file in `dir`: the exit code
 * and the printed JSON (in the format of the conformance vectors). Nothing may be printed on stderr.
 */
export async function inspectText<T = Record<string, unknown>>(
  dir: string,
  text: string,
): Promise<{ code: number; out: T }> {
  const file = `case-${++inspectedFiles}.toml`;
  await writeFile(join(dir, file), text);
  const r = await runCliCaptured(['inspect', file, '--json', '--nucleus-version', '0.3.8'], dir);
  assert.equal(r.stderr, '');
  return { code: r.code, out: JSON.parse(r.stdout) as T };
}

/**
 * The `nucleus create` argv head (spec §5.3) of a service that sets only rootfs, `memory = "256M"` and its command:
 * up to and including `--network` (`none` without networks).
 */
export function defaultCreateHead(
  hash: string,
  container: string,
  rootfs: string,
  network = 'none',
): string[] {
  return [
    'nucleus',
    'create',
    '--service-mode',
    'production',
    '--quiet-id',
    '--topology-config-hash',
    hash,
    '--name',
    container,
    '--rootfs',
    rootfs,
    '--memory',
    '256M',
    '--cpus',
    '1',
    '--pids',
    '512',
    '--network',
    network,
  ];
}
