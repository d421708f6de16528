// Every LSP feature of the real server on real files mangled as typing does (test/helpers/mangle.ts), at random
// positions: each request gets an answer (never an error), the server logs no failure, and the diagnostics of
// each version arrive with ranges inside the document.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentHighlightRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  MessageType,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol';
import { mangledText } from '../helpers/mangle.js';
import { openAndWait } from '../helpers/servers.js';
import { startTestServer, type TestClient } from '../helpers/testConnection.js';
import { positionAt } from '../helpers/text.js';

/** More runs locally with FC_RUNS=2000. */
const RUNS = Math.max(20, Math.floor(Number(process.env.FC_RUNS ?? 300) / 5));

function inside(range: Range, lines: string[]): boolean {
  const ok = (p: Position) =>
    p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  return ok(range.start) && ok(range.end);
}

describe('the server on mangled real files', () => {
  let client: TestClient;
  before(async () => {
    client = await startTestServer({ debounceMs: 0 });
  });
  after(() => client.dispose());

  it('answers every feature at any position without an error, and logs no failure', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        mangledText,
        fc.array(fc.nat({ max: 4000 }), { minLength: 1, maxLength: 3 }),
        async (text, offsets) => {
          const uri = `file:///ws/fuzz-${++n}.topology.toml`;
          const logsFrom = client.logs.received.length;
          const diagnostics = await openAndWait(client, uri, text);
          // Lines as LSP counts them (\n, \r\n and a lone \r end a line).
          const lines = text.split(/\r\n|\r|\n/);
          for (const d of diagnostics.diagnostics) assert.ok(inside(d.range, lines), JSON.stringify(d.range));
          const textDocument = { uri };
          const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
          const send = client.connection.sendRequest.bind(client.connection);
          await Promise.all([
            send(DocumentSymbolRequest.type, { textDocument }),
            send(FoldingRangeRequest.type, { textDocument }),
            send(CodeLensRequest.type, { textDocument }),
            send(InlayHintRequest.type, { textDocument, range: whole }),
            send(CodeActionRequest.type, {
              textDocument,
              range: whole,
              context: { diagnostics: diagnostics.diagnostics },
            }),
          ]);
          for (const offset of offsets) {
            const position = positionAt(text, Math.min(offset, text.length));
            await Promise.all([
              send(HoverRequest.type, { textDocument, position }),
              send(CompletionRequest.type, { textDocument, position }),
              send(DefinitionRequest.type, { textDocument, position }),
              send(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } }),
              send(DocumentHighlightRequest.type, { textDocument, position }),
              send(PrepareRenameRequest.type, { textDocument, position }),
              // A refused rename answers a ResponseError on purpose ("not a service name…"): that is an answer.
              send(RenameRequest.type, { textDocument, position, newName: 'renamed' }).catch(() => null),
            ]);
          }
          await client.close(uri);
          const failures = client.logs.received
            .slice(logsFrom)
            .filter((m) => m.type === MessageType.Error)
            .map((m) => m.message);
          assert.deepEqual(failures, []);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
