// The table of CLI subcommands; each lives in its own module and is listed here once.

import { checkCommand } from './check.js';
import { inspectCommand } from './inspect.js';
import { applyCommand } from './apply.js';
import { downCommand } from './down.js';
import { planCommand } from './plan.js';
import { restartCommand } from './restart.js';
import { stateCommand } from './state.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a whole file as UTF-8; throws a NodeJS.ErrnoException when unreadable. */
  readFile(path: string): Promise<string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: string;
  /** Asks a yes/no question on the terminal; false when stdin is not interactive. */
  confirm(question: string): Promise<boolean>;
}

export interface CliCommand {
  name: string;
  /** e.g. `check FILE...` */
  usage: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export const commands: CliCommand[] = [
  checkCommand,
  inspectCommand,
  planCommand,
  applyCommand,
  downCommand,
  restartCommand,
  stateCommand,
];
