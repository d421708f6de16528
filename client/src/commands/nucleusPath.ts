// `nucleus.setPath` (choose the nucleus binary: a file picker or a typed path, saved to user settings) and
// `nucleus.detectVersion` (run `nucleus --version` on request).
import * as vscode from 'vscode';
import { config } from '../config.js';
import type { Ctx } from '../ctx.js';
import { isExecutableFile } from '../nucleusBinary.js';
import { nucleusService } from '../nucleusService.js';

interface PathChoice extends vscode.QuickPickItem {
  choice: 'browse' | 'type' | 'clear';
}

/**
 * Lets the user pick the binary (file dialog) or type its path, checks it is an executable file (without running
 * it), writes it to the user settings and, in a trusted workspace, detects its version. Returns the new path.
 */
export async function setPathCommand(ctx: Ctx): Promise<string | undefined> {
  const current = config.nucleusPath;
  const items: PathChoice[] = [
    {
      label: '$(folder-opened) Browse…',
      description: 'choose the nucleus binary in a file dialog',
      choice: 'browse',
    },
    { label: '$(edit) Type a Path…', description: 'e.g. /usr/local/bin/nucleus', choice: 'type' },
  ];
  if (current !== undefined) {
    items.push({
      label: '$(clear-all) Clear the Setting',
      description: `use nucleus from PATH instead of ${current}`,
      choice: 'clear',
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Nucleus: Set Path to nucleus',
    placeHolder: current
      ? `nucleus.path is ${current}`
      : 'nucleus.path is not set (nucleus is looked up on PATH)',
  });
  if (!picked) return undefined;
  let path: string | undefined;
  if (picked.choice === 'clear') {
    await config.setNucleusPath(undefined);
    ctx.log.info('nucleus.path cleared (user settings)');
    return undefined;
  }
  if (picked.choice === 'browse') {
    const files = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      openLabel: 'Use This nucleus',
      title: 'The nucleus binary',
      defaultUri: vscode.Uri.file(current ?? '/usr/local/bin'),
    });
    path = files?.[0]?.fsPath;
  } else {
    path = await vscode.window.showInputBox({
      title: 'Path to the nucleus binary',
      value: current ?? '',
      placeHolder: '/usr/local/bin/nucleus',
      validateInput: (value) =>
        value.trim() === '' || isExecutableFile(value.trim())
          ? undefined
          : 'Not an executable file on this machine',
    });
    path = path?.trim();
  }
  if (!path) return undefined;
  if (!isExecutableFile(path)) {
    void vscode.window.showWarningMessage(
      `Nucleus: ${path} is not an executable file; nucleus.path was not changed.`,
    );
    return undefined;
  }
  await config.setNucleusPath(path);
  ctx.log.info(`nucleus.path set to ${path} (user settings)`);
  // Choosing the binary is the user's request to use it: learn its version now, where running things is allowed.
  if (vscode.workspace.isTrusted) await nucleusService(ctx).detectVersion();
  return path;
}

/** Runs `nucleus --version` and says what it found. Returns the version. */
export async function detectVersionCommand(ctx: Ctx): Promise<string | undefined> {
  const version = await nucleusService(ctx).detectVersion();
  if (version !== undefined) {
    const location = nucleusService(ctx).locate();
    void vscode.window.showInformationMessage(
      `Nucleus: nucleus ${version}${location.found ? ` (${location.path})` : ''}.`,
    );
  }
  return version;
}
