// Opens a service's log file in an editor that follows it: VS Code reloads a file changed on disk (the document has
// no unsaved edits), and while the cursor sits on the last line the editor moves to the new end, like `tail -f`.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.js';

/** Followed log documents (URI strings) → the line count last seen. */
const followed = new Map<string, number>();
let listening = false;

function revealEnd(editor: vscode.TextEditor): void {
  const end = editor.document.lineAt(Math.max(0, editor.document.lineCount - 1)).range.end;
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
}

function listen(ctx: Ctx): void {
  if (listening) return;
  listening = true;
  ctx.pushExtCleanup(
    vscode.workspace.onDidChangeTextDocument((event) => {
      const key = event.document.uri.toString();
      const before = followed.get(key);
      if (before === undefined || event.contentChanges.length === 0) return;
      followed.set(key, event.document.lineCount);
      for (const editor of vscode.window.visibleTextEditors) {
        if (editor.document !== event.document) continue;
        // Follow only an editor whose cursor was on the (old) last line: a reader who scrolled up stays put.
        if (editor.selection.active.line >= before - 1) revealEnd(editor);
      }
    }),
  );
  ctx.pushExtCleanup(
    vscode.workspace.onDidCloseTextDocument((document) => followed.delete(document.uri.toString())),
  );
  ctx.pushExtCleanup({
    dispose: () => {
      followed.clear();
      listening = false;
    },
  });
}

/** Opens `file` (a pinned editor, cursor at the end) and follows it while it grows. */
export async function openFollowingLog(ctx: Ctx, file: string): Promise<vscode.TextEditor> {
  listen(ctx);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  followed.set(document.uri.toString(), document.lineCount);
  revealEnd(editor);
  return editor;
}
