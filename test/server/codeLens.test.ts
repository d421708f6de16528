// Code lenses over LSP: the four commands at the top, startup position per service, runtime status once the
// client reported it, and the setting that turns them off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyzeTopology } from '@nucleus-topology/engine';
import { ClientCommands, type TopologyRuntimeState } from '@nucleus-topology/protocol';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol';
import type { TestClient } from '../helpers/testConnection.js';
import { reportRuntimeState, serverWith, withTestServer } from '../helpers/servers.js';
import { rangeOf } from '../helpers/text.js';

const TEXT = `name = "lens"

[services.web]
rootfs = "/nix/store/abc-web"
command = ["web"]
memory = "1G"

[[services.web.depends_on]]
service = "db"
condition = "healthy"

[[services.web.depends_on]]
service = "cache"

[services.db]
rootfs = "/nix/store/abc-db"
command = ["db"]
memory = "1G"
health_check = "pg_isready"

[services.cache]
rootfs = "/nix/store/abc-cache"
command = ["cache"]
memory = "1G"

[services.api]
rootfs = "/nix/store/abc-api"
command = ["api"]
memory = "1G"

[[services.api.depends_on]]
service = "db"
condition = "healthy"
`;

describe('code lenses', () => {
  let client: TestClient;
  const uri = 'file:///ws/lens.topology.toml';
  before(async () => {
    client = await serverWith(uri, TEXT, { debounceMs: 5 });
  });
  after(() => client.dispose());

  const lenses = async (target = uri): Promise<CodeLens[]> =>
    (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: target } })) ?? [];
  const onLine = (all: CodeLens[], header: string): string[] =>
    all
      .filter((l) => l.range.start.line === rangeOf(TEXT, header).start.line)
      .map((l) => l.command?.title ?? '');

  test('apply, plan, down and validate at the top, each with the document URI', async () => {
    const top = (await lenses()).filter((l) => l.range.start.line === 0);
    assert.deepEqual(
      top.map((l) => [l.command?.title, l.command?.command, l.command?.arguments]),
      [
        ['▶ Apply topology', ClientCommands.apply, [uri]],
        ['Plan', ClientCommands.plan, [uri]],
        ['Down', ClientCommands.down, [uri]],
        ['Validate', ClientCommands.validate, [uri]],
      ],
    );
  });

  test('each service: its startup position and what it waits for', async () => {
    // Startup order (dag.rs Kahn): cache, db first (key order), then api, web.
    assert.deepEqual(analyzeTopology(TEXT).graph?.startupOrder, ['cache', 'db', 'api', 'web']);
    const all = await lenses();
    assert.deepEqual(onLine(all, '[services.cache]'), ['#1 · no dependencies']);
    assert.deepEqual(onLine(all, '[services.db]'), ['#2 · no dependencies']);
    assert.deepEqual(onLine(all, '[services.api]'), ['#3 · after db (healthy)']);
    assert.deepEqual(onLine(all, '[services.web]'), ['#4 · after db (healthy), cache']);
    const web = all.find((l) => l.range.start.line === rangeOf(TEXT, '[services.web]').start.line);
    assert.deepEqual(web?.range, rangeOf(TEXT, '[services.web]', { part: 'web' }));
  });

  test('status lenses after the client reports the runtime state, refreshed on change', async () => {
    const hashes = analyzeTopology(TEXT).hashes;
    await reportRuntimeState(
      client,
      uri,
      {
        topologyName: 'lens',
        services: [
          { service: 'db', status: 'running', running: true, pid: 10, configHash: hashes.get('db')! },
          { service: 'cache', status: 'running', running: true, pid: 11, configHash: '12345' },
          { service: 'api', status: 'stopped', running: false, pid: 12, configHash: hashes.get('api')! },
        ],
      },
      'codeLens',
    );
    const all = await lenses();
    assert.deepEqual(onLine(all, '[services.db]'), ['#2 · no dependencies', '● running · in sync']);
    assert.deepEqual(onLine(all, '[services.cache]'), [
      '#1 · no dependencies',
      '● running · changed → restart',
    ]);
    assert.deepEqual(onLine(all, '[services.api]'), ['#3 · after db (healthy)', '○ not running → start']);
    assert.deepEqual(onLine(all, '[services.web]'), [
      '#4 · after db (healthy), cache',
      '○ not running → start',
    ]);

    await reportRuntimeState(client, uri, null, 'codeLens');
    assert.deepEqual(onLine(await lenses(), '[services.db]'), ['#2 · no dependencies']);
  });

  test("the drift is the engine's: no hash, and unknown while the file has errors (as in the Services view)", async () => {
    const hashes = analyzeTopology(TEXT).hashes;
    const broken = TEXT.replace('command = ["db"]', 'command = ["db"]\npids = -1');
    const brokenUri = 'file:///ws/lens-broken.topology.toml';
    await client.open(brokenUri, broken);
    const state: TopologyRuntimeState = {
      topologyName: 'lens',
      services: [
        { service: 'db', status: 'running', running: true, pid: 10, configHash: hashes.get('db')! },
        { service: 'cache', status: 'running', running: true, pid: 11, configHash: null },
      ],
    };
    for (const target of [uri, brokenUri]) await reportRuntimeState(client, target, state, 'codeLens');
    const titles = async (target: string, text: string, header: string) =>
      (await lenses(target))
        .filter((l) => l.range.start.line === rangeOf(text, header).start.line)
        .map((l) => [l.command?.title, l.command?.tooltip]);
    assert.deepEqual(await titles(uri, TEXT, '[services.cache]'), [
      ['#1 · no dependencies', undefined],
      ['● running · no hash → restart', "running without a config hash: 'apply' restarts it"],
    ]);
    const db = await titles(brokenUri, broken, '[services.db]');
    assert.equal(db[1]?.[0], '● running · drift unknown');
    assert.match(db[1]?.[1] ?? '', /the file has 1 error/);
    assert.equal((await titles(brokenUri, broken, '[services.cache]'))[1]?.[0], '● running · drift unknown');
  });

  test('a dependency cycle shows on the services in it', async () => {
    const cycle =
      'name = "c"\n[services.a]\n[[services.a.depends_on]]\nservice = "b"\n[services.b]\n[[services.b.depends_on]]\nservice = "a"\n';
    const cycleUri = 'file:///ws/cycle.topology.toml';
    await client.open(cycleUri, cycle);
    const all = await lenses(cycleUri);
    assert.deepEqual(
      all.filter((l) => l.range.start.line > 0).map((l) => l.command?.title),
      ['⚠ in a dependency cycle: cannot start', '⚠ in a dependency cycle: cannot start'],
    );
  });

  test('nucleus.codeLens.enabled = false turns them off', async () => {
    await withTestServer({ debounceMs: 5, settings: { codeLens: { enabled: false } } }, async (off) => {
      await off.open(uri, TEXT);
      assert.deepEqual(await off.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
    });
  });
});
