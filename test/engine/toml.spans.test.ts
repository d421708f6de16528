// Spans of parseToml's document model: keys, values, entries, headers, table sections, inline tables,
// arrays of tables, dotted keys, comments; UTF-16 offsets with CRLF and non-BMP characters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNode, parseToml, type Span, type TomlNode, type TomlTable } from '@nucleus-topology/engine';

/** Span of the `nth` occurrence of `snippet` in `text`. */
function spanOf(text: string, snippet: string, nth = 0): Span {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(snippet, start + 1);
  assert.ok(start >= 0, `${snippet} not found`);
  return { start, end: start + snippet.length };
}

function table(node: TomlNode | undefined): TomlTable {
  assert.ok(node?.kind === 'table');
  return node;
}

describe('spans', () => {
  const text = [
    'name = "shop"  # the stack',
    'a.b.c = 1',
    '',
    '[services.web]',
    'rootfs = "/nix/store/web"',
    'command = [',
    '  "/bin/web",',
    '  "--port", "80",',
    ']',
    'environment = { A = "1", B.c = "2" }',
    '',
    '# about the next section',
    '[[services.web.depends_on]]',
    'service = "db"',
    '[[services.web.depends_on]]',
    'service = "cache"',
    '',
  ].join('\n');
  const doc = parseToml(text);

  it('parses without errors', () => {
    assert.deepEqual(doc.errors, []);
    assert.equal(doc.nucleusError, undefined);
  });

  it('key, value and entry of `key = value`', () => {
    const entry = doc.root.entries.get('name');
    assert.ok(entry);
    assert.deepEqual(entry.keySpan, spanOf(text, 'name'));
    assert.deepEqual(entry.value.span, spanOf(text, '"shop"'));
    assert.deepEqual(entry.span, spanOf(text, 'name = "shop"'));
  });

  it('dotted keys: tables created on the way span their segment, the entry spans the whole key', () => {
    const line = spanOf(text, 'a.b.c = 1').start;
    const a = table(doc.root.entries.get('a')?.value);
    assert.equal(a.origin, 'dotted');
    assert.deepEqual(a.span, { start: line, end: line + 1 });
    const b = table(a.entries.get('b')?.value);
    assert.deepEqual(b.span, { start: line + 2, end: line + 3 });
    const c = b.entries.get('c');
    assert.deepEqual(c?.keySpan, { start: line + 4, end: line + 5 });
    assert.deepEqual(c?.span, spanOf(text, 'a.b.c = 1'));
  });

  it('header tables: header text, section up to its last line, implicit parents at their segment', () => {
    const services = doc.root.entries.get('services');
    assert.equal(table(services?.value).origin, 'implicit');
    assert.deepEqual(services?.keySpan, spanOf(text, 'services'));
    assert.deepEqual(services?.value.span, spanOf(text, 'services'));

    const web = table(services?.value).entries.get('web');
    const webTable = table(web?.value);
    assert.equal(webTable.origin, 'header');
    assert.deepEqual(webTable.header, spanOf(text, '[services.web]'));
    assert.deepEqual(web?.keySpan, spanOf(text, 'web'));
    // From `[` to the end of the section's last line (the blank line and the comment belong to what follows).
    const sectionEnd = spanOf(text, 'environment = { A = "1", B.c = "2" }').end;
    assert.deepEqual(webTable.span, { start: spanOf(text, '[services.web]').start, end: sectionEnd });
    assert.deepEqual(web?.span, webTable.span);
  });

  it('multi-line arrays and inline tables span their brackets', () => {
    const command = findNode(doc.root, ['services', 'web', 'command']);
    assert.deepEqual(command?.span, {
      start: spanOf(text, '[\n').start,
      end: spanOf(text, ']\nenv').start + 1,
    });
    assert.equal(command?.kind === 'array' && command.items.length, 3);
    assert.deepEqual(findNode(doc.root, ['services', 'web', 'command', 1])?.span, spanOf(text, '"--port"'));

    const env = table(findNode(doc.root, ['services', 'web', 'environment']));
    assert.equal(env.origin, 'inline');
    assert.deepEqual(env.span, spanOf(text, '{ A = "1", B.c = "2" }'));
    assert.deepEqual(env.entries.get('A')?.span, spanOf(text, 'A = "1"'));
    const b = table(env.entries.get('B')?.value);
    assert.equal(b.origin, 'dotted');
    assert.deepEqual(b.entries.get('c')?.span, spanOf(text, 'B.c = "2"'));
  });

  it('arrays of tables: one table per header, the array spans all of them', () => {
    const deps = findNode(doc.root, ['services', 'web', 'depends_on']);
    assert.ok(deps?.kind === 'array' && deps.ofTables);
    assert.equal(deps.items.length, 2);
    const [first, second] = deps.items.map(table);
    assert.equal(first?.origin, 'array-header');
    assert.deepEqual(first?.header, spanOf(text, '[[services.web.depends_on]]', 0));
    assert.deepEqual(first?.span, {
      start: spanOf(text, '[[services.web.depends_on]]', 0).start,
      end: spanOf(text, 'service = "db"').end,
    });
    assert.deepEqual(second?.span, {
      start: spanOf(text, '[[services.web.depends_on]]', 1).start,
      end: spanOf(text, 'service = "cache"').end,
    });
    assert.ok(first && second);
    assert.deepEqual(deps.span, { start: first.span.start, end: second.span.end });
    const entry = table(findNode(doc.root, ['services', 'web'])).entries.get('depends_on');
    assert.deepEqual(entry?.keySpan, spanOf(text, 'depends_on', 0));
    assert.equal(findNode(doc.root, ['services', 'web', 'depends_on', 1, 'service'])?.kind, 'string');
  });

  it('headers list every header line with its segments and body end', () => {
    assert.deepEqual(
      doc.headers.map((h) => [h.path.join('.'), h.isArray]),
      [
        ['services.web', false],
        ['services.web.depends_on', true],
        ['services.web.depends_on', true],
      ],
    );
    const [web, dep1, dep2] = doc.headers;
    assert.deepEqual(web?.keySpans, [spanOf(text, 'services', 0), spanOf(text, 'web', 0)]);
    // A body ends where the next header's line starts (comments in between included).
    assert.equal(web?.bodyEnd, spanOf(text, '[[services.web.depends_on]]', 0).start);
    assert.equal(dep1?.bodyEnd, spanOf(text, '[[services.web.depends_on]]', 1).start);
    assert.equal(dep2?.bodyEnd, text.length);
  });

  it('comments, from # to the end of the line', () => {
    assert.deepEqual(
      doc.comments.map((c) => c.span),
      [spanOf(text, '# the stack'), spanOf(text, '# about the next section')],
    );
  });

  it('a table first created implicitly takes the span of its own header when it gets one', () => {
    const t = '[a.b]\nx = 1\n[a]\ny = 2\n';
    const a = parseToml(t).root.entries.get('a');
    assert.equal(table(a?.value).origin, 'header');
    assert.deepEqual(table(a?.value).header, spanOf(t, '[a]'));
    assert.deepEqual(a?.keySpan, { start: 13, end: 14 });
    assert.deepEqual(a?.value.span, { start: 12, end: 21 });
  });
});

describe('spans in UTF-16 offsets', () => {
  it('CRLF: values and sections end before the CR', () => {
    const text = 'a = "x"\r\n[t]\r\nb = [1,\r\n  2]\r\n\r\n';
    const doc = parseToml(text);
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(doc.root.entries.get('a')?.value.span, { start: 4, end: 7 });
    const t = doc.root.entries.get('t');
    assert.deepEqual(t?.value.span, { start: 9, end: text.indexOf('2]') + 2 });
    assert.deepEqual(findNode(doc.root, ['t', 'b'])?.span, {
      start: text.indexOf('[1'),
      end: text.indexOf('2]') + 2,
    });
  });

  it('non-BMP characters count two units', () => {
    const text = 'k = "😀"\n"🔑" = 1\n[t."😀"]\nx = 2\n';
    const doc = parseToml(text);
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(doc.root.entries.get('k')?.value, {
      kind: 'string',
      value: '😀',
      style: 'basic',
      span: { start: 4, end: 8 },
    });
    assert.deepEqual(doc.root.entries.get('🔑')?.keySpan, spanOf(text, '"🔑"'));
    assert.deepEqual(doc.headers[0]?.keySpans[1], spanOf(text, '"😀"', 1));
    assert.deepEqual(findNode(doc.root, ['t', '😀', 'x'])?.span, spanOf(text, '2'));
  });

  it('a BOM at the start is skipped but offsets still count it', () => {
    const doc = parseToml('\ufeffa = 1\n');
    assert.deepEqual(doc.root.entries.get('a')?.keySpan, { start: 1, end: 2 });
  });
});

describe('values', () => {
  it('string styles and escapes (TOML 1.1 \\e and \\xHH included)', () => {
    const text = [
      's1 = "tab\\t \\e \\x41 \\u00e9 \\U0001F600"',
      "s2 = 'C:\\path'",
      's3 = """\nline 1\\\n   line 2"""',
      "s4 = '''\n raw\\n '''",
    ].join('\n');
    const doc = parseToml(text);
    assert.deepEqual(doc.errors, []);
    const s = (k: string): TomlNode | undefined => doc.root.entries.get(k)?.value;
    assert.deepEqual(s('s1'), {
      kind: 'string',
      value: 'tab\t \x1b A é 😀',
      style: 'basic',
      span: spanOf(text, '"tab\\t \\e \\x41 \\u00e9 \\U0001F600"'),
    });
    assert.equal(s('s2')?.kind === 'string' && s('s2'), s('s2'));
    assert.deepEqual(s('s2'), {
      kind: 'string',
      value: 'C:\\path',
      style: 'literal',
      span: spanOf(text, "'C:\\path'"),
    });
    assert.deepEqual(s('s3')?.kind === 'string' && [s('s3')?.kind, (s('s3') as { value: string }).value], [
      'string',
      'line 1line 2',
    ]);
    assert.deepEqual((s('s4') as { value: string; style: string }).value, ' raw\\n ');
    assert.equal((s('s4') as { style: string }).style, 'multiline-literal');
  });

  it('date-times keep the literal and its kind; TOML 1.1 times without seconds', () => {
    const text = 'a = 1979-05-27T07:32:00Z\nb = 1979-05-27 07:32\nc = 1979-05-27\nd = 07:32\n';
    const doc = parseToml(text);
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((k) => {
        const v = doc.root.entries.get(k)?.value;
        return v?.kind === 'datetime' ? [v.subtype, v.value] : null;
      }),
      [
        ['offset-datetime', '1979-05-27T07:32:00Z'],
        ['local-datetime', '1979-05-27 07:32'],
        ['local-date', '1979-05-27'],
        ['local-time', '07:32'],
      ],
    );
  });

  it('TOML 1.1 inline tables: several lines, comments, trailing comma', () => {
    const text = 'env = {\n  A = "1", # first\n  B = "2",\n}\n';
    const doc = parseToml(text);
    assert.deepEqual(doc.errors, []);
    const env = table(doc.root.entries.get('env')?.value);
    assert.deepEqual([...env.entries.keys()], ['A', 'B']);
    assert.deepEqual(env.span, { start: 6, end: text.length - 1 });
  });
});
