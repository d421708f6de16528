// Robustness of everything the editor runs on each keystroke, on real files mangled as typing does: every
// conformance case, spec example and bundled example with a piece cut out, a tricky token pasted in, or both.
// For both Nucleus versions, analyzeTopology never throws, its issues stay inside the text and come in position
// order, and the cursor context and symbol lookups the server runs at any offset never throw either.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  analyzeTopology,
  buildSymbolIndex,
  cursorContext,
  referencesTo,
  symbolAt,
  type Span,
} from '@nucleus-topology/engine';
import { mangledText, TEXTS } from '../helpers/mangle.js';

/** More runs locally with FC_RUNS=5000. */
const RUNS = Number(process.env.FC_RUNS ?? 300);

function inText(span: Span, length: number): boolean {
  return span.start >= 0 && span.start <= span.end && span.end <= length;
}

function exercise(text: string, offsets: number[]): void {
  for (const version of ['0.3.8', '0.3.9'] as const) {
    const analysis = analyzeTopology(text, { version });
    let previous = -1;
    for (const issue of analysis.issues) {
      assert.ok(inText(issue.span, text.length), `${issue.code} span ${JSON.stringify(issue.span)}`);
      assert.ok(issue.span.start >= previous, 'issues in position order');
      previous = issue.span.start;
    }
    if (analysis.nucleusError?.span) assert.ok(inText(analysis.nucleusError.span, text.length));
    const index = buildSymbolIndex(analysis.toml);
    for (const offset of offsets) {
      const at = Math.min(offset, text.length);
      cursorContext(analysis.toml, at);
      const symbol = symbolAt(index, at);
      if (symbol) referencesTo(index, symbol.kind, symbol.name);
    }
  }
}

describe('the analysis and the cursor features on mangled real files', () => {
  it('reads every fixture (the property below has material to mangle)', () => {
    assert.ok(TEXTS.length >= 100, `${TEXTS.length} files`);
  });

  it('never throw; issue spans stay in the text, in order', () => {
    fc.assert(
      fc.property(
        mangledText,
        fc.array(fc.nat({ max: 4000 }), { minLength: 1, maxLength: 6 }),
        (text, offsets) => exercise(text, offsets),
      ),
      { numRuns: RUNS },
    );
  });
});
