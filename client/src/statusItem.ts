// The language status item of topology files: the Nucleus version whose rules apply to the active file and where
// it came from (nucleus.version, `nucleus --version`, the state files, or the newest supported), whether the
// nucleus binary was found, with the action that helps next (Detect Version, or Set Path…). Showing it never runs
// anything.
import * as vscode from 'vscode';
import { SETTINGS_SECTION, TOPOLOGY_LANGUAGE_ID } from '@nucleus-topology/protocol';
import { describeRuleVersion } from './commands/decisions.js';
import { CommandId } from './commands/ids.js';
import type { Ctx } from './ctx.js';
import { nucleusService } from './nucleusService.js';

/** The file whose settings decide: the active topology editor's, else the first workspace folder. */
function scope(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === TOPOLOGY_LANGUAGE_ID) return document.uri;
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** Creates the status item and keeps it current; it lives as long as the extension. */
export function registerNucleusStatusItem(ctx: Ctx): vscode.LanguageStatusItem {
  const item = vscode.languages.createLanguageStatusItem('nucleus.binary', {
    language: TOPOLOGY_LANGUAGE_ID,
  });
  item.name = 'Nucleus version';
  const service = nucleusService(ctx);
  const update = () => {
    const rule = service.ruleVersion(scope());
    const { text, source } = describeRuleVersion(rule);
    item.text = text;
    const location = service.locate();
    if (!location.found) {
      item.detail = `${source} · nucleus not found: ${location.detail}`;
      item.severity = vscode.LanguageStatusSeverity.Warning;
      item.command =
        location.reason === 'unsupported-platform'
          ? { title: 'Show Output', command: CommandId.showOutput }
          : { title: 'Set Path…', command: CommandId.setPath };
      return;
    }
    const known = service.knownVersion();
    const binary = location.source === 'setting' ? `${location.path} (nucleus.path)` : location.path;
    item.severity = vscode.LanguageStatusSeverity.Information;
    item.detail = `${source} · ${binary}${known !== undefined ? ` is nucleus ${known}` : ''}`;
    item.command = {
      title: known !== undefined ? 'Detect Again' : 'Detect Version',
      command: CommandId.detectVersion,
      tooltip: `Runs ${location.path} --version`,
    };
  };
  update();
  ctx.pushExtCleanup(item);
  ctx.pushExtCleanup(service.onDidChange(update));
  ctx.pushExtCleanup(vscode.window.onDidChangeActiveTextEditor(update));
  ctx.pushExtCleanup(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.version`)) update();
    }),
  );
  return item;
}
