// The server package's surface: the process entry is main.ts; tests start the same server with startServer.
export { startServer, type StartServerOptions } from './startServer.js';
export type { Analyzer } from './documentStore.js';
