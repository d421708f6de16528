// parseToml against the toml-test suite (TOML 1.1.0 file list, copied in test/fixtures/toml-test): every
// valid file parses without errors to the expected values, every invalid file is rejected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseToml, type TomlNode } from '@nucleus-topology/engine';

const root = fileURLToPath(new URL('../fixtures/toml-test/', import.meta.url));
const files = readFileSync(`${root}files-toml-1.1.0`, 'utf8')
  .split('\n')
  .filter((f) => f.endsWith('.toml'));

/** Nucleus reads the file with `fs::read_to_string`: bytes that are not UTF-8 fail before TOML parsing. */
function readUtf8(path: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(path));
  } catch {
    return null;
  }
}

type Tagged = { type: string; value: string } | Tagged[] | { [key: string]: Tagged };

/** toml-test's tagged JSON for a node. */
function tagged(node: TomlNode): Tagged {
  switch (node.kind) {
    case 'table': {
      const out: Record<string, Tagged> = {};
      for (const [key, entry] of node.entries) out[key] = tagged(entry.value);
      return out;
    }
    case 'array':
      return node.items.map(tagged);
    case 'string':
      return { type: 'string', value: node.value };
    case 'integer':
      return { type: 'integer', value: node.value.toString() };
    case 'float':
      return { type: 'float', value: Object.is(node.value, -0) ? '-0' : String(node.value) };
    case 'boolean':
      return { type: 'bool', value: String(node.value) };
    case 'datetime': {
      const type = {
        'offset-datetime': 'datetime',
        'local-datetime': 'datetime-local',
        'local-date': 'date-local',
        'local-time': 'time-local',
      }[node.subtype];
      return { type, value: node.value };
    }
  }
}

function floatOf(s: string): number {
  if (s === 'nan' || s === '+nan' || s === '-nan') return NaN;
  if (s === 'inf' || s === '+inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

/** Canonical form of a date-time as toml-test compares them (seconds optional, fraction to ns, instants). */
function canonicalDateTime(s: string): string {
  const m =
    /^(?:(\d{4})-(\d{2})-(\d{2}))?(?:[Tt ]?(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?([Zz]|[+-]\d{2}:\d{2})?$/.exec(
      s,
    );
  if (m === null) return `unparsed:${s}`;
  const [, y, mo, d, h, mi, sec = '00', frac = '', off] = m;
  const fraction = frac.slice(0, 9).replace(/0+$/, '');
  if (off !== undefined) {
    const offsetMinutes =
      off === 'Z' || off === 'z'
        ? 0
        : (off[0] === '-' ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4)));
    const epoch =
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)) / 1000 -
      offsetMinutes * 60;
    return `instant:${epoch}.${fraction}`;
  }
  const date = y === undefined ? '' : `${y}-${mo}-${d}`;
  const time = h === undefined ? '' : `${h}:${mi}:${sec}.${fraction}`;
  return `${date}T${time}`;
}

function sameTagged(actual: Tagged, expected: Tagged, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array`;
    if (actual.length !== expected.length)
      return `${path}: ${actual.length} items, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const diff = sameTagged(actual[i]!, expected[i]!, `${path}[${i}]`);
      if (diff !== null) return diff;
    }
    return null;
  }
  const isLeaf = (v: Tagged): v is { type: string; value: string } =>
    !Array.isArray(v) &&
    typeof v.type === 'string' &&
    typeof v.value === 'string' &&
    Object.keys(v).length === 2;
  if (isLeaf(expected)) {
    if (Array.isArray(actual) || !isLeaf(actual)) return `${path}: expected a ${expected.type}`;
    if (actual.type !== expected.type) return `${path}: ${actual.type}, expected ${expected.type}`;
    const same =
      expected.type === 'float'
        ? Object.is(floatOf(actual.value), floatOf(expected.value))
        : expected.type.startsWith('date') || expected.type.startsWith('time')
          ? canonicalDateTime(actual.value) === canonicalDateTime(expected.value)
          : actual.value === expected.value;
    return same
      ? null
      : `${path}: ${JSON.stringify(actual.value)}, expected ${JSON.stringify(expected.value)}`;
  }
  if (Array.isArray(actual) || isLeaf(actual)) return `${path}: expected a table`;
  const keys = Object.keys(expected);
  if (Object.keys(actual).length !== keys.length) {
    return `${path}: keys ${Object.keys(actual).join(',')}, expected ${keys.join(',')}`;
  }
  for (const key of keys) {
    if (!(key in actual)) return `${path}: missing ${key}`;
    const diff = sameTagged(actual[key]!, expected[key]!, `${path}.${key}`);
    if (diff !== null) return diff;
  }
  return null;
}

test('toml-test 1.1.0: valid files parse to the expected values', (t) => {
  const valid = files.filter((f) => f.startsWith('valid/'));
  const failures: string[] = [];
  for (const file of valid) {
    const text = readUtf8(root + file);
    if (text === null) {
      failures.push(`${file}: not UTF-8`);
      continue;
    }
    const doc = parseToml(text);
    if (doc.errors.length > 0) {
      failures.push(`${file}: ${doc.errors.map((e) => `${e.message} @${e.span.start}`).join('; ')}`);
      continue;
    }
    const expected = JSON.parse(readFileSync(root + file.replace(/\.toml$/, '.json'), 'utf8')) as Tagged;
    const diff = sameTagged(tagged(doc.root), expected, '$');
    if (diff !== null) failures.push(`${file}: ${diff}`);
  }
  t.diagnostic(`valid agreed: ${valid.length - failures.length} / ${valid.length}`);
  assert.deepEqual(failures, []);
});

test('toml-test 1.1.0: invalid files are rejected', (t) => {
  const invalid = files.filter((f) => f.startsWith('invalid/'));
  const accepted: string[] = [];
  for (const file of invalid) {
    const text = readUtf8(root + file);
    if (text === null) continue;
    const doc = parseToml(text);
    if (doc.errors.length === 0) accepted.push(file);
    else assert.ok(doc.nucleusError !== undefined, `${file}: nucleusError set when there are errors`);
  }
  t.diagnostic(`invalid agreed: ${invalid.length - accepted.length} / ${invalid.length}`);
  assert.deepEqual(accepted, []);
});
