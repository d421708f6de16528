// Diagnostics over LSP: the headline problems at their exact ranges with related information and tags, syntax
// errors, publication order across incremental edits, clearing on close, and the version setting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-protocol';
import { startTestServer, type TestClient } from '../helpers/testConnection.js';
import { openAndWait, withTestServer } from '../helpers/servers.js';
import { example, positionOf, rangeOf } from '../helpers/text.js';

const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const byCode = (diagnostics: Diagnostic[], code: string): Diagnostic[] =>
  diagnostics.filter((d) => d.code === code);

describe('diagnostics', () => {
  let client: TestClient;
  before(async () => {
    client = await startTestServer({ debounceMs: 20 });
  });
  after(() => client.dispose());

  test('the four headline problems of examples/mistakes.topology.toml, at their exact ranges', async () => {
    const uri = 'file:///ws/mistakes.topology.toml';
    const text = example('mistakes.topology.toml');
    const { diagnostics } = await openAndWait(client, uri, text);
    for (const d of diagnostics) assert.equal(d.source, 'nucleus');

    const [unknownVolume] = byCode(diagnostics, 'unknown-volume');
    assert.ok(unknownVolume);
    assert.deepEqual(unknownVolume.range, rangeOf(text, '"uploads:/srv/uploads"'));
    assert.equal(unknownVolume.severity, DiagnosticSeverity.Error);
    assert.match(messageOf(unknownVolume), /Volume `uploads` is not declared/);
    assert.match(messageOf(unknownVolume), /Service 'api' references unknown volume 'uploads'/);

    const cycle = byCode(diagnostics, 'dependency-cycle');
    assert.equal(cycle.length, 2);
    assert.deepEqual(
      cycle.map((d) => d.range),
      [
        rangeOf(text, 'service = "worker"', { part: '"worker"' }),
        rangeOf(text, 'service = "api"', { part: '"api"' }),
      ],
    );
    assert.deepEqual(cycle[0]!.relatedInformation?.[0]?.location, {
      uri,
      range: rangeOf(text, 'service = "api"', { part: '"api"' }),
    });
    assert.match(messageOf(cycle[0]!), /Circular dependency detected among services: \["api", "worker"\]/);

    const [unsafe] = byCode(diagnostics, 'unsafe-health-check-waited');
    assert.ok(unsafe);
    assert.deepEqual(unsafe.range, rangeOf(text, 'pg_isready -U app && test', { part: '&' }));
    assert.equal(unsafe.severity, DiagnosticSeverity.Error);
    assert.equal(unsafe.relatedInformation?.[0]?.message, '`api` waits for `db` to be healthy');
    assert.deepEqual(
      unsafe.relatedInformation?.[0]?.location.range,
      rangeOf(text, 'service = "db"\ncondition = "healthy"', { part: '"healthy"' }),
    );

    const [healthy] = byCode(diagnostics, 'healthy-without-health-check');
    assert.ok(healthy);
    assert.deepEqual(
      healthy.range,
      rangeOf(text, 'service = "cache"\ncondition = "healthy"', { part: '"healthy"' }),
    );
    assert.equal(healthy.relatedInformation?.[0]?.message, '`cache` is defined here without health_check');
    assert.deepEqual(healthy.relatedInformation?.[0]?.location.range, rangeOf(text, '[services.cache]'));
  });

  test('keys Nucleus ignores are tagged Unnecessary; the quick-fix data travels with the diagnostic', async () => {
    const uri = 'file:///ws/ignored.topology.toml';
    const text = [
      'name = "t"',
      '[volumes.data]',
      'type = "persistent"',
      '[services.web]',
      'rootfs = "/nix/store/abc-web"',
      'command = ["/bin/web"]',
      'memory = "512M"',
      'volumes = ["data:/data"]',
      '',
    ].join('\n');
    const { diagnostics } = await openAndWait(client, uri, text);
    const [ignored] = byCode(diagnostics, 'ignored-key');
    assert.ok(ignored);
    assert.deepEqual(ignored.range, rangeOf(text, 'type = ', { part: 'type' }));
    assert.deepEqual(ignored.tags, [DiagnosticTag.Unnecessary]);
    assert.equal(ignored.severity, DiagnosticSeverity.Warning);
    assert.deepEqual((ignored.data as { suggestions?: string[] }).suggestions, ['volume_type']);
  });

  test('a TOML syntax error is reported where it is, in the TOML reader’s words', async () => {
    const uri = 'file:///ws/syntax-error.topology.toml';
    const text = example('syntax-error.topology.toml');
    const { diagnostics } = await openAndWait(client, uri, text);
    const syntax = diagnostics.find((d) => d.code === 'toml-syntax');
    assert.ok(syntax, JSON.stringify(diagnostics));
    const at = positionOf(text, '[services.web', { after: true });
    assert.deepEqual(syntax.range, { start: at, end: at });
    assert.equal(messageOf(syntax), 'unclosed table, expected `]`');
    assert.equal(syntax.source, 'nucleus');
    assert.equal(syntax.severity, DiagnosticSeverity.Error);
  });

  test('incremental edits in quick succession: the last version is published, never an older one after it', async () => {
    const uri = 'file:///ws/edits.topology.toml';
    const text =
      'name = "edits"\n\n[services.web]\nrootfs = "/nix/store/abc-web"\ncommand = ["/bin/web"]\nmemory = "1G"\n';
    await openAndWait(client, uri, text);
    const from = client.diagnostics.received.length;
    // Type `networks = ["front"]` one character at a time at the end of the file.
    const typed = 'networks = ["front"]\n';
    let offsetText = text;
    let version = 1;
    for (const char of typed) {
      const position = positionOf(offsetText, offsetText, { after: true });
      version = await client.change(uri, [{ range: { start: position, end: position }, text: char }]);
      offsetText += char;
    }
    const final = await client.diagnosticsFor(uri, version);
    const [unknown] = byCode(final.diagnostics, 'unknown-network');
    assert.ok(unknown, 'the final text references an undefined network');
    assert.deepEqual(unknown.range, rangeOf(offsetText, '"front"'));
    const versions = client.diagnostics.received
      .slice(from)
      .filter((p) => p.uri === uri)
      .map((p) => p.version ?? -1);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
      'published versions only increase',
    );
    assert.ok(
      versions.length < typed.length,
      `debounced: ${versions.length} publications for ${typed.length} edits`,
    );
    assert.equal(versions.at(-1), version);
  });

  test('cleared when the document closes, and when it stops being a topology', async () => {
    const uri = 'file:///ws/closing.topology.toml';
    const opened = await openAndWait(client, uri, 'name = ""\n');
    assert.ok(opened.diagnostics.length > 0);
    let from = client.diagnostics.received.length;
    await client.close(uri);
    const cleared = await client.diagnostics.wait((p) => p.uri === uri, from);
    assert.deepEqual(cleared.diagnostics, []);

    // Changing the language mode arrives as close + open with another language id: the close cleared them,
    // and the document, now plain TOML, gets nothing more (checked once a later document was published).
    from = client.diagnostics.received.length;
    await openAndWait(client, uri, 'name = ""\n', from);
    from = client.diagnostics.received.length;
    await client.close(uri);
    await client.open(uri, 'name = ""\n', 'toml');
    const later = 'file:///ws/later.topology.toml';
    await openAndWait(client, later, 'name = "x"\n');
    assert.deepEqual(
      client.diagnostics.received.slice(from).filter((p) => p.uri === uri),
      [{ uri, diagnostics: [] }],
    );
  });

  test('documents of other languages get no diagnostics', async () => {
    const plain = 'file:///ws/settings.toml';
    const topology = 'file:///ws/after-plain.topology.toml';
    const from = client.diagnostics.received.length;
    await client.open(plain, 'not = [valid', 'toml');
    await openAndWait(client, topology, 'name = "x"\n');
    assert.equal(client.diagnostics.received.slice(from).filter((p) => p.uri === plain).length, 0);
  });
});

describe('diagnostics follow the Nucleus version setting', () => {
  const text = [
    'name = "agents"',
    '[networks.egress]',
    '[services.agent]',
    'rootfs = "/nix/store/abc-agent"',
    'command = ["/bin/agent"]',
    'memory = "1G"',
    'networks = ["egress"]',
    'dns = ["10.0.42.1"]',
    'egress_domains = ["api.example.com"]',
    '',
  ].join('\n');
  const uri = 'file:///ws/agents.topology.toml';

  test('0.3.9 keys are errors under 0.3.8; auto follows the detected version; a change re-publishes', async () => {
    await withTestServer(
      {
        debounceMs: 5,
        settings: { version: 'auto' },
        initializationOptions: { detectedVersion: '0.3.8' },
      },
      async (client) => {
        const first = await openAndWait(client, uri, text);
        const [newKey] = byCode(first.diagnostics, 'newer-version-key');
        assert.ok(newKey, 'egress_domains is unknown to the detected 0.3.8');
        assert.deepEqual(newKey.range, rangeOf(text, 'egress_domains'));

        const from = client.diagnostics.received.length;
        await client.changeSettings({ version: '0.3.9' });
        const republished = await client.diagnostics.wait((p) => p.uri === uri, from);
        assert.deepEqual(byCode(republished.diagnostics, 'newer-version-key'), []);
      },
    );
  });
});
