// The TextMate grammar (syntaxes/nucleus-topology.tmLanguage.json): structure, JS-compilable regexes, and the
// scopes of representative TOML 1.1 / topology lines, through a small line tokenizer modelled on vscode-textmate.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

interface Capture {
  name?: string;
  patterns?: Rule[];
}
interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
}
interface Grammar extends Rule {
  scopeName: string;
  repository: Record<string, Rule>;
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  contributes: { grammars: { language: string; scopeName: string; path: string }[] };
};
const contribution = manifest.contributes.grammars[0];
assert.ok(contribution, 'package.json contributes a grammar');
const grammar = JSON.parse(readFileSync(new URL(contribution.path, root), 'utf8')) as Grammar;

/** Every rule reachable from the grammar, with a path for error messages. */
function* walk(rule: Rule, where: string): Generator<[Rule, string]> {
  yield [rule, where];
  for (const [i, child] of (rule.patterns ?? []).entries()) yield* walk(child, `${where}.patterns[${i}]`);
  for (const key of ['captures', 'beginCaptures', 'endCaptures'] as const) {
    for (const [group, capture] of Object.entries(rule[key] ?? {})) {
      for (const [i, child] of (capture.patterns ?? []).entries()) {
        yield* walk(child, `${where}.${key}[${group}].patterns[${i}]`);
      }
    }
  }
}
function* allRules(): Generator<[Rule, string]> {
  yield* walk(grammar, '$');
  for (const [name, rule] of Object.entries(grammar.repository)) yield* walk(rule, `#${name}`);
}

// Oniguruma (what VS Code runs) accepts more than JavaScript; the grammar sticks to the common subset so that
// this compile check means something. 'd' gives group indices for the tokenizer below.
const compile = (source: string): RegExp => new RegExp(source, 'dgu');

test('the grammar matches its package.json contribution', () => {
  assert.equal(grammar.scopeName, contribution.scopeName);
  assert.equal(contribution.language, 'nucleus-topology');
});

test('every regex compiles as a JavaScript RegExp', () => {
  let count = 0;
  for (const [rule, where] of allRules()) {
    for (const key of ['match', 'begin', 'end'] as const) {
      const source = rule[key];
      if (source === undefined) continue;
      assert.doesNotThrow(() => compile(source), `${where}.${key}: ${source}`);
      count++;
    }
    assert.ok(!(rule.match !== undefined && rule.begin !== undefined), `${where}: both match and begin`);
    assert.equal(
      rule.begin !== undefined,
      rule.end !== undefined,
      `${where}: begin without end or vice versa`,
    );
  }
  assert.ok(count > 30, `only ${count} regexes found`);
});

test('every include points at a repository rule', () => {
  for (const [rule, where] of allRules()) {
    if (rule.include === undefined) continue;
    assert.match(rule.include, /^#/, `${where}: only local includes`);
    assert.ok(grammar.repository[rule.include.slice(1)], `${where}: unknown include ${rule.include}`);
  }
});

// --- a small tokenizer: begin/end/match rules, includes, captures; one line at a time -------------------

interface Frame {
  rule: Rule;
  end: RegExp | undefined;
  scopes: string[];
}

const scopeList = (name: string | undefined): string[] => (name ? name.split(' ') : []);

function expand(rules: Rule[] | undefined): Rule[] {
  return (rules ?? []).flatMap((rule) => {
    if (rule.include !== undefined) {
      const target = grammar.repository[rule.include.slice(1)];
      assert.ok(target, rule.include);
      return target.match !== undefined || target.begin !== undefined ? [target] : expand(target.patterns);
    }
    return rule.match !== undefined || rule.begin !== undefined ? [rule] : expand(rule.patterns);
  });
}

/** Tokenizes `text`; returns, per line, the scope list of every character. */
function tokenize(text: string): string[][][] {
  return tokenizeWithState(text).lines;
}

/** Also returns how many begin/end rules are still open at the end of the text (0: all closed). */
function tokenizeWithState(text: string): { lines: string[][][]; open: string[] } {
  const stack: Frame[] = [{ rule: grammar, end: undefined, scopes: [grammar.scopeName] }];
  const lines = text.split('\n').map((line) => {
    const scopes: string[][] = [];
    const paint = (from: number, to: number, names: string[]): void => {
      for (let i = from; i < to; i++) scopes[i] = names;
    };
    const paintCaptures = (
      m: RegExpExecArray,
      captures: Record<string, Capture> | undefined,
      base: string[],
    ) => {
      for (const [group, capture] of Object.entries(captures ?? {})) {
        const range = m.indices?.[Number(group)];
        if (range) paint(range[0], range[1], [...base, ...scopeList(capture.name)]);
      }
    };
    paint(0, line.length, stack.at(-1)?.scopes ?? []);
    let pos = 0;
    for (let guard = 0; pos <= line.length && guard < 10_000; guard++) {
      const frame = stack.at(-1);
      assert.ok(frame);
      let best: { m: RegExpExecArray; rule: Rule | undefined } | undefined;
      const candidates: [RegExp, Rule | undefined][] = [];
      if (frame.end) candidates.push([frame.end, undefined]); // the end pattern wins ties, as in vscode-textmate
      for (const rule of expand(frame.rule.patterns))
        candidates.push([compile(rule.match ?? rule.begin ?? ''), rule]);
      for (const [re, rule] of candidates) {
        re.lastIndex = pos;
        const m = re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { m, rule };
      }
      if (!best) break;
      const { m, rule } = best;
      const start = m.index;
      const end = start + m[0].length;
      if (rule === undefined) {
        paint(start, end, frame.scopes);
        paintCaptures(m, frame.rule.endCaptures ?? frame.rule.captures, frame.scopes);
        stack.pop();
      } else if (rule.match !== undefined) {
        const names = [...frame.scopes, ...scopeList(rule.name)];
        paint(start, end, names);
        paintCaptures(m, rule.captures, names);
      } else {
        const names = [...frame.scopes, ...scopeList(rule.name)];
        paint(start, end, names);
        paintCaptures(m, rule.beginCaptures ?? rule.captures, names);
        stack.push({ rule, end: compile(rule.end ?? ''), scopes: names });
        paint(end, line.length, names);
      }
      if (rule === undefined) paint(end, line.length, stack.at(-1)?.scopes ?? []);
      pos = end === start && rule?.begin === undefined ? end + 1 : end;
    }
    return scopes;
  });
  return { lines, open: stack.slice(1).map((frame) => frame.rule.name ?? '?') };
}

/** The scopes of the first character of `needle` (its `nth` occurrence) on line `line` of `text`. */
function scopesAt(text: string, line: number, needle: string, nth = 0, tokens = tokenize(text)): string[] {
  const lineText = text.split('\n')[line] ?? '';
  let at = -1;
  for (let i = 0; i <= nth; i++) at = lineText.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${JSON.stringify(needle)} not on line ${line}: ${lineText}`);
  return tokens[line]?.[at] ?? [];
}

/** [line, needle, expected scope (it or a more specific one), which occurrence of the needle on the line]. */
type ScopeCase = [line: number, needle: string, scope: string, nth?: number];

/** Tokenizes `text` once and checks every case against it. */
function assertScopes(text: string, cases: ScopeCase[]): void {
  const tokens = tokenize(text);
  for (const [line, needle, scope, nth = 0] of cases) {
    const scopes = scopesAt(text, line, needle, nth, tokens);
    assert.ok(
      scopes.some((s) => s === scope || s.startsWith(`${scope}.`)),
      `${JSON.stringify(needle)} on line ${line}: expected ${scope}, got [${scopes.join(', ')}]`,
    );
  }
}

test('topology headers: section as a tag, the service/network/volume name as a type', () => {
  const text = [
    '[services.web]',
    '[[services.api.depends_on]]',
    '[ networks . "back end" ]',
    '[volumes.pg-data]',
    '[services]',
    '[services.web',
  ].join('\n');
  assertScopes(text, [
    [0, 'services', 'entity.name.tag.table'],
    [0, 'web', 'entity.name.type.service.nucleus-topology'],
    [0, '[', 'punctuation.definition.table'],
    [1, 'api', 'entity.name.type.service'],
    [1, 'depends_on', 'entity.name.tag.table'],
    [1, ']]', 'punctuation.definition.table'],
    [2, 'back end', 'entity.name.type.network'],
    [3, 'pg-data', 'entity.name.type.volume'],
    [4, 'services', 'entity.name.tag.table'],
  ]);
  // an unclosed header ends with its line; the next line is a key again
  assertScopes(`${text}\nname = "x"`, [[6, 'name', 'support.type.property-name']]);
});

test('generic tables, arrays of tables, dotted and quoted keys', () => {
  const text = [
    '[a."b.c".\'d\']',
    '[[products]]',
    'site."google.com" = true',
    "'quoted' = 1",
    '1.2 = 3',
  ].join('\n');
  assertScopes(text, [
    [0, 'a', 'entity.name.tag.table'],
    [0, 'b.c', 'entity.name.tag.table.quoted'],
    [0, 'd', 'entity.name.tag.table.quoted'],
    [1, 'products', 'entity.name.tag.table'],
    [1, '[[', 'punctuation.definition.array.table'],
    [2, 'site', 'support.type.property-name'],
    [2, '.', 'punctuation.separator.dot'],
    [2, 'google.com', 'support.type.property-name.quoted'],
    [2, '=', 'punctuation.separator.key-value'],
    [2, 'true', 'constant.language.boolean'],
    [3, 'quoted', 'support.type.property-name.quoted'],
    [4, '1', 'support.type.property-name'],
    [4, '3', 'constant.numeric.integer'],
  ]);
});

test('the four string forms and their escapes, including TOML 1.1 \\e and \\xHH', () => {
  const text = [
    String.raw`a = "tab\t esc\e hex\x41 uni\u00E9 big\U0001F600 bad\q"`,
    String.raw`b = 'C:\no\escapes'`,
    'c = """',
    'line \\e \\',
    'ends ""with quotes""""',
    "d = '''",
    String.raw`raw \n`,
    "'''",
    'e = "unterminated',
    'f = 1',
  ].join('\n');
  assertScopes(text, [
    [0, '"', 'string.quoted.double.basic.line'],
    [0, '\\t', 'constant.character.escape'],
    [0, '\\e', 'constant.character.escape'],
    [0, '\\x41', 'constant.character.escape'],
    [0, '\\u00E9', 'constant.character.escape'],
    [0, '\\U0001F600', 'constant.character.escape'],
    [0, '\\q', 'invalid.illegal.escape'],
    [1, '\\no', 'string.quoted.single.literal.line'],
    [3, '\\e', 'constant.character.escape'],
    [3, 'line', 'string.quoted.triple.basic.block'],
    [4, '""with', 'string.quoted.triple.basic.block'],
    [6, '\\n', 'string.quoted.triple.literal.block'],
  ]);
  assert.ok(!scopesAt(text, 6, '\\n').some((s) => s.startsWith('constant.character.escape')));
  // an unterminated basic string stops at the end of its line
  assertScopes(text, [[9, 'f', 'support.type.property-name']]);
});

test('numbers, booleans, dates and times', () => {
  const text = [
    'a = [0xDEAD_beef, 0o755, 0b1101, +42, -17, 1_000, 0]',
    'b = [3.14, -0.01, 5e+22, 6.626e-34, 9_224_617.445_991, inf, -inf, nan, +nan]',
    'c = [1979-05-27T07:32:00Z, 1979-05-27 00:32:00.999-07:00, 1979-05-27T07:32, 1979-05-27, 07:32, 00:32:00.5]',
    'd = [true, false]',
  ].join('\n');
  assertScopes(text, [
    [0, '0xDEAD_beef', 'constant.numeric.integer.hex'],
    [0, '0o755', 'constant.numeric.integer.oct'],
    [0, '0b1101', 'constant.numeric.integer.bin'],
    [0, '+42', 'constant.numeric.integer'],
    [0, '1_000', 'constant.numeric.integer'],
    [1, '3.14', 'constant.numeric.float'],
    [1, '5e+22', 'constant.numeric.float'],
    [1, '9_224', 'constant.numeric.float'],
    [1, 'inf', 'constant.numeric.float.inf'],
    [1, '-inf', 'constant.numeric.float.inf'],
    [1, '+nan', 'constant.numeric.float.nan'],
    [2, '1979-05-27T07:32:00Z', 'constant.other.time.datetime.offset'],
    [2, '1979-05-27 00:32', 'constant.other.time.datetime.offset'],
    [2, '1979-05-27T07:32,', 'constant.other.time.datetime.local'],
    [2, '1979-05-27,', 'constant.other.time.date'],
    [2, '07:32,', 'constant.other.time.time', 1],
    [2, '00:32:00.5', 'constant.other.time.time'],
    [3, 'false', 'constant.language.boolean'],
    [0, ',', 'punctuation.separator.array'],
  ]);
});

test('multi-line inline tables with comments and a trailing comma (TOML 1.1), comments', () => {
  const text = [
    '# a comment',
    'depends_on = [',
    '  { service = "db", condition = "healthy" }, # trailing',
    '  {',
    '    service = "cache", # why',
    '  },',
    ']',
    'after = 1',
  ].join('\n');
  assertScopes(text, [
    [0, '#', 'comment.line.number-sign'],
    [0, 'a comment', 'comment.line.number-sign'],
    [2, '{', 'punctuation.definition.table.inline'],
    [2, 'service', 'support.type.property-name'],
    [2, 'healthy', 'string.quoted.double'],
    [2, '# trailing', 'comment.line.number-sign'],
    [4, 'service', 'support.type.property-name'],
    [4, '# why', 'comment.line.number-sign'],
    [4, 'cache', 'meta.table.inline'],
    [7, 'after', 'support.type.property-name'],
  ]);
  assert.ok(!scopesAt(text, 7, 'after').includes('meta.array.toml'), 'the array was closed');
});

test('the examples and e2e fixtures tokenize cleanly: every rule closed, nothing invalid', () => {
  const folders = ['examples/', 'test/fixtures/workspace/', 'test/fixtures/workspace/service/'];
  const files = folders.flatMap((folder) =>
    readdirSync(new URL(folder, root))
      .filter((name) => name.endsWith('.toml'))
      .map((name) => `${folder}${name}`),
  );
  assert.ok(files.length >= 6, files.join(', '));
  for (const file of files) {
    const { lines, open } = tokenizeWithState(readFileSync(new URL(file, root), 'utf8'));
    assert.deepEqual(open, [], `${file}: rules left open at the end`);
    lines.forEach((scopes, i) => {
      const invalid = scopes.find((list) => list.some((scope) => scope.startsWith('invalid')));
      assert.equal(invalid, undefined, `${file}:${i + 1}: ${invalid?.join(' ')}`);
    });
  }
});
