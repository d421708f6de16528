// Pure argv building for processes the extension starts in a terminal (no `vscode` import: unit-tested in Node).
// File names only ever travel as separate argv entries: nothing here builds a shell string.
import { basename, dirname } from 'node:path';

/** The environment variable that makes Electron's binary (`process.execPath` of desktop VS Code) behave as Node. */
const RUN_AS_NODE_ENV = 'ELECTRON_RUN_AS_NODE';

export interface ProcessArgvInput {
  /** The editor's runtime (`process.execPath`): Electron in desktop VS Code, plain Node in code-server. */
  execPath: string;
  /** The bundled CLI (`dist/cli.js`). */
  cliPath: string;
  /** Arguments after `cli.js`, e.g. `['plan', '/x/shop.topology.toml', '--nucleus', '/usr/bin/nucleus']`. */
  cliArgs: readonly string[];
  /** `nucleus.useSudo`: run through `sudo` so Nucleus runs as root (the password prompt happens in the terminal). */
  useSudo: boolean;
}

/** A program and its arguments, plus the environment entries to add. */
export interface ProcessArgv {
  argv: string[];
  env: Record<string, string>;
}

/**
 * The argv that runs the bundled CLI with the editor's runtime. With sudo, `env` re-adds ELECTRON_RUN_AS_NODE
 * because sudo resets the environment, and `--` keeps sudo from reading our arguments as its options.
 */
export function buildCliArgv(input: ProcessArgvInput): ProcessArgv {
  const node = [input.execPath, input.cliPath, ...input.cliArgs];
  return {
    argv: input.useSudo ? ['sudo', '--', 'env', `${RUN_AS_NODE_ENV}=1`, ...node] : node,
    env: { [RUN_AS_NODE_ENV]: '1' },
  };
}

/** The argv that runs the `nucleus` binary itself (e.g. `attach`), through sudo when asked. */
export function buildNucleusArgv(
  nucleusPath: string,
  args: readonly string[],
  useSudo: boolean,
): ProcessArgv {
  const direct = [nucleusPath, ...args];
  return { argv: useSudo ? ['sudo', '--', ...direct] : direct, env: {} };
}

/**
 * The name a topology file goes by in terminal titles: `shop` for `…/shop.topology.toml`, the folder name for
 * `…/shop/topology.toml` (the file name says nothing there).
 */
export function topologyLabel(fsPath: string): string {
  const file = basename(fsPath);
  const stem = file.replace(/\.?topology\.toml$/i, '').replace(/\.toml$/i, '');
  if (stem !== '') return stem;
  const folder = basename(dirname(fsPath));
  return folder !== '' ? folder : file;
}

/** The terminal name for a topology file: one terminal per file, reused for every command on it. */
export function topologyTerminalName(fsPath: string): string {
  return `Nucleus: ${topologyLabel(fsPath)}`;
}

/** How an argv is shown in the log: JSON strings, so spaces and quotes inside arguments stay visible. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => JSON.stringify(a)).join(' ');
}
