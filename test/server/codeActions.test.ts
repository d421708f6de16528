// Quick fixes over LSP: each kind, asserting the text after applying the edit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionKind,
  CodeActionRequest,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { startTestServer, type TestClient } from '../helpers/testConnection.js';
import { openAndWait, withTestServer } from '../helpers/servers.js';
import { applyEdits, editsFor, example } from '../helpers/text.js';

describe('quick fixes', () => {
  let client: TestClient;
  let n = 0;
  before(async () => {
    client = await startTestServer({ debounceMs: 5 });
  });
  after(() => client.dispose());

  /** Opens `text`, takes the diagnostic with `code` (the `occurrence`-th), and returns its quick fixes. */
  async function fixes(
    text: string,
    code: string,
    occurrence = 0,
  ): Promise<{ actions: CodeAction[]; apply: (title: string) => string; diagnostic: Diagnostic }> {
    const uri = `file:///ws/fix-${n++}.topology.toml`;
    const { diagnostics } = await openAndWait(client, uri, text);
    const diagnostic = diagnostics.filter((d) => d.code === code)[occurrence];
    assert.ok(diagnostic, `no ${code} in ${diagnostics.map((d) => d.code).join(', ')}`);
    const actions = ((await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] },
    })) ?? []) as CodeAction[];
    for (const action of actions) {
      assert.equal(action.kind, CodeActionKind.QuickFix);
      assert.deepEqual(action.diagnostics, [diagnostic]);
    }
    const apply = (title: string): string => {
      const action = actions.find((a) => a.title === title);
      assert.ok(action, `no "${title}" in ${JSON.stringify(actions.map((a) => a.title))}`);
      return applyEdits(text, editsFor(action.edit, uri));
    };
    return { actions, apply, diagnostic };
  }

  const mistakes = example('mistakes.topology.toml');

  test('define a missing volume, after the other volumes', async () => {
    const { apply } = await fixes(mistakes, 'unknown-volume');
    assert.equal(
      apply("Define volume 'uploads'"),
      mistakes.replace(
        'path = "/var/lib/nucleus/shop-staging/pg"\n',
        'path = "/var/lib/nucleus/shop-staging/pg"\n\n[volumes.uploads]\nvolume_type = "ephemeral"\n',
      ),
    );
  });

  const base = (extra: string): string =>
    `name = "t"\n\n[networks.backend]\n\n[volumes.pg-data]\n\n[services.db]\nrootfs = "/nix/store/abc-db"\ncommand = ["db"]\nmemory = "1G"\n${extra}`;

  test('did-you-mean for a volume mount keeps the destination; define a missing network', async () => {
    const volume = await fixes(base('volumes = ["pg-dta:/var/lib/db"]\n'), 'unknown-volume');
    assert.equal(volume.actions[0]?.isPreferred, true);
    assert.equal(volume.apply("Change to 'pg-data'"), base('volumes = ["pg-data:/var/lib/db"]\n'));

    const network = await fixes(base('networks = ["frontend"]\ndns = ["10.0.42.1"]\n'), 'unknown-network');
    assert.equal(
      network.apply("Define network 'frontend'"),
      base('networks = ["frontend"]\ndns = ["10.0.42.1"]\n').replace(
        '[networks.backend]\n',
        '[networks.backend]\n\n[networks.frontend]\n',
      ),
    );
    const typo = await fixes(base('networks = ["backnd"]\ndns = ["10.0.42.1"]\n'), 'unknown-network');
    assert.equal(typo.apply("Change to 'backend'"), base('networks = ["backend"]\ndns = ["10.0.42.1"]\n'));
  });

  test('healthy dependency without health_check: add one, or wait for started', async () => {
    const { apply } = await fixes(mistakes, 'healthy-without-health-check');
    assert.equal(
      apply("Add a health_check to 'cache'"),
      mistakes.replace(
        'dns = ["10.0.42.1"]\n\n[services.api]',
        'dns = ["10.0.42.1"]\nhealth_check = "true"  # replace with a command that succeeds once cache is ready\n\n[services.api]',
      ),
    );
    assert.equal(
      apply('Change the condition to "started"'),
      mistakes.replace(
        'service = "cache"\ncondition = "healthy"',
        'service = "cache"\ncondition = "started"',
      ),
    );
  });

  test('did-you-mean for an unknown service key and an unknown dependency', async () => {
    const key = await fixes(mistakes, 'unknown-service-key');
    assert.equal(key.apply("Change to 'memory'"), mistakes.replace('memroy = "256M"', 'memory = "256M"'));
    const dependency = await fixes(
      base('\n[[services.db.depends_on]]\nservice = "dbb"\n\n[services.dbb2]\n'),
      'unknown-dependency',
    );
    assert.ok(dependency.actions.length > 0);
    const title = dependency.actions[0]!.title;
    const suggestion = /'(.*)'/.exec(title)![1]!;
    assert.match(dependency.apply(title), new RegExp(`service = "${suggestion}"`));
  });

  test('remove the unsafe characters of a health check', async () => {
    const { apply } = await fixes(mistakes, 'unsafe-health-check-waited');
    assert.equal(
      apply('Remove the unsafe characters: "pg_isready -U app test -f /var/lib/postgresql/data/PG_VERSION"'),
      mistakes.replace(
        'health_check = "pg_isready -U app && test -f /var/lib/postgresql/data/PG_VERSION"',
        'health_check = "pg_isready -U app test -f /var/lib/postgresql/data/PG_VERSION"',
      ),
    );
  });

  test('hooks: explained and removed, as a key or as tables', async () => {
    const title =
      'Remove hooks (Nucleus rejects them in topologies since 0.3.5; use `nucleus create --hooks`)';
    const inline = await fixes(base('hooks = { poststart = [] }\npids = 64\n'), 'removed-hooks');
    assert.equal(inline.apply(title), base('pids = 64\n'));
    const tables = base(
      'pids = 64\n\n[services.db.hooks]\n\n[[services.db.hooks.poststart]]\npath = "/bin/notify"\n\n[services.web]\n',
    );
    const section = await fixes(tables, 'removed-hooks');
    assert.equal(section.apply(title), base('pids = 64\n\n[services.web]\n'));
  });

  test('a key Nucleus ignores: did-you-mean, or remove it', async () => {
    const text = 'name = "t"\n[volumes.data]\ntype = "persistent"  # Docker style\n[services.a]\n';
    const { apply } = await fixes(text, 'ignored-key');
    assert.equal(apply("Change to 'volume_type'"), text.replace('type = ', 'volume_type = '));
    assert.equal(
      apply("Remove 'type' (Nucleus ignores it)"),
      text.replace('type = "persistent"  # Docker style\n', ''),
    );
  });

  test('a key of a newer Nucleus can be removed', async () => {
    await withTestServer({ debounceMs: 5, settings: { version: '0.3.8' } }, async (server038) => {
      const uri = 'file:///ws/newer.topology.toml';
      const text = base('egress_domains = ["example.com"]\n');
      const { diagnostics } = await openAndWait(server038, uri, text);
      const diagnostic = diagnostics.find((d) => d.code === 'newer-version-key')!;
      const actions = (await server038.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      })) as CodeAction[];
      assert.deepEqual(
        actions.map((a) => a.title),
        ["Remove 'egress_domains' (not known to Nucleus 0.3.8)"],
      );
      assert.equal(applyEdits(text, editsFor(actions[0]!.edit, uri)), base(''));
    });
  });
});
