// The shipped server process: bundle with the project's esbuild script, spawn dist/server.js over stdio like
// an editor would, and get a real diagnostic back.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { CLIENT_CAPABILITIES, TOPOLOGY_LANGUAGE } from '../helpers/testConnection.js';
import { example, positionOf } from '../helpers/text.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the bundled server process (dist/server.js)', () => {
  let child: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  before(() => {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
    child = spawn(process.execPath, ['dist/server.js', '--stdio'], { cwd: ROOT });
    connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    connection.listen();
  });
  after(() => {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  });

  test('answers initialize, publishes a syntax error at its position, and exits cleanly', async () => {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: CLIENT_CAPABILITIES,
    });
    assert.equal(result.serverInfo?.name, 'nucleus-topology');
    await connection.sendNotification(InitializedNotification.type, {});

    const uri = 'file:///ws/syntax-error.topology.toml';
    const text = example('syntax-error.topology.toml');
    const published = new Promise<PublishDiagnosticsParams>((resolve) => {
      connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
        if (params.uri === uri) resolve(params);
      });
    });
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: TOPOLOGY_LANGUAGE, version: 1, text },
    });
    const { diagnostics, version } = await published;
    assert.equal(version, 1);
    const syntax = diagnostics.find((d) => d.code === 'toml-syntax');
    const at = positionOf(text, '[services.web', { after: true });
    assert.deepEqual(syntax?.range, { start: at, end: at });
    assert.equal(syntax?.message, 'unclosed table, expected `]`');

    await connection.sendRequest(ShutdownRequest.type);
    const exited = once(child, 'exit');
    await connection.sendNotification(ExitNotification.type);
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
  });
});
