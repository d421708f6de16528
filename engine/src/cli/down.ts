// `nucleus-topology down FILE [--yes]`: `nucleus compose down` (stop the file's running services in shutdown order).

import { downTopology } from '../runtime/apply.js';
import {
  argsOrExit,
  commandHelp,
  EXIT,
  exitOf,
  loadAnalysis,
  parseRuntimeArgs,
  requireNucleus,
  runtimeOptions,
  usableStateDir,
  withInterrupt,
} from '../runtime/cliCommon.js';
import { readStateDir, resolveContainer } from '../runtime/state.js';
import type { CliCommand } from './commands.js';

const HELP = commandHelp(
  'down FILE [--yes] [options]',
  "Stop the topology's running services in shutdown order, like 'nucleus compose down'. Containers of services no longer in the file are left running.",
  '  --yes, -y                  do not ask before stopping',
);

export const downCommand: CliCommand = {
  name: 'down',
  usage: 'down FILE [--yes]',
  summary: 'stop the running services of the file (nucleus compose down)',
  async run(args, io) {
    const opts = argsOrExit(io, 'down', HELP, parseRuntimeArgs(args, ['--yes']));
    if (typeof opts === 'number') return opts;
    const nucleus = await requireNucleus(opts, io);
    if (typeof nucleus === 'number') return nucleus;
    const loaded = await loadAnalysis(io, opts.file, nucleus.version);
    if (!loaded) return EXIT.usage;
    const { analysis } = loaded;
    if (analysis.nucleusError !== null || analysis.topology === null) {
      io.stderr(`Error: ${analysis.nucleusError?.message ?? 'the topology could not be decoded'}\n`);
      return EXIT.failure;
    }
    const dir = usableStateDir(opts, io);
    if (!dir) return EXIT.failure;
    const topology = analysis.topology;
    const snapshot = await readStateDir(dir.dir);
    const running = [...topology.services.keys()]
      .map((svc) => `${topology.name}-${svc}`)
      .filter((c) => {
        const r = resolveContainer(snapshot.containers, c);
        return 'ok' in r && r.ok.running;
      });
    if (running.length > 0 && !opts.yes) {
      const ok = await io.confirm(
        `Stop ${running.length} container${running.length === 1 ? '' : 's'}: ${running.join(', ')}?`,
      );
      if (!ok) {
        io.stderr('Not stopped: not confirmed (pass --yes to skip the question).\n');
        return EXIT.declined;
      }
    }
    const result = await withInterrupt((signal) =>
      downTopology(analysis, runtimeOptions(opts, io, nucleus.cli, dir.dir, signal)),
    );
    return exitOf(io, result.status, result.error);
  },
};
