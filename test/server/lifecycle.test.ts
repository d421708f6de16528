// Server shape: initialize, publication on open and after edits, clearing on close, a failing handler.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestClient } from '../helpers/testConnection.js';

describe('server lifecycle', () => {
  let client: TestClient;
  before(async () => {
    client = await startTestServer({ debounceMs: 10 });
  });
  after(() => client.dispose());

  test('publishes diagnostics for an opened topology, versioned, and clears them on close', async () => {
    const uri = 'file:///ws/a.topology.toml';
    await client.open(uri, 'name = "a"\n');
    const first = await client.diagnosticsFor(uri, 1);
    assert.equal(first.version, 1);
    const from = client.diagnostics.received.length;
    await client.close(uri);
    const cleared = await client.diagnostics.wait((p) => p.uri === uri, from);
    assert.deepEqual(cleared.diagnostics, []);
    assert.equal(cleared.version, undefined);
  });
});
