// TOML error messages, spans and Nucleus's rendering: every `parse` error of the conformance vectors
// byte for byte, the crate's wording for common mistakes, and the renderer's edge cases.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  formatTomlError,
  lineColumn,
  parseToml,
  type Span,
  type TomlNode,
  type TomlDocument,
} from '@nucleus-topology/engine';

const CONFORMANCE = fileURLToPath(new URL('../fixtures/conformance/', import.meta.url));
const PREFIX = 'Configuration error: Failed to parse topology: ';

interface ParseErrorCase {
  name: string;
  text: string;
  rendered: string;
}

const parseErrorCases: ParseErrorCase[] = readdirSync(`${CONFORMANCE}expected`)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => {
    const expected = JSON.parse(readFileSync(`${CONFORMANCE}expected/${f}`, 'utf8')) as {
      parse: 'ok' | { error: string };
    };
    if (expected.parse === 'ok') return [];
    assert.ok(expected.parse.error.startsWith(PREFIX));
    const name = f.replace(/\.json$/, '');
    const text = readFileSync(`${CONFORMANCE}cases/${name}.toml`, 'utf8');
    return [{ name, text, rendered: expected.parse.error.slice(PREFIX.length) }];
  });

/** Every span the document knows: values, keys, headers; what serde errors point at. */
function knownSpans(doc: TomlDocument): Span[] {
  const spans: Span[] = [{ start: 0, end: 0 }];
  const visit = (node: TomlNode): void => {
    spans.push(node.span);
    if (node.kind === 'array') node.items.forEach(visit);
    if (node.kind === 'table') {
      for (const entry of node.entries.values()) {
        spans.push(entry.keySpan);
        visit(entry.value);
      }
    }
  };
  visit(doc.root);
  for (const h of doc.headers) spans.push(h.span);
  return spans;
}

/** Offset of a 1-based line/column (in characters) of the text. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

describe('conformance parse errors', () => {
  it('has both syntax errors and serde errors to check', () => {
    assert.ok(parseErrorCases.length >= 15);
  });

  for (const c of parseErrorCases) {
    it(`${c.name} renders byte for byte`, () => {
      const doc = parseToml(c.text);
      if (doc.nucleusError !== undefined) {
        // A TOML error: the whole message comes from the reader.
        assert.equal(formatTomlError(c.text, doc.nucleusError.span, doc.nucleusError.message), c.rendered);
        return;
      }
      // A serde error (reported later by the decoder): the renderer must reproduce it from the span the
      // crate used, and that span must be one our AST gives (a value, a key or a header).
      assert.deepEqual(doc.errors, []);
      const m = /^TOML parse error at line (\d+), column (\d+)\n.*\n.*\n.*?(\^+)\n(.*)\n$/s.exec(c.rendered);
      assert.ok(m, c.rendered);
      const start = offsetOf(c.text, Number(m[1]), Number(m[2]));
      const carets = m[3]!.length;
      const message = m[4]!;
      const candidates = knownSpans(doc).filter(
        (s) => s.start === start && (s.end - s.start === carets || (carets === 1 && s.end === s.start)),
      );
      assert.ok(candidates.length > 0, `no AST span at ${start} (+${carets}) for ${c.name}`);
      for (const span of candidates) assert.equal(formatTomlError(c.text, span, message), c.rendered);
    });
  }
});

describe('toml crate wording and spans', () => {
  const first = (text: string): { message: string; span: Span; stage: number | undefined } => {
    const e = parseToml(text).nucleusError;
    assert.ok(e, `expected an error for ${JSON.stringify(text)}`);
    return { message: e.message, span: e.span, stage: e.stage };
  };

  it('unclosed table: empty span where `]` was expected', () => {
    assert.deepEqual(first('[services.web\nrootfs = "/r"\n'), {
      message: 'unclosed table, expected `]`',
      span: { start: 13, end: 13 },
      stage: 1,
    });
    assert.deepEqual(first('[[services.a.depends_on]\n').message, 'unclosed array table, expected `]`');
    assert.deepEqual(first('[[services.a.depends_on\n').message, 'unclosed array table, expected `]]`');
  });

  it('duplicate header: the last segment of the second header', () => {
    const text = '[services.web]\na = 1\n[services.web]\nb = 2\n';
    assert.deepEqual(first(text), { message: 'duplicate key', span: { start: 31, end: 34 }, stage: 2 });
  });

  it('duplicate key: the key of the second definition', () => {
    const text = '[s]\nmemory = "1G"\nmemory = "2G"\n';
    assert.deepEqual(first(text).span, { start: 18, end: 24 });
  });

  it('a syntax error anywhere is reported before an earlier duplicate key (the crate parses first)', () => {
    const text = 'a = 1\na = 2\nb = [1, 2\n';
    const doc = parseToml(text);
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      ['duplicate key', 'unclosed array, expected `]`'],
    );
    assert.equal(doc.nucleusError?.message, 'unclosed array, expected `]`');
  });

  it('key without value and value without key', () => {
    assert.deepEqual(first('memory\n'), {
      message: 'key with no value, expected `=`',
      span: { start: 6, end: 6 },
      stage: 1,
    });
    assert.deepEqual(first('memory = \n'), {
      message: 'string values must be quoted, expected literal string',
      span: { start: 9, end: 9 },
      stage: 2,
    });
    assert.equal(
      first('= 1\n').message,
      'unquoted keys cannot be empty, expected letters, numbers, `-`, `_`',
    );
    assert.equal(first('memory = 512M\n').message, 'string values must be quoted, expected literal string');
  });

  it('values: dates, escapes, numbers, overflow', () => {
    assert.deepEqual(first('d = 2023-02-29\n'), {
      message: 'invalid date, expected day between 01 and 28',
      span: { start: 4, end: 14 },
      stage: 2,
    });
    assert.equal(first('d = 2024-02-30\n').message, 'invalid date, expected day between 01 and 29');
    assert.equal(parseToml('d = 2024-02-29\nt = 23:59:60\n').errors.length, 0);
    assert.deepEqual(first('s = "\\uD800"\n'), {
      message: 'invalid value, expected unicode hexadecimal value',
      span: { start: 7, end: 7 },
      stage: 2,
    });
    assert.equal(
      first('s = "\\q"\n').message,
      'missing escaped value, expected `b`, `e`, `f`, `n`, `r`, `\\`, `"`, `x`, `u`, `U`',
    );
    assert.deepEqual(first('cpus = 1e400\n'), {
      message: 'floating-point number overflowed',
      span: { start: 7, end: 12 },
      stage: 3,
    });
    assert.equal(first('n = 1__2\n').message, '`_` may only go between digits, expected nothing');
    assert.equal(first('n = 0x\n').message, 'integer number overflowed');
    assert.equal(first('n = 0xG\n').message, 'invalid hexadecimal number');
    assert.equal(first('n = 012\n').message, 'unexpected leading zero, expected nothing');
    assert.equal(first('n = +0x1\n').message, 'integers with a radix cannot be signed, expected nothing');
    assert.equal(first('b = True\n').message, 'invalid boolean, expected `true`');
  });

  it('structure: extending values and inline tables, mixing dotted keys and headers', () => {
    assert.equal(first('a = 1\na.b = 2\n').message, 'cannot extend value of type integer with a dotted key');
    assert.equal(
      first('a = {}\n[a.b]\n').message,
      'cannot extend value of type inline table with a dotted key',
    );
    assert.equal(first('a = [1]\n[[a]]\n').message, 'duplicate key');
    assert.equal(first('[a]\nb.c = 1\n[a.b]\n').message, 'duplicate key');
    assert.equal(parseToml('[a.b.c]\n[a]\nx = 1\n[a.b]\ny = 2\n').errors.length, 0);
  });

  it('control characters, lone CR, BOM only at the start', () => {
    assert.equal(
      first('# bell \u0007\n').message,
      'invalid comment character, expected printable characters',
    );
    assert.deepEqual(first('a = 1\rb = 2\n'), {
      message: 'carriage return must be followed by newline, expected newline',
      span: { start: 6, end: 6 },
      stage: 1,
    });
    assert.equal(parseToml('\ufeffa = 1\n').errors.length, 0);
    assert.equal(
      first('a = 1\n\ufeffb = 2\n').message,
      'invalid unquoted key, expected letters, numbers, `-`, `_`',
    );
  });

  it('nesting deeper than 80 arrays is refused as the crate does', () => {
    assert.equal(parseToml(`a = ${'['.repeat(80)}${']'.repeat(80)}\n`).errors.length, 0);
    assert.equal(
      first(`a = ${'['.repeat(81)}${']'.repeat(81)}\n`).message,
      'cannot recurse further; max recursion depth met',
    );
  });
});

describe('formatTomlError', () => {
  it('widens the gutter with the line number', () => {
    const text = `${'x = 1\n'.repeat(11)}y = "a"\n`;
    assert.equal(
      formatTomlError(text, { start: 70, end: 73 }, 'boom'),
      'TOML parse error at line 12, column 5\n   |\n12 | y = "a"\n   |     ^^^\nboom\n',
    );
  });

  it('shows at least one caret for an empty span and cuts the carets at the end of the line', () => {
    assert.equal(
      formatTomlError('a = [1,\n2]\n', { start: 4, end: 10 }, 'm'),
      'TOML parse error at line 1, column 5\n  |\n1 | a = [1,\n  |     ^^^\nm\n',
    );
    assert.equal(
      formatTomlError('a = 1', { start: 5, end: 5 }, 'm'),
      'TOML parse error at line 1, column 6\n  |\n1 | a = 1\n  |      ^\nm\n',
    );
  });

  it('keeps the CR of a CRLF line, as the crate splits on LF only', () => {
    assert.equal(
      formatTomlError('a = 1\r\nb = x\r\n', { start: 11, end: 12 }, 'm'),
      'TOML parse error at line 2, column 5\n  |\n2 | b = x\r\n  |     ^\nm\n',
    );
  });

  it('counts like the crate on non-ASCII text (characters before, bytes under the span)', () => {
    // `é` is one character before the span: column 7; the span `"ü"` is 4 bytes: 4 carets.
    assert.equal(
      formatTomlError('é = 1\nk = "ü"\n', { start: 10, end: 13 }, 'm'),
      'TOML parse error at line 2, column 5\n  |\n2 | k = "ü"\n  |     ^^^^\nm\n',
    );
    // A span that starts on a multi-byte character counts its column in bytes.
    assert.equal(
      formatTomlError('ab = éé\n', { start: 6, end: 7 }, 'm'),
      'TOML parse error at line 1, column 8\n  |\n1 | ab = éé\n  |        ^^\nm\n',
    );
  });

  it('lineColumn counts code points', () => {
    assert.deepEqual(lineColumn('a\n😀x', 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumn('a\n😀x', 5), { line: 2, column: 3 });
    assert.deepEqual(lineColumn('abc', 0), { line: 1, column: 1 });
  });
});

describe('large integers', () => {
  const value = (text: string): TomlNode | undefined => parseToml(text).root.entries.get('v')?.value;

  it('keeps every integer exactly as bigint, beyond i64 too', () => {
    assert.deepEqual(value('v = 18446744073709551615\n'), {
      kind: 'integer',
      value: 18446744073709551615n,
      span: { start: 4, end: 24 },
    });
    assert.equal((value('v = 9007199254740993\n') as { value: bigint }).value, 9007199254740993n);
    assert.equal((value('v = -9223372036854775808\n') as { value: bigint }).value, -9223372036854775808n);
    assert.equal((value('v = 0xffff_ffff_ffff_ffff\n') as { value: bigint }).value, 0xffffffffffffffffn);
    assert.equal((value('v = 0o777\n') as { value: bigint }).value, 0o777n);
    assert.equal((value('v = 0b1010\n') as { value: bigint }).value, 10n);
    assert.equal((value('v = +1_000\n') as { value: bigint }).value, 1000n);
    assert.equal(parseToml('v = 340282366920938463463374607431768211455\n').errors.length, 0);
  });

  it('reports what no integer type can hold, as the crate does when converting', () => {
    const doc = parseToml('v = 340282366920938463463374607431768211456\n');
    assert.deepEqual(doc.nucleusError, {
      message: 'integer number overflowed',
      span: { start: 4, end: 43 },
      stage: 3,
    });
  });

  it('floats keep -0, nan and infinities', () => {
    assert.ok(Object.is((value('v = -0.0\n') as { value: number }).value, -0));
    assert.ok(Number.isNaN((value('v = -nan\n') as { value: number }).value));
    assert.equal((value('v = -inf\n') as { value: number }).value, -Infinity);
    assert.equal((value('v = 1e300\n') as { value: number }).value, 1e300);
  });
});
