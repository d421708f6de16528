// Command ids, kept identical to package.json `contributes.commands` (the e2e smoke test checks they are all registered).
import { ClientCommands } from '@nucleus-topology/protocol';

export const CommandId = {
  restartServer: 'nucleus.restartServer',
  showOutput: 'nucleus.showOutput',
  // The ones the server puts in code lenses come from the protocol, so the two never drift.
  plan: ClientCommands.plan,
  apply: ClientCommands.apply,
  down: ClientCommands.down,
  validate: ClientCommands.validate,
  showState: 'nucleus.showState',
  setPath: 'nucleus.setPath',
  detectVersion: 'nucleus.detectVersion',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
