// The client↔server contract, defined once: custom messages and the settings shape.
export * from './settings.js';
