// How the extension starts a topology terminal's wrapper program (terminalWrapperProgram.ts, bundled to
// dist/terminal-wrapper.js) and reads what it reports. Pure: no `vscode` import (unit-tested in Node).

/** The wrapper's bundle, relative to the extension's folder (esbuild.mjs writes it; .vscodeignore ships it). */
export const WRAPPER_BUNDLE = 'dist/terminal-wrapper.js';

/** The wrapper's report line (`<token> <code>`) parsed; undefined when it is not one. */
export function parseWrapperReport(line: string): { token: string; code: number } | undefined {
  const match = /^([0-9a-f]{8,64}) (\d{1,3})\s*$/.exec(line);
  if (!match) return undefined;
  return { token: match[1] as string, code: Number(match[2]) };
}

/**
 * The shell-less terminal launch: `shellPath` is the runtime, `shellArgs` the wrapper's bundle then its arguments
 * (`<socket> <token> <program> <args…>`). The user's data (file names) only ever travels as argv entries.
 * ELECTRON_RUN_AS_NODE must be set for Electron's binary.
 */
export function wrapArgv(
  execPath: string,
  wrapperPath: string,
  socketPath: string,
  token: string,
  argv: readonly string[],
): { shellPath: string; shellArgs: string[] } {
  return { shellPath: execPath, shellArgs: [wrapperPath, socketPath, token, ...argv] };
}
