// The engine's public surface: the client, the server, the CLI and the tests import only this.
export * from './model.js';
export type * from './toml/ast.js';
