// `nucleus-topology state FILE [--json]`: the file's services as the state directory shows them (status, pid,
// uptime, drift against the file) and other `<topo>-…` containers; read-only, nucleus is not run.

import { argsOrExit, commandHelp, EXIT, loadWithState, parseRuntimeArgs } from '../runtime/cliCommon.js';
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
    const ready = await loadWithState(io, opts);
    if (typeof ready === 'number') return ready;
    const { loaded, dir } = ready;
    const status = computeTopologyStatus(loaded.analysis, ready.snapshot);
    if ('error' in status) {
      io.stderr(`Error: ${loaded.analysis.nucleusError?.message ?? status.error}\n`);
      return EXIT.failure;
    }
    if (opts.json) {
      io.stdout(JSON.stringify({ ...status, version: ready.version }, null, 2) + '\n');
      return EXIT.ok;
    }
    if (ready.note !== undefined) io.stderr(`Note: ${ready.note}\n`);
    io.stdout(formatTopologyStatus(status));
    io.stdout(`\nState directory: ${dir.dir}${dir.exists ? '' : ' (does not exist yet)'}\n`);
    return EXIT.ok;
  },
};
