// Inlay hints over LSP: effective defaults of omitted keys, memory in bytes for unusual suffixes, the setting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyzeTopology } from '@nucleus-topology/engine';
import type { TopologyRuntimeState } from '@nucleus-topology/protocol';
import { InlayHintRequest, type InlayHint, type Range } from 'vscode-languageserver-protocol';
import type { TestClient } from '../helpers/testConnection.js';
import { reportRuntimeState, serverWith, withTestServer } from '../helpers/servers.js';
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

/** A label or tooltip as text (the server sends plain strings). */
const text = (value: InlayHint['label'] | InlayHint['tooltip']): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

describe('inlay hints', () => {
  let client: TestClient;
  const uri = 'file:///ws/hints.topology.toml';
  before(async () => {
    client = await serverWith(uri, TEXT, { debounceMs: 5 });
  });
  after(() => client.dispose());

  const simple = (hints: InlayHint[]) => hints.map((h) => [h.position, h.label]);
  const hintsIn = async (target = uri, range: Range = WHOLE): Promise<InlayHint[]> =>
    (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: target }, range })) ??
    [];
  const running = (hints: InlayHint[]) => hints.filter((h) => text(h.label).startsWith('running: '));

  test('omitted cpus, pids, runtime after the header; health_interval after health_check; memory in bytes', async () => {
    const hints = await hintsIn();
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
    const hints = await hintsIn(uri, {
      start: { line, character: 0 },
      end: { line: line + 4, character: 0 },
    });
    assert.deepEqual(
      hints.map((h) => h.label),
      ['defaults: pids = 512, runtime = "native"', '= 65,536 bytes'],
    );
  });

  test('running values that differ from the file, next to their keys, once the client reports the state', async () => {
    const hashes = analyzeTopology(TEXT).hashes;
    const longCommand = ['web', '--config', '/etc/web/a-rather-long-configuration-file.toml'];
    const state: TopologyRuntimeState = {
      topologyName: 'hints',
      services: [
        // Changed: memory, cpus and command differ.
        {
          service: 'web',
          status: 'running',
          running: true,
          pid: 10,
          configHash: '1',
          memoryLimit: 512 * 1024 * 1024,
          cpuLimit: 500,
          command: longCommand,
        },
        // Changed, cpus omitted in the file (1.0 = 1000 millicores): the hint goes after the header.
        {
          service: 'db',
          status: 'running',
          running: true,
          pid: 11,
          configHash: null,
          memoryLimit: 536870912,
          cpuLimit: 2000,
          command: ['db'],
        },
        // In sync: nothing to say, whatever the state file holds.
        {
          service: 'tiny',
          status: 'running',
          running: true,
          pid: 12,
          configHash: hashes.get('tiny')!,
          memoryLimit: 1,
          cpuLimit: 1,
          command: ['other'],
        },
      ],
    };
    await reportRuntimeState(client, uri, state, 'inlayHint');
    const hints = await hintsIn();
    const shown = running(hints);
    assert.deepEqual(simple(shown), [
      [positionOf(TEXT, '[services.db]', { after: true }), 'running: cpus = 2'],
      [
        positionOf(TEXT, 'command = ["web"]', { after: true }),
        'running: ["web", "--config", "/etc/web/a-rather-…',
      ],
      [positionOf(TEXT, 'memory = "1G"', { after: true }), 'running: 512M'],
      [positionOf(TEXT, 'cpus = 2', { after: true }), 'running: 0.5'],
    ]);
    assert.ok(shown.every((h) => text(h.label).length <= 'running: '.length + 40));
    assert.match(text(shown[1]?.tooltip), /a-rather-long-configuration-file\.toml"\]/);
    assert.match(text(shown[2]?.tooltip), /536,870,912 bytes/);
    // The other hints are unchanged.
    assert.equal(hints.length - shown.length, 5);

    // The state changes (web restarted with the file's config): refreshed, and the hints are gone.
    await reportRuntimeState(client, uri, null, 'inlayHint');
    const after = await hintsIn();
    assert.deepEqual(running(after), []);
  });

  test('no running-value hints while the file has errors (the drift is unknown)', async () => {
    const brokenUri = 'file:///ws/hints-broken.topology.toml';
    const broken = TEXT.replace('pids = 100', 'pids = -1');
    await client.open(brokenUri, broken);
    await reportRuntimeState(
      client,
      brokenUri,
      {
        topologyName: 'hints',
        services: [
          {
            service: 'web',
            status: 'running',
            running: true,
            pid: 10,
            configHash: '1',
            memoryLimit: 1024,
            cpuLimit: 500,
            command: ['x'],
          },
        ],
      },
      'inlayHint',
    );
    const hints = await hintsIn(brokenUri);
    assert.deepEqual(running(hints), []);
  });

  test('nucleus.inlayHints.enabled = false turns them off', async () => {
    await withTestServer({ debounceMs: 5, settings: { inlayHints: { enabled: false } } }, async (off) => {
      await off.open(uri, TEXT);
      assert.deepEqual(
        await off.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: WHOLE }),
        [],
      );
    });
  });
});
