// Ids of the client commands the server puts in code lenses and code actions, shared so the two never drift.

/**
 * Commands implemented by the client (contributed in package.json). The server only references them.
 * - apply / plan / down / validate: argument `[uri: string]`, the topology document's URI.
 * - revealService: arguments `[uri: string, service: string]`, shows that service in the topology view.
 */
export const ClientCommands = {
  apply: 'nucleus.apply',
  plan: 'nucleus.plan',
  down: 'nucleus.down',
  validate: 'nucleus.validate',
  revealService: 'nucleus.revealService',
} as const;

export type ClientCommandId = (typeof ClientCommands)[keyof typeof ClientCommands];

/** The language id of topology documents; the server analyses only documents with this id. */
export const TOPOLOGY_LANGUAGE_ID = 'nucleus-topology';
