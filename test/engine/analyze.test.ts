// analyzeTopology as a whole: which single error Nucleus prints first (parse > validate > graph), issue order,
// hashes only for exact services, locate helpers, LineIndex, and linear cost on large files.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  LineIndex,
  analyzeTopology,
  findKeySpan,
  findTableSpan,
  parseToml,
  serviceAt,
  stringCharSpan,
  type TomlString,
} from '@nucleus-topology/engine';
import { marked } from './markers.ts';

const BASE = 'rootfs = "/nix/store/x"\ncommand = ["/bin/x"]\nmemory = "1G"\n';

describe('nucleusError: the one error Nucleus prints first', () => {
  it('a TOML syntax error wins over an earlier type error (the crate parses before deserializing)', () => {
    const a = analyzeTopology(`name = 1\n[services.web]\n${BASE}[services.web\n`);
    assert.equal(a.nucleusError?.phase, 'parse');
    assert.match(a.nucleusError?.message ?? '', /unclosed table, expected `\]`\n$/);
    assert.ok(
      a.issues.some((i) => i.code === 'invalid-type'),
      'the type error is still reported',
    );
  });

  it('a decode error wins over validate; validate over the graph', () => {
    const decode = analyzeTopology(`name = ""\n[services.web]\n${BASE}pids = -1\n`);
    assert.equal(decode.nucleusError?.phase, 'parse');
    assert.match(
      decode.nucleusError?.message ?? '',
      /^Configuration error: Failed to parse topology: TOML parse error at line 6, column 8\n/,
    );
    const validate = analyzeTopology(`name = ""\n[services.a]\n${BASE}depends_on = [{ service = "a" }]\n`);
    assert.deepEqual(validate.nucleusError, {
      phase: 'validate',
      message: 'Configuration error: Topology name cannot be empty',
      span: { start: 7, end: 9 },
    });
    const graph = analyzeTopology(`name = "t"\n[services.a]\n${BASE}depends_on = [{ service = "a" }]\n`);
    assert.equal(graph.nucleusError?.phase, 'graph');
    assert.equal(
      graph.nucleusError?.message,
      'Configuration error: Circular dependency detected among services: ["a"]',
    );
    assert.equal(analyzeTopology(`name = "t"\n[services.a]\n${BASE}`).nucleusError, null);
  });

  it('0.3.9 rules only under 0.3.9', () => {
    const text = `name = "t"\n[services.web]\n${BASE}credential_broker_no_proxy_env = true\n`;
    assert.equal(analyzeTopology(text, { version: '0.3.9' }).nucleusError?.phase, 'validate');
    assert.equal(analyzeTopology(text, { version: '0.3.8' }).nucleusError?.phase, 'parse');
  });
});

describe('analysis contents', () => {
  it('issues are sorted by position', () => {
    const a = analyzeTopology(
      `name = "t"\nversion = 3\n[services.web]\n${BASE}replicas = 2\nruntime = "x"\n[volumes.v]\nkind = 1\n`,
    );
    const starts = a.issues.map((i) => i.span.start);
    assert.deepEqual(
      starts,
      [...starts].sort((x, y) => x - y),
    );
  });

  it('hashes only for services that decoded exactly; none without details', () => {
    const text = `name = "t"\n[services.ok]\n${BASE}[services.bad]\n${BASE}pids = "x"\n`;
    const a = analyzeTopology(text, { version: '0.3.8' });
    assert.deepEqual([...a.hashes.keys()], ['ok']);
    assert.match(a.hashes.get('ok') ?? '', /^\d+$/);
    assert.equal(analyzeTopology(text, { details: false }).hashes.size, 0);
    assert.deepEqual(a.graph?.startupOrder, ['bad', 'ok']);
  });

  it('default version is the newest', () => {
    assert.equal(analyzeTopology('name = "t"\n').version, '0.3.9');
  });
});

describe('locate', () => {
  const text = `name = "t"\n[services.web]\n${BASE}[services.web.environment]\nA = "1"\n[services]\ninline = { rootfs = "/r" }\n`;
  const a = analyzeTopology(text);

  it('findTableSpan: header, inline key, root', () => {
    const web = findTableSpan(a, ['services', 'web']);
    assert.equal(web && text.slice(web.start, web.end), '[services.web]');
    const inline = findTableSpan(a, ['services', 'inline']);
    assert.equal(inline && text.slice(inline.start, inline.end), 'inline');
    assert.deepEqual(findTableSpan(a, []), { start: 0, end: 0 });
    assert.equal(findTableSpan(a, ['services', 'nope']), undefined);
    const key = findKeySpan(a, ['services', 'web', 'memory']);
    assert.equal(key && text.slice(key.start, key.end), 'memory');
  });

  it('serviceAt: inside sections, sub-sections and inline definitions', () => {
    assert.equal(serviceAt(a, text.indexOf('memory')), 'web');
    assert.equal(serviceAt(a, text.indexOf('A = ')), 'web');
    assert.equal(serviceAt(a, text.indexOf('"/r"')), 'inline');
    assert.equal(serviceAt(a, 2), undefined);
  });

  it('stringCharSpan maps decoded indexes through escapes', () => {
    const m = marked('x = "a\\tb⟦\\u00e9⟧c"\ny = """\nline \\\n   ⟦z⟧"""\n');
    const doc = parseToml(m.text);
    const x = doc.root.entries.get('x')?.value as TomlString;
    assert.deepEqual(stringCharSpan(m.text, x, 3), m.spans[0]);
    const y = doc.root.entries.get('y')?.value as TomlString;
    assert.equal(y.value, 'line z');
    assert.deepEqual(stringCharSpan(m.text, y, 5), m.spans[1]);
  });
});

describe('LineIndex', () => {
  it('offsets ↔ positions with LF, CRLF, lone CR and UTF-16', () => {
    const text = 'a\r\nbé😀c\rd\ne';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 4);
    assert.deepEqual(li.positionAt(text.indexOf('c')), { line: 1, character: 4 });
    assert.deepEqual(li.positionAt(text.indexOf('d')), { line: 2, character: 0 });
    assert.equal(li.offsetAt({ line: 3, character: 0 }), text.indexOf('e'));
    assert.deepEqual(li.lineColumnAt(text.indexOf('e')), { line: 4, column: 1 });
    assert.equal(
      li.offsetAt({ line: 0, character: 99 }),
      3,
      'clamped to the end of the line (its break included)',
    );
  });
});
