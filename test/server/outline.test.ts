// Document symbols (outline) and folding ranges over LSP, including on a file with a syntax error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DocumentSymbolRequest,
  FoldingRangeKind,
  FoldingRangeRequest,
  SymbolKind,
  type DocumentSymbol,
} from 'vscode-languageserver-protocol';
import type { TestClient } from '../helpers/testConnection.js';
import { serverWith } from '../helpers/servers.js';
import { example, positionOf, rangeOf } from '../helpers/text.js';

const TEXT = `# Outline test
# two comment lines
name = "outline"

[networks.backend]

[volumes.data]
volume_type = "ephemeral"

[services.db]
rootfs = "/nix/store/abc-db"
command = [
  "postgres",
  "-D",
]
memory = "1G"

[services.db.environment]
MODE = "primary"

[services.web]
rootfs = "/nix/store/abc-web"
command = ["web"]
memory = "1G"

[[services.web.depends_on]]
service = "db"
condition = "healthy"
`;

type Tree = [string, SymbolKind, Tree[]?];
/** The three keys every service here declares (rootfs, command, memory), as the outline shows them. */
const REQUIRED_KEYS: Tree[] = [
  ['rootfs', SymbolKind.String],
  ['command', SymbolKind.Array],
  ['memory', SymbolKind.String],
];
const tree = (symbols: DocumentSymbol[] | undefined): Tree[] =>
  (symbols ?? []).map((s) => (s.children?.length ? [s.name, s.kind, tree(s.children)] : [s.name, s.kind]));

describe('outline and folding', () => {
  let client: TestClient;
  const uri = 'file:///ws/outline.topology.toml';
  before(async () => {
    client = await serverWith(uri, TEXT, { debounceMs: 5 });
  });
  after(() => client.dispose());

  const documentSymbols = async (target: string) =>
    (await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: target },
    })) as DocumentSymbol[];

  test('document symbols: name, then services, volumes and networks with their keys', async () => {
    const symbols = await documentSymbols(uri);
    assert.deepEqual(tree(symbols), [
      ['name', SymbolKind.String],
      ['networks', SymbolKind.Namespace, [['backend', SymbolKind.Interface]]],
      ['volumes', SymbolKind.Namespace, [['data', SymbolKind.Struct, [['volume_type', SymbolKind.String]]]]],
      [
        'services',
        SymbolKind.Namespace,
        [
          [
            'db',
            SymbolKind.Class,
            [...REQUIRED_KEYS, ['environment', SymbolKind.Object, [['MODE', SymbolKind.Variable]]]],
          ],
          [
            'web',
            SymbolKind.Class,
            [
              ...REQUIRED_KEYS,
              [
                'depends_on',
                SymbolKind.Array,
                [
                  [
                    'db',
                    SymbolKind.Object,
                    [
                      ['service', SymbolKind.String],
                      ['condition', SymbolKind.String],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ]);
    const services = symbols.find((s) => s.name === 'services')!;
    const db = services.children!.find((s) => s.name === 'db')!;
    assert.deepEqual(db.selectionRange, rangeOf(TEXT, '[services.db]', { part: 'db' }));
    // The service covers its own section and its environment sub-table.
    assert.deepEqual(db.range.start, positionOf(TEXT, '[services.db]'));
    assert.deepEqual(db.range.end, positionOf(TEXT, 'MODE = "primary"', { after: true }));
    const memory = db.children!.find((s) => s.name === 'memory')!;
    assert.equal(memory.detail, '"1G"');
    const dependency = services
      .children!.find((s) => s.name === 'web')!
      .children!.find((s) => s.name === 'depends_on')!.children![0]!;
    assert.equal(dependency.detail, 'healthy');
  });

  test('folding: comment block, every table section, multi-line arrays', async () => {
    const ranges = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    const line = (needle: string, after = false) => positionOf(TEXT, needle, { after }).line;
    assert.deepEqual(ranges, [
      { startLine: 0, endLine: 1, kind: FoldingRangeKind.Comment },
      { startLine: line('[volumes.data]'), endLine: line('volume_type') },
      { startLine: line('[services.db]'), endLine: line('memory = "1G"') },
      { startLine: line('command = ['), endLine: line('"-D",') },
      { startLine: line('[services.db.environment]'), endLine: line('MODE') },
      { startLine: line('[services.web]'), endLine: line('memory = "1G"\n\n[[services') },
      { startLine: line('[[services.web.depends_on]]'), endLine: line('condition = "healthy"') },
    ]);
  });

  test('a file with a syntax error still has an outline', async () => {
    const broken = 'file:///ws/broken.topology.toml';
    await client.open(broken, example('syntax-error.topology.toml'));
    const symbols = await documentSymbols(broken);
    // `[services.web` is never closed; the reader recovers and keeps the table and its keys.
    assert.deepEqual(tree(symbols), [
      ['name', SymbolKind.String],
      ['services', SymbolKind.Namespace, [['web', SymbolKind.Class, REQUIRED_KEYS]]],
    ]);
  });
});
