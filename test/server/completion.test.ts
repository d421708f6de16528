// Completion over LSP: keys valid at the cursor (not those already present), enum values, referenced names,
// table headers; also in a document with a syntax error in another section.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompletionRequest,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { startTestServer, type TestClient } from '../helpers/testConnection.js';
import { applyEdits, withCursor } from '../helpers/text.js';

const BASE = `name = "shop"

[networks.backend]
[networks.public]

[volumes.pg-data]
volume_type = "persistent"
path = "/var/lib/shop/pg"

[volumes.scratch]

[services.db]
rootfs = "/nix/store/abc-db"
command = ["postgres"]
memory = "1G"
health_check = "pg_isready"

[services.cache]
rootfs = "/nix/store/abc-cache"
command = ["redis-server"]
memory = "256M"
`;

describe('completion', () => {
  let client: TestClient;
  let n = 0;
  before(async () => {
    client = await startTestServer({ debounceMs: 5 });
  });
  after(() => client.dispose());

  /** Opens `marked` (with a ‸ cursor) as a new document and asks for completions at the cursor. */
  async function complete(
    marked: string,
  ): Promise<{ items: CompletionItem[]; text: string; apply: (label: string) => string }> {
    const { text, position } = withCursor(marked);
    const uri = `file:///ws/completion-${n++}.topology.toml`;
    await client.open(uri, text);
    const result = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    })) as CompletionList;
    const apply = (label: string): string => {
      const item = result.items.find((i) => i.label === label);
      assert.ok(item, `no item ${label} in ${result.items.map((i) => i.label).join(', ')}`);
      return applyEdits(text, [item.textEdit as TextEdit]);
    };
    return { items: result.items, text, apply };
  }
  const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);

  test('keys of a service table, without those already present, with type, default and docs', async () => {
    const { items, apply } = await complete(
      `${BASE}\n[services.web]\nrootfs = "/nix/store/abc-web"\n‸\nmemory = "1G"\n`,
    );
    const keys = labels(items);
    for (const present of ['rootfs', 'memory'])
      assert.ok(!keys.includes(present), `${present} is already there`);
    for (const expected of [
      'command',
      'cpus',
      'pids',
      'depends_on',
      'health_check',
      'nat_backend',
      'egress_domains',
    ]) {
      assert.ok(keys.includes(expected), `${expected} offered`);
    }
    assert.ok(!keys.includes('hooks'));
    const cpus = items.find((i) => i.label === 'cpus')!;
    assert.equal(cpus.detail, 'float or integer = 1.0');
    assert.match((cpus.documentation as { value: string }).value, /default `1\.0`/);
    assert.equal(cpus.insertTextFormat, InsertTextFormat.Snippet);
    assert.match(apply('cpus'), /\nrootfs = "\/nix\/store\/abc-web"\ncpus = \$\{1:1\.0\}\nmemory/);
    assert.match(apply('nat_backend'), /\nnat_backend = "\$\{1\|auto,kernel,userspace\|\}"\n/);
    // The required key still missing sorts first.
    assert.equal(
      [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0]?.label,
      'command',
    );
  });

  test('header snippets at the start of a line, including a dependency of the current service', async () => {
    const { items, apply } = await complete(`${BASE}‸`);
    assert.ok(labels(items).includes('[services.…]'));
    assert.ok(labels(items).includes('[volumes.…]'));
    assert.ok(labels(items).includes('[[services.cache.depends_on]]'));
    assert.match(
      apply('[[services.cache.depends_on]]'),
      /\[\[services\.cache\.depends_on\]\]\nservice = "\$1"\n/,
    );
  });

  test('table headers inside brackets: new tables, environment of existing services, depends_on arrays', async () => {
    const single = await complete(`${BASE}\n[serv‸\n`);
    assert.deepEqual(
      labels(single.items).filter((l) => l.startsWith('services.')),
      ['services.', 'services.db.environment', 'services.cache.environment'],
    );
    assert.match(single.apply('services.db.environment'), /\n\[services\.db\.environment\]\n$/);
    const array = await complete(`${BASE}\n[[‸]]\n`);
    assert.deepEqual(labels(array.items), ['services.db.depends_on', 'services.cache.depends_on']);
    assert.match(array.apply('services.db.depends_on'), /\n\[\[services\.db\.depends_on\]\]\n$/);
    // Bracket auto-closing wrote one `]` only (`[[` + `]`): the missing one is added.
    const halfClosed = await complete(`${BASE}\n[[‸]\n`);
    assert.match(halfClosed.apply('services.db.depends_on'), /\n\[\[services\.db\.depends_on\]\]\n$/);
    // A service with an inline `depends_on = [...]` cannot get a [[…depends_on]] table.
    const inline = await complete(`${BASE}depends_on = [{ service = "db" }]\n\n[[‸]]\n`);
    assert.deepEqual(labels(inline.items), ['services.db.depends_on']);
  });

  test('enum values: condition, volume_type, nat_backend, runtime', async () => {
    const condition = await complete(
      `${BASE}\n[[services.cache.depends_on]]\nservice = "db"\ncondition = "‸"\n`,
    );
    assert.deepEqual(labels(condition.items), ['started', 'healthy']);
    assert.match(condition.apply('healthy'), /condition = "healthy"\n$/);
    const volumeType = await complete(`${BASE}\n[volumes.logs]\nvolume_type = "pers‸"\n`);
    assert.deepEqual(labels(volumeType.items), ['persistent', 'ephemeral']);
    assert.match(volumeType.apply('persistent'), /volume_type = "persistent"\n$/);
    const nat = await complete(`${BASE}nat_backend = ‸\n`);
    assert.deepEqual(labels(nat.items), ['auto', 'kernel', 'userspace']);
    assert.match(nat.apply('kernel'), /nat_backend = "kernel"\n$/);
    const runtime = await complete(`${BASE}runtime = "‸"\n`);
    assert.deepEqual(labels(runtime.items), ['native', 'gvisor']);
  });

  test('depends_on offers the other services, in [[…]] tables and inline tables', async () => {
    const header = await complete(`${BASE}\n[[services.cache.depends_on]]\nservice = "‸"\n`);
    assert.deepEqual(labels(header.items), ['db']);
    assert.match(header.apply('db'), /service = "db"\n$/);
    const inline = await complete(`${BASE}depends_on = [{ service = "‸" }]\n`);
    assert.deepEqual(labels(inline.items), ['db']);
    const keys = await complete(`${BASE}depends_on = [{ ‸ }]\n`);
    assert.deepEqual(labels(keys.items), ['service', 'condition']);
  });

  test('volume names before the colon of a mount, network names not yet listed', async () => {
    const fresh = await complete(`${BASE}volumes = ["‸"]\n`);
    assert.deepEqual(labels(fresh.items), ['pg-data', 'scratch']);
    assert.match(fresh.apply('scratch'), /volumes = \["scratch:"\]\n$/);
    const beforeColon = await complete(`${BASE}volumes = ["pg‸:/data"]\n`);
    assert.match(beforeColon.apply('pg-data'), /volumes = \["pg-data:\/data"\]\n$/);
    const afterColon = await complete(`${BASE}volumes = ["pg-data:/da‸"]\n`);
    assert.deepEqual(afterColon.items, []);
    const multiLine = await complete(
      `${BASE}volumes = [\n  "scratch:/tmp",\n  "pg‸"\n]\nenvironment = { A = "x=1" }\n`,
    );
    assert.deepEqual(labels(multiLine.items), ['pg-data', 'scratch']);
    const networks = await complete(`${BASE}networks = ["backend", "‸"]\n`);
    assert.deepEqual(labels(networks.items), ['public']);
  });

  test('still works with a syntax error in another section', async () => {
    const broken = BASE.replace('[services.db]', '[services.db').replace('memory = "256M"', 'memory = "256M');
    const { items, apply } = await complete(`${broken}\n[[services.web.depends_on]]\nservice = "c‸"\n`);
    assert.ok(labels(items).includes('cache'));
    assert.match(apply('cache'), /service = "cache"\n$/);
    const keys = await complete(`${broken}\n[services.web]\nrootfs = "x"\n‸`);
    assert.ok(labels(keys.items).includes('memory'));
    assert.ok(!labels(keys.items).includes('rootfs'));
  });

  test('nothing inside comments', async () => {
    const { items } = await complete(`${BASE}# a comment ‸\n`);
    assert.deepEqual(items, []);
  });
});
