// The symbol index and cursor context the server's navigation/completion and the client's Reveal in File share:
// definitions with their key spans and the span that names them (header, else key), references in strings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSymbolIndex,
  cursorContext,
  parseToml,
  referencesTo,
  symbolAt,
  symbolKey,
  type Span,
} from '@nucleus-topology/engine';

const TEXT = `name = "s"

[services.web]
rootfs = "/nix/store/a"
volumes = ["data:/var/lib/x"]

[[services.web.depends_on]]
service = "db"

[services.db]
rootfs = "/nix/store/b"

[services.inline-one]
[volumes]
data = { type = "ephemeral" }
`;

const slice = (span: Span | undefined): string => (span ? TEXT.slice(span.start, span.end) : '<none>');

describe('buildSymbolIndex', () => {
  const index = buildSymbolIndex(parseToml(TEXT));

  it('headerSpan is the whole [services.x] header, or the key of an inline definition', () => {
    assert.equal(slice(index.definitions.get(symbolKey('service', 'web'))?.headerSpan), '[services.web]');
    assert.equal(slice(index.definitions.get(symbolKey('service', 'db'))?.headerSpan), '[services.db]');
    assert.equal(slice(index.definitions.get(symbolKey('volume', 'data'))?.headerSpan), 'data');
  });

  it('sub-headers repeat the definition key; references point at the name inside the string', () => {
    const web = index.definitions.get(symbolKey('service', 'web'));
    assert.deepEqual(web?.keySpans.map(slice), ['web', 'web']);
    const [db] = referencesTo(index, 'service', 'db');
    assert.equal(slice(db?.span), 'db');
    assert.equal(db?.inService, 'web');
    const [data] = referencesTo(index, 'volume', 'data');
    assert.equal(slice(data?.span), 'data');
    assert.deepEqual(symbolAt(index, TEXT.indexOf('"db"') + 1), {
      kind: 'service',
      name: 'db',
      span: db?.span,
      role: 'reference',
    });
  });
});

describe('cursorContext', () => {
  it('a key position in a service table, with the keys already present', () => {
    const doc = parseToml(TEXT);
    const at = TEXT.indexOf('volumes = [');
    const context = cursorContext(doc, at);
    assert.equal(context.kind, 'key');
    if (context.kind !== 'key') return;
    assert.deepEqual(context.tablePath, ['services', 'web']);
    assert.ok(context.presentKeys.has('rootfs') && context.presentKeys.has('volumes'));
  });

  it('inside a string value of an array', () => {
    const doc = parseToml(TEXT);
    const context = cursorContext(doc, TEXT.indexOf('data:/var') + 2);
    assert.equal(context.kind, 'value');
    if (context.kind !== 'value') return;
    assert.deepEqual(context.key, ['volumes']);
    assert.equal(context.inArray, true);
    assert.equal(context.string?.quote, '"');
  });
});
