// Test helper: a topology template with ⟦…⟧ around the expected range; returns the text without markers
// and the marked span(s), so rule tests can assert exact ranges without counting offsets.

import type { CliIo, Span } from '@nucleus-topology/engine';

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

/** A CliIo that captures output and reads files from disk. */
export function captureIo(cwd: string): {
  io: CliIo;
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (t: string) => void (out += t),
      stderr: (t: string) => void (err += t),
      readFile: async (p: string) => (await import('node:fs/promises')).readFile(p, 'utf8'),
      cwd,
      env: {},
      version: 'test',
      confirm: () => Promise.resolve(false),
    },
    out: () => out,
    err: () => err,
  };
}
