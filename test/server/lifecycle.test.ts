// Server shape over LSP: capabilities, a failing handler is logged and the server keeps answering, the custom
// messages (analysis summary, detected version), and the settings parser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyzeTopology, type Analysis, type AnalyzeOptions } from '@nucleus-topology/engine';
import {
  AnalysisRequest,
  DEFAULT_SERVER_SETTINGS,
  DidChangeAnalysisNotification,
  DidDetectVersionNotification,
  DidInferVersionNotification,
  parseServerSettings,
  type DidChangeAnalysisParams,
} from '@nucleus-topology/protocol';
import {
  CompletionRequest,
  HoverRequest,
  MessageType,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol';
import { startTestServer, type TestClient } from '../helpers/testConnection.js';
import { openAndWait, withTestServer } from '../helpers/servers.js';
import { example, positionOf, rangeOf } from '../helpers/text.js';

describe('server lifecycle', () => {
  let client: TestClient;
  const analysed: DidChangeAnalysisParams[] = [];
  /** The real engine, except on texts that ask it to fail. */
  const analyze = (text: string, options: AnalyzeOptions): Analysis => {
    if (text.includes('# boom')) throw new Error('engine exploded');
    return analyzeTopology(text, options);
  };
  before(async () => {
    client = await startTestServer({ debounceMs: 5, analyze });
    client.connection.onNotification(DidChangeAnalysisNotification, (params: DidChangeAnalysisParams) => {
      analysed.push(params);
    });
  });
  after(() => client.dispose());

  test('declares incremental sync and every feature', () => {
    const capabilities = client.initializeResult!.capabilities;
    assert.deepEqual(capabilities.textDocumentSync, {
      openClose: true,
      change: TextDocumentSyncKind.Incremental,
    });
    for (const key of [
      'completionProvider',
      'hoverProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'codeActionProvider',
      'codeLensProvider',
      'inlayHintProvider',
    ] as const) {
      assert.ok(capabilities[key], `${key} declared`);
    }
  });

  test('publishes diagnostics for an opened topology, versioned, and clears them on close', async () => {
    const uri = 'file:///ws/a.topology.toml';
    const first = await openAndWait(client, uri, 'name = "a"\n');
    assert.equal(first.version, 1);
    const from = client.diagnostics.received.length;
    await client.close(uri);
    const cleared = await client.diagnostics.wait((p) => p.uri === uri, from);
    assert.deepEqual(cleared.diagnostics, []);
    assert.equal(cleared.version, undefined);
  });

  test('a handler that throws is logged with its name and document, and the server keeps answering', async () => {
    const bad = 'file:///ws/boom.topology.toml';
    const good = 'file:///ws/good.topology.toml';
    const from = client.logs.received.length;
    await client.open(bad, 'name = "x"\n# boom\n');
    const logged = await client.logs.wait(
      (m) => m.message.includes('diagnostics failed for file:///ws/boom.topology.toml'),
      from,
    );
    assert.equal(logged.type, MessageType.Error);
    assert.match(logged.message, /engine exploded/);

    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: bad },
      position: { line: 0, character: 1 },
    });
    assert.equal(hover, null);
    await client.logs.wait(
      (m) => m.message.startsWith('hover failed for file:///ws/boom.topology.toml'),
      from,
    );

    const text = 'name = "ok"\n[services.web]\nrootfs = "/nix/store/abc"\ncommand = ["x"]\nmemory = "1G"\n';
    await client.open(good, text);
    const completion = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: good },
      position: positionOf(text, text, { after: true }),
    });
    assert.ok(completion && 'items' in completion && completion.items.some((i) => i.label === 'cpus'));
  });

  test('nucleus/analysis answers the summary the views need; nucleus/didChangeAnalysis follows each publication', async () => {
    const uri = 'file:///ws/shop.topology.toml';
    const text = example('shop.topology.toml');
    await openAndWait(client, uri, text);
    const summary = await client.connection.sendRequest(AnalysisRequest, { uri });
    assert.ok(summary);
    const analysis = analyzeTopology(text, { version: '0.3.9' });
    assert.equal(summary.name, 'shop');
    assert.equal(summary.documentVersion, 1);
    assert.equal(summary.nucleusVersion, '0.3.9');
    assert.deepEqual(summary.startupOrder, analysis.graph?.startupOrder);
    const postgres = summary.services.find((s) => s.name === 'postgres');
    assert.deepEqual(postgres?.range, rangeOf(text, '[services.postgres]', { part: 'postgres' }));
    assert.equal(postgres?.hash, analysis.hashes.get('postgres'));
    assert.equal(postgres?.postStartWait, 'Healthy');
    assert.equal(postgres?.startupIndex, analysis.graph!.startupOrder.indexOf('postgres') + 1);
    assert.equal(summary.nucleusError, null);
    assert.ok(analysed.some((a) => a.uri === uri && a.documentVersion === 1));
    assert.equal(
      await client.connection.sendRequest(AnalysisRequest, { uri: 'file:///ws/not-open.topology.toml' }),
      null,
    );
  });

  test('nucleus/didDetectVersion switches the rules when nucleus.version is auto', async () => {
    const uri = 'file:///ws/detect.topology.toml';
    const text =
      'name = "d"\n[services.a]\nrootfs = "/nix/store/abc"\ncommand = ["x"]\nmemory = "1G"\negress_udp_ports = [53]\n';
    const newest = await openAndWait(client, uri, text);
    assert.ok(!newest.diagnostics.some((d) => d.code === 'newer-version-key'));
    const from = client.diagnostics.received.length;
    await client.connection.sendNotification(DidDetectVersionNotification, { version: 'nucleus 0.3.8' });
    const republished = await client.diagnostics.wait((p) => p.uri === uri, from);
    assert.ok(republished.diagnostics.some((d) => d.code === 'newer-version-key'));
    const summary = await client.connection.sendRequest(AnalysisRequest, { uri });
    assert.equal(summary?.nucleusVersion, '0.3.8');
  });
});

describe('the version whose rules apply (engine resolveRuleVersion, as the client commands resolve it)', () => {
  const uri = 'file:///ws/infer.topology.toml';
  // egress_udp_ports is a 0.3.9 key: under 0.3.8 rules it is reported as newer-version-key.
  const text =
    'name = "i"\n[services.a]\nrootfs = "/nix/store/abc"\ncommand = ["x"]\nmemory = "1G"\negress_udp_ports = [53]\n';
  const versionOf = async (client: TestClient) =>
    (await client.connection.sendRequest(AnalysisRequest, { uri }))?.nucleusVersion;
  const republished = async (client: TestClient, send: () => Promise<void>) => {
    const from = client.diagnostics.received.length;
    const lenses = client.refreshes.received.length;
    await send();
    const published = await client.diagnostics.wait((p) => p.uri === uri, from);
    // Lenses and hints follow the new rules too.
    await client.refreshes.wait((kind) => kind === 'codeLens', lenses);
    await client.refreshes.wait((kind) => kind === 'inlayHint', lenses);
    return published.diagnostics.some((d) => d.code === 'newer-version-key');
  };

  test('auto: the state files decide until nucleus --version does; the setting beats both', async () => {
    await withTestServer({ debounceMs: 5 }, async (client) => {
      await openAndWait(client, uri, text);
      assert.equal(await versionOf(client), '0.3.9', 'nothing known: the newest supported');
      assert.equal(
        await republished(client, () =>
          client.connection.sendNotification(DidInferVersionNotification, { version: '0.3.8' }),
        ),
        true,
      );
      assert.equal(await versionOf(client), '0.3.8');
      assert.equal(
        await republished(client, () =>
          client.connection.sendNotification(DidDetectVersionNotification, { version: 'nucleus 0.3.9' }),
        ),
        false,
      );
      assert.equal(await versionOf(client), '0.3.9', 'nucleus --version wins over the state files');
      await client.connection.sendNotification(DidDetectVersionNotification, { version: null });
      assert.equal(await versionOf(client), '0.3.8', 'not detected any more: the state files again');
      await client.connection.sendNotification(DidInferVersionNotification, { version: null });
      assert.equal(await versionOf(client), '0.3.9');
    });
  });

  test('an explicit nucleus.version is never overridden', async () => {
    await withTestServer({ debounceMs: 5, settings: { version: '0.3.9' } }, async (client) => {
      await openAndWait(client, uri, text);
      await client.connection.sendNotification(DidInferVersionNotification, { version: '0.3.8' });
      await client.connection.sendNotification(DidDetectVersionNotification, { version: '0.3.8' });
      assert.equal(await versionOf(client), '0.3.9');
    });
  });
});

describe('settings parser', () => {
  test('wrong or missing values fall back to their defaults', () => {
    assert.deepEqual(parseServerSettings(undefined), DEFAULT_SERVER_SETTINGS);
    assert.deepEqual(
      parseServerSettings({ version: '0.4', codeLens: { enabled: 'no' }, inlayHints: 3 }),
      DEFAULT_SERVER_SETTINGS,
    );
    assert.deepEqual(
      parseServerSettings({ version: '0.3.8', codeLens: { enabled: false }, inlayHints: { enabled: false } }),
      {
        version: '0.3.8',
        codeLens: { enabled: false },
        inlayHints: { enabled: false },
      },
    );
  });
});
