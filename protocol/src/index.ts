// The client↔server contract, defined once: custom messages, command ids and the settings shape.
export * from './settings.js';
export * from './messages.js';
export * from './commands.js';
