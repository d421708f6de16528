// `nucleus-topology down FILE [--yes]`: `nucleus compose down` (stop the file's running services in shutdown order).

import { downTopology } from '../runtime/apply.js';
import {
  chooseStateDir,
  commandHelp,
  detectVersion,
  EXIT,
  loadAnalysis,
  makeNucleusCli,
  nucleusNotFoundMessage,
  parseRuntimeArgs,
} from '../runtime/cliCommon.js';
import { readStateDir, resolveContainer } from '../runtime/state.js';
import { printEvent } from './apply.js';
import type { CliCommand } from './commands.js';

const USAGE = 'down FILE [--yes] [options]';
const SUMMARY =
  "Stop the topology's running services in shutdown order, like 'nucleus compose down'. Containers of services no longer in the file are left running.";
const EXTRA = '  --yes, -y                  do not ask before stopping';

export const downCommand: CliCommand = {
  name: 'down',
  usage: 'down FILE [--yes]',
  summary: 'stop the running services of the file (nucleus compose down)',
  async run(args, io) {
    const opts = parseRuntimeArgs(args, ['--yes']);
    if ('help' in opts) {
      io.stdout(commandHelp(USAGE, SUMMARY, EXTRA));
      return EXIT.ok;
    }
    if ('usage' in opts) {
      io.stderr(`nucleus-topology down: ${opts.usage}\n${commandHelp(USAGE, SUMMARY, EXTRA)}`);
      return EXIT.usage;
    }
    const cli = makeNucleusCli(opts, io);
    const detected = await detectVersion(opts, cli);
    if (detected.notFound) {
      io.stderr(nucleusNotFoundMessage(cli.binary));
      return EXIT.nucleusNotFound;
    }
    const loaded = await loadAnalysis(io, opts.file, detected.version);
    if (!loaded) return EXIT.usage;
    const { analysis } = loaded;
    if (analysis.nucleusError !== null || analysis.topology === null) {
      io.stderr(`Error: ${analysis.nucleusError?.message ?? 'the topology could not be decoded'}\n`);
      return EXIT.failure;
    }
    const dir = chooseStateDir(opts, io);
    if (dir.dir === null) {
      io.stderr(`Error: no usable Nucleus state directory: ${dir.error ?? ''}\n`);
      return EXIT.failure;
    }
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
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await downTopology(analysis, {
        cli,
        stateDir: dir.dir,
        ...(opts.root !== undefined ? { root: opts.root } : {}),
        stopTimeoutSecs: opts.timeout,
        onProgress: (e) => printEvent(io, e),
        signal: controller.signal,
      });
      switch (result.status) {
        case 'ok':
          return EXIT.ok;
        case 'cancelled':
          return EXIT.cancelled;
        case 'refused':
          io.stderr(`Error: ${result.error ?? ''}\n`);
          return EXIT.failure;
        case 'failed':
          return EXIT.failure;
      }
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
