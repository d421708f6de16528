// Inlay hints over LSP: effective defaults of omitted keys, memory in bytes for unusual suffixes, the setting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InlayHintRequest, type InlayHint } from 'vscode-languageserver-protocol';
import { startTestServer, type TestClient } from '../helpers/testConnection.js';
import { positionOf } from '../helpers/text.js';

const TEXT = `name = "hints"

[services.db]
rootfs = "/nix/store/abc-db"
command = ["db"]
memory = "512m"
health_check = "pg_isready"

[services.web]
rootfs = "/nix/store/abc-web"
command = ["web"]
memory = "1G"
cpus = 2
pids = 100
runtime = "gvisor"
health_check = "curl -f localhost"
health_interval = 5

[services.tiny]
rootfs = "/nix/store/abc-tiny"
command = ["tiny"]
memory = "65536"
cpus = 0.5
`;

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

describe('inlay hints', () => {
  let client: TestClient;
  const uri = 'file:///ws/hints.topology.toml';
  before(async () => {
    client = await startTestServer({ debounceMs: 5 });
    await client.open(uri, TEXT);
  });
  after(() => client.dispose());

  const simple = (hints: InlayHint[]) => hints.map((h) => [h.position, h.label]);

  test('omitted cpus, pids, runtime after the header; health_interval after health_check; memory in bytes', async () => {
    const hints =
      (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: WHOLE })) ??
      [];
    assert.deepEqual(simple(hints), [
      [
        positionOf(TEXT, '[services.db]', { after: true }),
        'defaults: cpus = 1.0, pids = 512, runtime = "native"',
      ],
      [positionOf(TEXT, 'memory = "512m"', { after: true }), '= 536,870,912 bytes'],
      [positionOf(TEXT, 'health_check = "pg_isready"', { after: true }), 'default: health_interval = 30'],
      [positionOf(TEXT, '[services.tiny]', { after: true }), 'defaults: pids = 512, runtime = "native"'],
      [positionOf(TEXT, 'memory = "65536"', { after: true }), '= 65,536 bytes'],
    ]);
    assert.match(hints[0]?.tooltip as string, /1 CPU core[^]*512 processes[^]*gVisor/);
  });

  test('only the requested range is computed', async () => {
    const line = positionOf(TEXT, '[services.tiny]').line;
    const hints =
      (await client.connection.sendRequest(InlayHintRequest.type, {
        textDocument: { uri },
        range: { start: { line, character: 0 }, end: { line: line + 4, character: 0 } },
      })) ?? [];
    assert.deepEqual(
      hints.map((h) => h.label),
      ['defaults: pids = 512, runtime = "native"', '= 65,536 bytes'],
    );
  });

  test('nucleus.inlayHints.enabled = false turns them off', async () => {
    const off = await startTestServer({ debounceMs: 5, settings: { inlayHints: { enabled: false } } });
    try {
      await off.open(uri, TEXT);
      assert.deepEqual(
        await off.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: WHOLE }),
        [],
      );
    } finally {
      await off.dispose();
    }
  });
});
