// Property tests of parseToml with smol-toml as the oracle: generated documents (headers, arrays of tables,
// quoted keys, escapes, integers in ±2^53 in every radix, floats, arrays, inline tables) read to the same
// values as smol-toml (integersAsBigInt), and smol-toml's own stringify output reads back to the input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse as smolParse, stringify as smolStringify } from 'smol-toml';
import { parseToml, type Span, type TomlDocument, type TomlNode } from '@nucleus-topology/engine';

/** More runs locally with FC_RUNS=5000. */
const RUNS = Number(process.env.FC_RUNS ?? 400);

type Plain = bigint | number | string | boolean | Plain[] | { [key: string]: Plain };

/** Our document as plain values, shaped like smol-toml's output. */
function plain(node: TomlNode): Plain {
  switch (node.kind) {
    case 'table': {
      // smol-toml builds tables without prototype (so does fast-check's dictionary).
      const out = Object.create(null) as { [key: string]: Plain };
      for (const [key, entry] of node.entries) out[key] = plain(entry.value);
      return out;
    }
    case 'array':
      return node.items.map(plain);
    case 'string':
    case 'integer':
    case 'float':
    case 'boolean':
    case 'datetime':
      return node.value;
  }
}

/** A deep copy with prototype-less tables, to compare with {@link plain}. */
function normalize(x: Plain): Plain {
  if (Array.isArray(x)) return x.map(normalize);
  if (typeof x !== 'object') return x;
  const out = Object.create(null) as { [key: string]: Plain };
  for (const [k, v] of Object.entries(x)) out[k] = normalize(v);
  return out;
}

function readOurs(text: string): Plain {
  const doc = parseToml(text);
  assert.deepEqual(doc.errors, [], text);
  return plain(doc.root);
}

// ---------------------------------------------------------------------------------------------------
// A model of TOML documents and several ways to write each value.

type Val =
  | { t: 'int'; v: bigint; radix: 2 | 8 | 10 | 16; underscores: boolean; plus: boolean }
  | { t: 'float'; v: number; form: number }
  | { t: 'str'; v: string; style: 'basic' | 'literal' | 'ml' }
  | { t: 'bool'; v: boolean }
  | { t: 'arr'; items: Val[] }
  | { t: 'inline'; entries: [string, Val][]; multiline: boolean };

interface Tab {
  entries: [string, Val][];
  tables: [string, Tab][];
  arrays: [string, Tab[]][];
}

const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);
const keyArb = fc
  .oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), fc.string({ unit: 'binary', maxLength: 6 }))
  .filter((k) => !unsafeKeys.has(k));

const intArb: fc.Arbitrary<Val> = fc
  .record({
    v: fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
    radix: fc.constantFrom<2 | 8 | 10 | 16>(2, 8, 10, 16),
    underscores: fc.boolean(),
    plus: fc.boolean(),
  })
  .map((r) => ({ t: 'int', ...r, radix: r.v < 0n ? 10 : r.radix }));
const floatArb: fc.Arbitrary<Val> = fc
  .record({ v: fc.double(), form: fc.nat(3) })
  .map((r) => ({ t: 'float', ...r }));
const strArb: fc.Arbitrary<Val> = fc
  .record({
    v: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: 'binary-ascii', maxLength: 12 }),
    ),
    style: fc.constantFrom<'basic' | 'literal' | 'ml'>('basic', 'literal', 'ml'),
  })
  .map((r) => ({ t: 'str', ...r }));
const boolArb: fc.Arbitrary<Val> = fc.boolean().map((v) => ({ t: 'bool', v }));

const { val } = fc.letrec<{ val: Val }>((tie) => ({
  val: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intArb,
    floatArb,
    strArb,
    boolArb,
    fc.array(tie('val'), { maxLength: 4 }).map((items): Val => ({ t: 'arr', items })),
    fc
      .record({
        entries: fc.uniqueArray(fc.tuple(keyArb, tie('val')), { maxLength: 4, selector: (e) => e[0] }),
        multiline: fc.boolean(),
      })
      .map((r): Val => ({ t: 'inline', ...r })),
  ),
}));

const { tab } = fc.letrec<{ tab: Tab }>((tie) => ({
  tab: fc
    .uniqueArray(
      fc.tuple(
        keyArb,
        fc.oneof(
          { depthSize: 'small' },
          val.map((v) => ({ v })),
          tie('tab').map((s) => ({ s })),
          fc.array(tie('tab'), { minLength: 1, maxLength: 2 }).map((a) => ({ a })),
        ),
      ),
      { maxLength: 5, selector: (e) => e[0] },
    )
    .map((items) => {
      const t: Tab = { entries: [], tables: [], arrays: [] };
      for (const [k, x] of items) {
        if ('v' in x) t.entries.push([k, x.v]);
        else if ('s' in x) t.tables.push([k, x.s]);
        else t.arrays.push([k, x.a]);
      }
      return t;
    }),
}));

function writeKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : writeBasic(k);
}

function escapeChar(c: string, i: number): string {
  switch (c) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\b':
      return '\\b';
    case '\t':
      return i % 2 === 0 ? '\\t' : '\t';
    case '\n':
      return '\\n';
    case '\f':
      return '\\f';
    case '\r':
      return '\\r';
    case '\x1b':
      return '\\e';
  }
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) {
    return i % 2 === 0
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  if (code > 0x7f && i % 3 === 0) {
    return code > 0xffff
      ? `\\U${code.toString(16).padStart(8, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return c;
}

function writeBasic(s: string): string {
  return `"${[...s].map(escapeChar).join('')}"`;
}

function writeString(s: string, style: 'basic' | 'literal' | 'ml'): string {
  // eslint-disable-next-line no-control-regex
  if (style === 'literal' && !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(s)) return `'${s}'`;
  if (style === 'ml') {
    const body = [...s].map((c, i) => (c === '\n' ? '\n' : escapeChar(c, i))).join('');
    return `"""\n${body}"""`;
  }
  return writeBasic(s);
}

function withUnderscores(digits: string): string {
  return digits.replace(/(\w)(?=(\w{3})+$)/g, '$1_');
}

function writeInt(v: Extract<Val, { t: 'int' }>): string {
  const neg = v.v < 0n;
  const abs = neg ? -v.v : v.v;
  let digits = abs.toString(v.radix);
  if (v.underscores) digits = withUnderscores(digits);
  if (v.radix === 16) return `0x${digits}`;
  if (v.radix === 8) return `0o${digits}`;
  if (v.radix === 2) return `0b${digits}`;
  return `${neg ? '-' : v.plus ? '+' : ''}${digits}`;
}

function writeFloat(v: number, form: number): string {
  if (Number.isNaN(v)) return ['nan', '+nan', '-nan', 'nan'][form]!;
  if (v === Infinity) return form % 2 === 0 ? 'inf' : '+inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  let s = String(v);
  if (!/[.e]/.test(s)) s += '.0';
  return form === 1 ? s.replace('e', 'E') : s;
}

function writeVal(v: Val): string {
  switch (v.t) {
    case 'int':
      return writeInt(v);
    case 'float':
      return writeFloat(v.v, v.form);
    case 'str':
      return writeString(v.v, v.style);
    case 'bool':
      return String(v.v);
    case 'arr':
      return `[${v.items.map(writeVal).join(', ')}]`;
    case 'inline':
      if (v.entries.length === 0) return '{}';
      return v.multiline
        ? `{\n${v.entries.map(([k, x]) => `  ${writeKey(k)} = ${writeVal(x)},`).join('\n')}\n}`
        : `{ ${v.entries.map(([k, x]) => `${writeKey(k)} = ${writeVal(x)}`).join(', ')} }`;
  }
}

function writeTab(t: Tab, path: string[]): string[] {
  const out = t.entries.map(([k, v]) => `${writeKey(k)} = ${writeVal(v)}`);
  for (const [k, sub] of t.tables) {
    const p = [...path, k];
    out.push('', `[${p.map(writeKey).join('.')}]`, ...writeTab(sub, p));
  }
  for (const [k, list] of t.arrays) {
    const p = [...path, k];
    for (const sub of list) out.push('', `[[${p.map(writeKey).join('.')}]]`, ...writeTab(sub, p));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

describe('parseToml against smol-toml', () => {
  it('reads generated documents to the same values as smol-toml (integersAsBigInt)', () => {
    fc.assert(
      fc.property(tab, (t) => {
        const text = `${writeTab(t, []).join('\n')}\n`;
        let expected: Plain;
        try {
          expected = smolParse(text, { integersAsBigInt: true }) as Plain;
        } catch {
          // Only documents smol-toml accepts are compared.
          fc.pre(false);
          return;
        }
        assert.deepStrictEqual(readOurs(text), expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads back what smol-toml writes', () => {
    const floatArb = fc.oneof(
      fc.double({ noDefaultInfinity: false }).filter((x) => !Number.isInteger(x)),
      fc.constantFrom(NaN, Infinity, -Infinity),
    );
    const { obj } = fc.letrec<{ obj: { [key: string]: Plain }; v: Plain }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
        floatArb,
        fc.string({ unit: 'binary', maxLength: 10 }),
        fc.boolean(),
        fc.array(tie('v'), { maxLength: 3 }),
        tie('obj'),
      ),
      obj: fc.dictionary(keyArb, tie('v'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(obj, (o) => {
        const text = smolStringify(o);
        assert.deepStrictEqual(readOurs(text), normalize(o));
      }),
      { numRuns: RUNS },
    );
  });
});

/** Every span of the document lies in the text and is well ordered; errors are in document order. */
function checkSpans(doc: TomlDocument): void {
  const n = doc.text.length;
  const ok = (s: Span): void => assert.ok(s.start >= 0 && s.start <= s.end && s.end <= n, JSON.stringify(s));
  const visit = (node: TomlNode): void => {
    ok(node.span);
    if (node.kind === 'array') node.items.forEach(visit);
    if (node.kind === 'table') {
      for (const entry of node.entries.values()) {
        ok(entry.keySpan);
        ok(entry.span);
        visit(entry.value);
      }
    }
  };
  visit(doc.root);
  for (const h of doc.headers) {
    ok(h.span);
    h.keySpans.forEach(ok);
    assert.equal(h.keySpans.length, h.path.length);
    assert.ok(h.bodyEnd >= h.span.start && h.bodyEnd <= n);
  }
  doc.comments.forEach((c) => ok(c.span));
  doc.errors.forEach((e) => ok(e.span));
  for (let i = 1; i < doc.errors.length; i++)
    assert.ok(doc.errors[i - 1]!.span.start <= doc.errors[i]!.span.start);
  assert.equal(doc.nucleusError === undefined, doc.errors.length === 0);
}

describe('parseToml on any input', () => {
  it('never throws, and its spans stay in the text, on random text', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '[',
        ']',
        '[[',
        ']]',
        '{',
        '}',
        '=',
        ',',
        '.',
        '\n',
        '\r\n',
        '\r',
        '#',
        '"',
        "'",
        '"""',
        "'''",
        ' ',
        '\t',
        '\\',
        'a',
        '1',
        '-',
        '_',
        'e',
        'inf',
        'true',
        '1979-05-27',
        '07:32',
        '\ufeff',
      ),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        checkSpans(parseToml(pieces.join('')));
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('never throws on valid documents with a piece cut out (as while typing)', () => {
    fc.assert(
      fc.property(tab, fc.nat(), fc.nat(8), (t, at, length) => {
        const text = `${writeTab(t, []).join('\n')}\n`;
        const from = at % (text.length + 1);
        checkSpans(parseToml(text.slice(0, from) + text.slice(from + length)));
      }),
      { numRuns: RUNS },
    );
  });
});
