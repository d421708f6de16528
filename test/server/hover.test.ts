// Hover over LSP: key documentation (type, default, since, what Nucleus does) and service facts (startup
// position, dependents, change hash, the exact `nucleus create` command).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyzeTopology, buildRunArgs, fieldDoc } from '@nucleus-topology/engine';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import type { TestClient } from '../helpers/testConnection.js';
import { serverWith, withTestServer } from '../helpers/servers.js';
import { example, positionOf, rangeOf } from '../helpers/text.js';

describe('hover', () => {
  let client: TestClient;
  const uri = 'file:///ws/shop.topology.toml';
  const text = example('shop.topology.toml');
  before(async () => {
    client = await serverWith(uri, text, { debounceMs: 5, settings: { version: '0.3.9' } });
  });
  after(() => client.dispose());

  async function hoverAt(
    needle: string,
    occurrence = 0,
    shift = 1,
  ): Promise<Hover & { contents: MarkupContent }> {
    const at = positionOf(text, needle, { occurrence });
    const result = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: at.line, character: at.character + shift },
    });
    assert.ok(result, `no hover at ${needle}`);
    return result as Hover & { contents: MarkupContent };
  }

  test('a key: meaning, type, default and since which version', async () => {
    const hover = await hoverAt('health_interval');
    assert.deepEqual(hover.range, rangeOf(text, 'health_interval'));
    assert.equal(hover.contents.kind, 'markdown');
    const doc = fieldDoc(['services', 'postgres'], 'health_interval', '0.3.9')!;
    assert.equal(
      hover.contents.value,
      `**health_interval** · ${doc.type} · default \`30\`\n\n${doc.description}\n\nSince Nucleus ${doc.since}.`,
    );
  });

  test('a 0.3.9 key says so', async () => {
    await withTestServer({ debounceMs: 5, settings: { version: '0.3.8' } }, async (client038) => {
      const doc = 'name = "a"\n[services.a]\negress_domains = []\n';
      await client038.open('file:///ws/a.topology.toml', doc);
      const at = positionOf(doc, 'egress_domains');
      const hover = (await client038.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: 'file:///ws/a.topology.toml' },
        position: at,
      })) as Hover & { contents: MarkupContent };
      assert.match(hover.contents.value, /Since Nucleus 0\.3\.9\./);
      assert.match(hover.contents.value, /Not known to Nucleus 0\.3\.8/);
    });
  });

  test('a service: startup position, what it waits for, dependents, hash and the nucleus create command', async () => {
    const analysis = analyzeTopology(text, { version: '0.3.9' });
    const graph = analysis.graph!;
    // The first service in the startup order that others depend on.
    const service = graph.startupOrder.find((s) => (graph.dependents.get(s) ?? []).length > 0)!;
    const header = `[services.${service}]`;
    const hover = await hoverAt(header, 0, '[services.'.length + 1);
    assert.deepEqual(hover.range, rangeOf(text, header, { part: service }));
    const value = hover.contents.value;
    const position = graph.startupOrder.indexOf(service) + 1;
    assert.match(value, new RegExp(`Starts \\*\\*#${position}\\*\\* of ${graph.services.length}`));
    for (const dependent of new Set(graph.dependents.get(service)))
      assert.match(value, new RegExp(`\`${dependent}\``));
    const hash = analysis.hashes.get(service)!;
    assert.match(value, new RegExp(`Change hash \\(Nucleus 0\\.3\\.9\\): \`${hash}\``));
    const run = buildRunArgs(analysis.topology!, service, { hash, version: '0.3.9' });
    assert.ok('args' in run);
    const commandLine = value.split('```sh\n')[1]?.split('\n```')[0];
    // The exact argv, shell-quoted so that it can be pasted into a terminal.
    const quote = (arg: string): string =>
      /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
    assert.equal(commandLine, run.args.map(quote).join(' '));
    assert.ok(
      commandLine.startsWith(
        `nucleus create --service-mode production --quiet-id --topology-config-hash ${hash} --name shop-${service} `,
      ),
    );
  });

  test('a dependency reference hovers as the service it names', async () => {
    const hover = await hoverAt('service = "', 0, 'service = "'.length + 1);
    assert.match(hover.contents.value, /^\*\*service `/);
  });

  test('a volume: its kind, host path and the services that mount it', async () => {
    const hover = await hoverAt('[volumes.orders-db]', 0, '[volumes.'.length + 1);
    assert.deepEqual(hover.range, rangeOf(text, '[volumes.orders-db]', { part: 'orders-db' }));
    assert.equal(
      hover.contents.value,
      '**volume `orders-db`**\n\nPersistent: host directory `/var/lib/nucleus/shop/postgres`, owner `70:70`.\n\nUsed by `postgres`.',
    );
  });

  test('nothing on a comment', async () => {
    const at = positionOf(text, '#');
    const result = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: at,
    });
    assert.equal(result, null);
  });
});
