// Navigation over LSP: definition, references, highlights and rename of services, volumes and networks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DefinitionRequest,
  DocumentHighlightKind,
  DocumentHighlightRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  type Location,
} from 'vscode-languageserver-protocol';
import type { TestClient } from '../helpers/testConnection.js';
import { serverWith } from '../helpers/servers.js';
import { applyEdits, editsFor, positionOf, rangeOf } from '../helpers/text.js';

const TEXT = `name = "nav"

[networks.backend]

[volumes.data]
volume_type = "ephemeral"

[services.db]
rootfs = "/nix/store/abc-db"
command = ["db"]
memory = "1G"
networks = ["backend"]
volumes = ["data:/var/lib/db"]

[services.db.environment]
MODE = "primary"

[services.web]
rootfs = "/nix/store/abc-web"
command = ["web"]
memory = "1G"
networks = ["backend"]
volumes = ["data:/srv:ro"]

[[services.web.depends_on]]
service = "db"
condition = "started"

[services.worker]
rootfs = "/nix/store/abc-worker"
command = ["worker"]
memory = "1G"
depends_on = [{ service = "db" }, { service = "web" }]
`;

describe('navigation', () => {
  let client: TestClient;
  const uri = 'file:///ws/nav.topology.toml';
  before(async () => {
    client = await serverWith(uri, TEXT, { debounceMs: 5 });
  });
  after(() => client.dispose());

  const inside = (needle: string, part: string, occurrence = 0) => {
    const range = rangeOf(TEXT, needle, { part, occurrence });
    return { line: range.start.line, character: range.start.character + 1 };
  };

  const rename = (at: ReturnType<typeof inside>, newName: string) =>
    client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: at, newName });

  test('go to definition from a depends_on entry, a volume mount and a networks entry', async () => {
    const cases: [ReturnType<typeof inside>, string, string][] = [
      [inside('service = "db"', 'db'), '[services.db]', 'db'],
      [inside('depends_on = [{ service = "db" }', 'db'), '[services.db]', 'db'],
      [inside('"data:/srv:ro"', 'data'), '[volumes.data]', 'data'],
      [inside('networks = ["backend"]', 'backend', 1), '[networks.backend]', 'backend'],
    ];
    for (const [position, header, part] of cases) {
      const result = (await client.connection.sendRequest(DefinitionRequest.type, {
        textDocument: { uri },
        position,
      })) as Location;
      assert.deepEqual(result, { uri, range: rangeOf(TEXT, header, { part }) });
    }
  });

  test('find references of a service, with and without its declaration', async () => {
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position: inside('[services.db]', 'db'),
      context: { includeDeclaration: true },
    })) as Location[];
    assert.deepEqual(
      refs.map((l) => l.range),
      [
        rangeOf(TEXT, '[services.db]', { part: 'db' }),
        rangeOf(TEXT, '[services.db.environment]', { part: 'db' }),
        rangeOf(TEXT, 'service = "db"', { part: 'db' }),
        rangeOf(TEXT, '{ service = "db" }', { part: 'db' }),
      ],
    );
    const withoutDeclaration = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position: inside('[services.db]', 'db'),
      context: { includeDeclaration: false },
    })) as Location[];
    assert.equal(withoutDeclaration.length, 2);
  });

  test('highlights: the definition as write, the references as read', async () => {
    const highlights = await client.connection.sendRequest(DocumentHighlightRequest.type, {
      textDocument: { uri },
      position: inside('networks = ["backend"]', 'backend'),
    });
    assert.deepEqual(highlights, [
      { range: rangeOf(TEXT, '[networks.backend]', { part: 'backend' }), kind: DocumentHighlightKind.Write },
      {
        range: rangeOf(TEXT, 'networks = ["backend"]', { part: 'backend', occurrence: 0 }),
        kind: DocumentHighlightKind.Read,
      },
      {
        range: rangeOf(TEXT, 'networks = ["backend"]', { part: 'backend', occurrence: 1 }),
        kind: DocumentHighlightKind.Read,
      },
    ]);
  });

  test('rename a service: its headers and every depends_on entry', async () => {
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri },
      position: inside('service = "db"', 'db'),
    });
    assert.deepEqual(prepared, { range: rangeOf(TEXT, 'service = "db"', { part: 'db' }), placeholder: 'db' });
    const edit = await rename(inside('service = "db"', 'db'), 'postgres');
    const renamed = applyEdits(TEXT, editsFor(edit, uri));
    assert.equal(
      renamed,
      TEXT.replace('[services.db]', '[services.postgres]')
        .replace('[services.db.environment]', '[services.postgres.environment]')
        .replace('service = "db"', 'service = "postgres"')
        .replace('{ service = "db" }', '{ service = "postgres" }'),
    );
    assert.equal(
      edit?.documentChanges?.[0] && 'textDocument' in edit.documentChanges[0]
        ? edit.documentChanges[0].textDocument.version
        : undefined,
      1,
    );
  });

  test('rename a volume to a name that needs quotes: the key is quoted, mounts keep their destination', async () => {
    const edit = await rename(inside('[volumes.data]', 'data'), 'app.data');
    const renamed = applyEdits(TEXT, editsFor(edit, uri));
    assert.equal(
      renamed,
      TEXT.replace('[volumes.data]', '[volumes."app.data"]')
        .replace('"data:/var/lib/db"', '"app.data:/var/lib/db"')
        .replace('"data:/srv:ro"', '"app.data:/srv:ro"'),
    );
  });

  test('rename a network updates every networks entry', async () => {
    const edit = await rename(inside('[networks.backend]', 'backend'), 'internal');
    assert.equal(applyEdits(TEXT, editsFor(edit, uri)), TEXT.replaceAll('backend', 'internal'));
  });

  test('rename refuses names Nucleus rejects or that are taken; nothing to rename on a plain key', async () => {
    const refusals: [string, RegExp][] = [
      ['my web', /Nucleus rejects service name 'my web'/],
      ['db', /A service named 'db' already exists/],
    ];
    for (const [newName, message] of refusals) {
      await assert.rejects(
        rename(inside('[services.web]', 'web'), newName),
        (error: unknown) => error instanceof ResponseError && message.test(error.message),
      );
    }
    const nothing = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri },
      position: positionOf(TEXT, 'rootfs'),
    });
    assert.equal(nothing, null);
  });
});
