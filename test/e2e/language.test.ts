// Language features in the real VS Code, through the real client and server: the four headline problems of
// examples/mistakes.topology.toml at their exact ranges, the top code lens, completion inside depends_on and
// rename of a service. Asserts what VS Code itself returns (its provider commands), as a user would see it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, extension, formatDiagnostic, positionOf, waitForDiagnostics } from './helpers.js';

const CODES = [
  'unknown-volume',
  'dependency-cycle',
  'unsafe-health-check-waited',
  'healthy-without-health-check',
];

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** The range of `needle` (or of `part` inside it) in the document. */
function rangeOf(document: vscode.TextDocument, needle: string, part = needle, nth = 0): vscode.Range {
  const start = positionOf(document, needle, { nth });
  const offset = document.offsetAt(start) + needle.indexOf(part);
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + part.length));
}

function same(actual: vscode.Range | undefined, expected: vscode.Range, what: string): void {
  assert.ok(actual, `${what}: missing`);
  assert.ok(
    actual.isEqual(expected),
    `${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
  );
}

suite('language features', () => {
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    const uri = vscode.Uri.joinPath(
      vscode.Uri.file(extension().extensionPath),
      'examples',
      'mistakes.topology.toml',
    );
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
  });
  suiteTeardown(closeAllEditors);

  test('the four headline problems appear at their exact ranges', async () => {
    const diagnostics = await waitForDiagnostics(document.uri, (all) =>
      CODES.every((code) => all.some((d) => codeOf(d) === code)),
    );
    const find = (code: string, nth = 0) => diagnostics.filter((d) => codeOf(d) === code)[nth];
    same(find('unknown-volume')?.range, rangeOf(document, '"uploads:/srv/uploads"'), 'unknown volume');
    same(
      find('dependency-cycle')?.range,
      rangeOf(document, 'service = "worker"', '"worker"'),
      `cycle (${diagnostics.map(formatDiagnostic).join(' | ')})`,
    );
    same(
      find('dependency-cycle', 1)?.range,
      rangeOf(document, 'service = "api"', '"api"'),
      'cycle, other end',
    );
    same(
      find('unsafe-health-check-waited')?.range,
      rangeOf(document, 'app && test', '&'),
      'unsafe health check',
    );
    same(
      find('healthy-without-health-check')?.range,
      rangeOf(document, 'service = "cache"\ncondition = "healthy"', '"healthy"'),
      'healthy dependency without health_check',
    );
    for (const code of CODES) assert.equal(find(code)?.severity, vscode.DiagnosticSeverity.Error, code);
    assert.equal(
      find('healthy-without-health-check')?.relatedInformation?.[0]?.message,
      '`cache` is defined here without health_check',
    );
  });

  test('the top code lens reads "▶ Apply topology"', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const top = lenses.filter((l) => l.range.start.line === 0).map((l) => l.command?.title);
    assert.deepEqual(top, ['▶ Apply topology', 'Plan', 'Down', 'Validate']);
    const apply = lenses.find((l) => l.command?.title === '▶ Apply topology');
    assert.equal(apply?.command?.command, 'nucleus.apply');
    assert.deepEqual(apply?.command?.arguments, [document.uri.toString()]);
  });

  test('completion inside depends_on offers the other services', async () => {
    // Inside the quotes of `service = "db"` in [[services.api.depends_on]].
    const position = positionOf(document, 'service = "db"', { after: true }).translate(0, -1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      position,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const service of ['db', 'cache', 'worker'])
      assert.ok(labels.includes(service), `${service} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('api'), 'a service cannot depend on itself');
  });

  test('rename of a service updates its header and its dependents', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      document.uri,
      positionOf(document, '[services.worker]', { after: true }).translate(0, -2),
      'jobs',
    );
    const edits = edit.get(document.uri);
    const changed = edits.map((e) => [document.getText(e.range), e.newText]);
    assert.deepEqual(changed, [
      ['worker', 'jobs'],
      ['worker', 'jobs'],
      ['worker', 'jobs'],
    ]);
    const ranges = edits.map((e) => e.range).sort((a, b) => a.start.compareTo(b.start));
    same(ranges[0], rangeOf(document, 'service = "worker"', 'worker'), 'depends_on of api');
    same(ranges[1], rangeOf(document, '[services.worker]', 'worker'), 'the header');
    same(
      ranges[2],
      rangeOf(document, '[[services.worker.depends_on]]', 'worker'),
      'its own depends_on header',
    );
  });
});
