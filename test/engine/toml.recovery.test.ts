// Recovery of parseToml after syntax errors: the rest of the document still yields its headers and keys
// (editors need them while the user types), each error has its span, and recovery adds no errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNode, parseToml, type TomlDocument, type TomlNode } from '@nucleus-topology/engine';

function errors(doc: TomlDocument): [string, number, number][] {
  return doc.errors.map((e) => [e.message, e.span.start, e.span.end]);
}

function str(node: TomlNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

const at = (text: string, snippet: string): number => {
  const i = text.indexOf(snippet);
  assert.ok(i >= 0, snippet);
  return i;
};

describe('recovery', () => {
  it('an unclosed header still opens its section', () => {
    const text = 'name = "t"\n[services.web\nrootfs = "/r"\n[services.db]\nrootfs = "/d"\n';
    const doc = parseToml(text);
    const end = at(text, '[services.web') + '[services.web'.length;
    assert.deepEqual(errors(doc), [['unclosed table, expected `]`', end, end]]);
    assert.deepEqual(doc.headers[0]?.path, ['services', 'web']);
    assert.equal(str(findNode(doc.root, ['services', 'web', 'rootfs'])), '/r');
    assert.equal(str(findNode(doc.root, ['services', 'db', 'rootfs'])), '/d');
  });

  it('a header being typed keeps the segments read so far', () => {
    const doc = parseToml('[services.\nrootfs = "/r"\n');
    assert.deepEqual(doc.headers[0]?.path, ['services']);
    assert.equal(doc.errors.length, 1);
    assert.equal(
      doc.errors[0]?.message,
      'unquoted keys cannot be empty, expected letters, numbers, `-`, `_`',
    );
  });

  it('a key without value records nothing and breaks nothing else', () => {
    const text = '[services.web]\nmemory = \ncpus = 2\nrootfs = "/r"\n';
    const doc = parseToml(text);
    const p = at(text, 'memory = ') + 'memory = '.length;
    assert.deepEqual(errors(doc), [['string values must be quoted, expected literal string', p, p]]);
    const web = findNode(doc.root, ['services', 'web']);
    assert.ok(web?.kind === 'table');
    assert.deepEqual([...web.entries.keys()], ['cpus', 'rootfs']);
  });

  it('an unclosed array stops at a line that reads as `key = …` (same error as the crate)', () => {
    const text =
      '[services.web]\ncommand = ["/bin/run", "--flag"\nmemory = "1G"\n[services.db]\nrootfs = "/r"\n';
    const doc = parseToml(text);
    const m = at(text, 'memory');
    assert.deepEqual(errors(doc), [['missing comma between array elements, expected `,`', m, m]]);
    assert.deepEqual(doc.nucleusError?.message, 'missing comma between array elements, expected `,`');
    const command = findNode(doc.root, ['services', 'web', 'command']);
    assert.ok(command?.kind === 'array');
    assert.deepEqual(command.items.map(str), ['/bin/run', '--flag']);
    assert.deepEqual(command.span, { start: at(text, '["/bin'), end: at(text, '"--flag"') + 8 });
    assert.equal(str(findNode(doc.root, ['services', 'web', 'memory'])), '1G');
    assert.equal(str(findNode(doc.root, ['services', 'db', 'rootfs'])), '/r');
  });

  it("an array left open after a comma stops at the next header; Nucleus's error is still known", () => {
    const text = '[services.web]\ncommand = ["/bin/run",\n\n[services.db]\nrootfs = "/r"\n';
    const doc = parseToml(text);
    const afterComma = at(text, '"/bin/run",') + '"/bin/run",'.length;
    assert.deepEqual(errors(doc), [['unclosed array, expected `]`', afterComma, afterComma]]);
    assert.equal(str(findNode(doc.root, ['services', 'db', 'rootfs'])), '/r');
    // The crate reads `[services.db]` as a nested array and fails at the next line.
    const r = at(text, 'rootfs');
    assert.deepEqual(doc.nucleusError, {
      message: 'missing comma between array elements, expected `,`',
      span: { start: r, end: r },
      stage: 1,
    });
  });

  it('an unclosed single-line inline table stops at the next key line', () => {
    const text = '[services.web]\nenvironment = { A = "1"\nmemory = "1G"\n';
    const doc = parseToml(text);
    const m = at(text, 'memory');
    assert.deepEqual(errors(doc), [['missing comma between key-value pairs, expected `,`', m, m]]);
    assert.equal(str(findNode(doc.root, ['services', 'web', 'environment', 'A'])), '1');
    assert.equal(str(findNode(doc.root, ['services', 'web', 'memory'])), '1G');
  });

  it('a multi-line inline table is not cut at its own keys', () => {
    const text = 'env = {\n  A = "1",\n  B = "2"\n  C = "3",\n}\nafter = 1\n';
    const doc = parseToml(text);
    const c = at(text, 'C =');
    assert.deepEqual(errors(doc), [['missing comma between key-value pairs, expected `,`', c, c]]);
    assert.deepEqual(
      [...(findNode(doc.root, ['env']) as { entries: Map<string, unknown> }).entries.keys()],
      ['A', 'B', 'C'],
    );
    assert.ok(findNode(doc.root, ['after']));
  });

  it('an inline table left open at the end of the file keeps what it read', () => {
    const doc = parseToml('x = { a = 1, b = ');
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [
        "invalid literal string, expected `'`",
        "invalid literal string, expected `'`",
        'unclosed inline table, expected `}`',
      ],
    );
    assert.equal(findNode(doc.root, ['x', 'a'])?.kind, 'integer');
  });

  it('several broken lines: every error in document order, the good lines kept', () => {
    const text = ['a = ', 'b = 1', 'c = "x', 'd = [1,,2]', '[t', 'e = 2', 'f = tru', 'g = 3'].join('\n');
    const doc = parseToml(text);
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [
        'string values must be quoted, expected literal string',
        'invalid basic string, expected `"`',
        'extra comma in array, expected value',
        'unclosed table, expected `]`',
        'invalid boolean, expected `true`',
      ],
    );
    const starts = doc.errors.map((e) => e.span.start);
    assert.deepEqual(
      starts,
      [...starts].sort((x, y) => x - y),
    );
    assert.deepEqual([...doc.root.entries.keys()], ['b', 'c', 'd', 't']);
    assert.deepEqual((findNode(doc.root, ['d']) as { items: unknown[] }).items.length, 2);
    assert.equal(findNode(doc.root, ['t', 'g'])?.kind, 'integer');
    // A value in error keeps its key visible (hover, completion).
    assert.equal(findNode(doc.root, ['t', 'f'])?.kind, 'boolean');
  });

  it('a redefined table reports once, its body does not cascade into more duplicates', () => {
    const text =
      '[services.web]\nrootfs = "/a"\nmemory = "1G"\n\n[services.web]\nrootfs = "/b"\nmemory = "2G"\n';
    const doc = parseToml(text);
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      ['duplicate key'],
    );
    assert.equal(str(findNode(doc.root, ['services', 'web', 'rootfs'])), '/a');
    assert.equal(doc.headers.length, 2);
  });

  it('a half-typed key at the end of the file', () => {
    const doc = parseToml('[services.web]\nrootfs = "/r"\nmem');
    assert.deepEqual(errors(doc), [['key with no value, expected `=`', 32, 32]]);
    assert.equal(str(findNode(doc.root, ['services', 'web', 'rootfs'])), '/r');
  });

  it('an unclosed multi-line array of inline tables stops at the next header', () => {
    const text =
      'depends_on = [\n  { service = "db" },\n  { service = "cache" }\n[services.db]\nrootfs = "/r"\n';
    const doc = parseToml(text);
    const h = at(text, '[services.db]');
    assert.deepEqual(errors(doc), [['missing comma between array elements, expected `,`', h, h]]);
    assert.equal((findNode(doc.root, ['depends_on']) as { items: unknown[] }).items.length, 2);
    assert.equal(str(findNode(doc.root, ['services', 'db', 'rootfs'])), '/r');
  });

  it('an unclosed multi-line string ends before the next header, so later sections survive', () => {
    const text = 'x = 1\nd = """\nlong text\n  more\n\n[services.web]\nrootfs = "/r"\n';
    const doc = parseToml(text);
    const cut = text.indexOf('\n\n[services') + 1;
    assert.deepEqual(errors(doc), [['invalid multi-line basic string, expected `"`', cut, cut]]);
    assert.equal(str(findNode(doc.root, ['d'])), 'long text\n  more\n');
    assert.equal(str(findNode(doc.root, ['services', 'web', 'rootfs'])), '/r');
    // The crate's string runs to the end of the file.
    assert.deepEqual(doc.nucleusError?.span, { start: text.length, end: text.length });
  });
});
