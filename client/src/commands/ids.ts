// Command ids, kept identical to package.json `contributes.commands` (the e2e smoke test checks they are all registered).
export const CommandId = {
  restartServer: 'nucleus.restartServer',
  showOutput: 'nucleus.showOutput',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
