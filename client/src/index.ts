// The client's Node-testable surface: pure helpers with no `vscode` import (unit tests import only this).
export * from './commands/decisions.js';
export * from './terminalArgv.js';
export * from './terminalWrapper.js';
export * from './nucleusBinary.js';
export * from './state/serverState.js';
export * from './views/serviceText.js';
