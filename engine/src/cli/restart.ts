// `nucleus-topology restart FILE SERVICE [--yes]`: apply for one service (stop it if running, start it with the
// file's configuration, wait as `compose up` waits). Other services are left alone.

import { restartService } from '../runtime/restart.js';
import {
  argsOrExit,
  commandHelp,
  EXIT,
  exitOf,
  loadForUp,
  parseRuntimeArgs,
  type RuntimeArgs,
  runtimeOptions,
  usableStateDir,
  withInterrupt,
} from '../runtime/cliCommon.js';
import { readStateDir, resolveContainer } from '../runtime/state.js';
import type { CliCommand } from './commands.js';

const HELP = commandHelp(
  'restart FILE SERVICE [--yes] [options]',
  "Restart one service of the topology as 'nucleus compose up' restarts a changed one: stop it if it runs, start it with the file's configuration, wait until it runs (and is healthy when a dependent needs it). Other services are left alone.",
  '  --yes, -y                  do not ask before stopping the running container',
);
const ALLOWED = ['--yes'] as const;

export const restartCommand: CliCommand = {
  name: 'restart',
  usage: 'restart FILE SERVICE [--yes]',
  summary: 'restart (or start) one service with the configuration of the file',
  async run(args, io) {
    const parsed = argsOrExit(io, 'restart', HELP, parseWithService(args));
    if (typeof parsed === 'number') return parsed;
    const { opts, service } = parsed;
    const ready = await loadForUp(io, opts, 'restart');
    if (typeof ready === 'number') return ready;
    const { analysis } = ready.loaded;
    const topology = analysis.topology;
    if (topology === null || !topology.services.has(service)) {
      io.stderr(`Error: Configuration error: Service '${service}' not found in topology\n`);
      return EXIT.failure;
    }
    const dir = usableStateDir(opts, io);
    if (!dir) return EXIT.failure;
    const container = `${topology.name}-${service}`;
    const found = resolveContainer((await readStateDir(dir.dir)).containers, container);
    if ('ok' in found && found.ok.running && !opts.yes) {
      const ok = await io.confirm(`Stop and restart ${container} (pid ${found.ok.state.pid})?`);
      if (!ok) {
        io.stderr('Not restarted: not confirmed (pass --yes to skip the question). Nothing was done.\n');
        return EXIT.declined;
      }
    }

    const result = await withInterrupt((signal) =>
      restartService(analysis, service, runtimeOptions(opts, io, ready.cli, dir.dir, signal)),
    );
    if (result.logFile !== undefined) io.stdout(`\nService log: ${result.logFile}\n`);
    return exitOf(io, result.status, result.error);
  },
};

/**
 * `FILE SERVICE [options]`: the shared runtime parser takes one operand, so the SERVICE (the second operand) is
 * taken out first. An operand is a word that is not an option nor the value of the option before it.
 */
function parseWithService(
  args: string[],
): { opts: RuntimeArgs; service: string } | { usage: string } | { help: true } {
  const whole = parseRuntimeArgs(args, ALLOWED);
  if ('help' in whole) return whole;
  // The parser's operand-count messages mention FILE; any other message is an option error: report it as is.
  if ('usage' in whole && !whole.usage.includes('FILE')) return whole;
  const operands: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    if (word.startsWith('-') && word !== '-') {
      if (takesValue(word, args[i + 1])) i++;
      continue;
    }
    operands.push(i);
  }
  if (operands.length === 1) return { usage: 'a SERVICE is required after FILE' };
  if (operands.length !== 2) return { usage: 'exactly one FILE and one SERVICE are required' };
  const at = operands[1] as number;
  const opts = parseRuntimeArgs([...args.slice(0, at), ...args.slice(at + 1)], ALLOWED);
  if ('usage' in opts || 'help' in opts) return opts;
  return { opts, service: args[at] as string };
}

/** Whether the shared parser reads the next word as this option's value (asked of the parser, not listed twice). */
function takesValue(option: string, next: string | undefined): boolean {
  if (option.includes('=') || next === undefined) return false;
  const r = parseRuntimeArgs([option, next, 'FILE'], ALLOWED);
  return 'file' in r && r.file === 'FILE';
}
