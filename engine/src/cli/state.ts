// `nucleus-topology state FILE [--json]`: the file's services as the state directory shows them (status, pid,
// uptime, drift against the file) and other `<topo>-…` containers; read-only, nucleus is not run.

import {
  argsOrExit,
  commandHelp,
  detectVersion,
  EXIT,
  loadAnalysis,
  makeNucleusCli,
  parseRuntimeArgs,
  usableStateDir,
} from '../runtime/cliCommon.js';
import { readStateDir } from '../runtime/state.js';
import { computeTopologyStatus, formatTopologyStatus } from '../runtime/status.js';
import type { CliCommand } from './commands.js';

const HELP = commandHelp(
  'state FILE [--json] [options]',
  "Show each service's container: status, pid, uptime and drift (in sync / changed / no hash / not running).",
  '  --json                     machine-readable status',
);

export const stateCommand: CliCommand = {
  name: 'state',
  usage: 'state FILE [--json]',
  summary: 'show the running state of the services and their drift',
  async run(args, io) {
    const opts = argsOrExit(io, 'state', HELP, parseRuntimeArgs(args, ['--json']));
    if (typeof opts === 'number') return opts;
    const detected = await detectVersion(opts, makeNucleusCli(opts, io));
    const loaded = await loadAnalysis(io, opts.file, detected.version);
    if (!loaded) return EXIT.usage;
    const dir = usableStateDir(opts, io);
    if (!dir) return EXIT.failure;
    const status = computeTopologyStatus(loaded.analysis, await readStateDir(dir.dir));
    if ('error' in status) {
      io.stderr(`Error: ${loaded.analysis.nucleusError?.message ?? status.error}\n`);
      return EXIT.failure;
    }
    if (opts.json) {
      io.stdout(JSON.stringify({ ...status, version: detected.version }, null, 2) + '\n');
      return EXIT.ok;
    }
    if (detected.note !== undefined) io.stderr(`Note: ${detected.note}\n`);
    io.stdout(formatTopologyStatus(status));
    io.stdout(`\nState directory: ${dir.dir}${dir.exists ? '' : ' (does not exist yet)'}\n`);
    return EXIT.ok;
  },
};
