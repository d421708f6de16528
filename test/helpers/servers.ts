// Test-server conveniences of the LSP tests: a server with one document open, a server for one test,
// opening a document then waiting for the diagnostics of that version, and reporting a runtime state as the
// client does then waiting for the refresh it triggers.
import { DidChangeRuntimeStateNotification, type TopologyRuntimeState } from '@nucleus-topology/protocol';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startTestServer, type TestClient, type TestClientOptions } from './testConnection.js';

/** A test server with `text` opened as `uri`. */
export async function serverWith(uri: string, text: string, options: TestClientOptions): Promise<TestClient> {
  const client = await startTestServer(options);
  await client.open(uri, text);
  return client;
}

/** Runs `use` with a test server of its own, disposed afterwards whatever happens. */
export async function withTestServer<T>(
  options: TestClientOptions,
  use: (client: TestClient) => Promise<T>,
): Promise<T> {
  const client = await startTestServer(options);
  try {
    return await use(client);
  } finally {
    await client.dispose();
  }
}

/**
 * Opens `text` as `uri` and waits for the diagnostics of that version (received from message index `from` on:
 * see {@link TestClient.diagnosticsFor}).
 */
export async function openAndWait(
  client: TestClient,
  uri: string,
  text: string,
  from = 0,
): Promise<PublishDiagnosticsParams> {
  const version = await client.open(uri, text);
  return client.diagnosticsFor(uri, version, from);
}

/**
 * Sends the runtime state of `uri` as the client does and waits for the server's `refresh` request of that kind
 * (counted from before the notification, so a quick refresh is not missed).
 */
export async function reportRuntimeState(
  client: TestClient,
  uri: string,
  state: TopologyRuntimeState | null,
  refresh: 'codeLens' | 'inlayHint',
): Promise<void> {
  const from = client.refreshes.received.length;
  await client.connection.sendNotification(DidChangeRuntimeStateNotification, { uri, state });
  await client.refreshes.wait((kind) => kind === refresh, from);
}
