// The language status item of topology files: whether the nucleus binary was found and its version, with the
// action that helps next (Detect Version, or Set Path…). Showing it never runs anything.
import * as vscode from 'vscode';
import { TOPOLOGY_LANGUAGE_ID } from '@nucleus-topology/protocol';
import { CommandId } from './commands/ids.js';
import type { Ctx } from './ctx.js';
import { nucleusService } from './nucleusService.js';

/** Creates the status item and keeps it current; it lives as long as the extension. */
export function registerNucleusStatusItem(ctx: Ctx): vscode.LanguageStatusItem {
  const item = vscode.languages.createLanguageStatusItem('nucleus.binary', {
    language: TOPOLOGY_LANGUAGE_ID,
  });
  item.name = 'Nucleus binary';
  const service = nucleusService(ctx);
  const update = () => {
    const location = service.locate();
    if (!location.found) {
      item.text = 'nucleus not found';
      item.detail = location.detail;
      item.severity = vscode.LanguageStatusSeverity.Warning;
      item.command =
        location.reason === 'unsupported-platform'
          ? { title: 'Show Output', command: CommandId.showOutput }
          : { title: 'Set Path…', command: CommandId.setPath };
      return;
    }
    const version = service.knownVersion();
    item.severity = vscode.LanguageStatusSeverity.Information;
    item.text = version !== undefined ? `nucleus ${version}` : 'nucleus found (version unknown)';
    item.detail = location.source === 'setting' ? `${location.path} (nucleus.path)` : location.path;
    item.command = {
      title: version !== undefined ? 'Detect Again' : 'Detect Version',
      command: CommandId.detectVersion,
      tooltip: `Runs ${location.path} --version`,
    };
  };
  update();
  ctx.pushExtCleanup(item);
  ctx.pushExtCleanup(service.onDidChange(update));
  return item;
}
