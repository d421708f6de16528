// `nucleus-topology apply FILE [--yes] [--expect-plan FP]`: `nucleus compose up` with the plan shown first, a
// confirmation before any stop or restart, per-service logs and Nucleus-like output.

import { applyTopology } from '../runtime/apply.js';
import {
  argsOrExit,
  commandHelp,
  EXIT,
  exitOf,
  loadForUp,
  parseRuntimeArgs,
  runtimeOptions,
  usableStateDir,
  withInterrupt,
} from '../runtime/cliCommon.js';
import { computePlan } from '../runtime/plan.js';
import { readStateDir } from '../runtime/state.js';
import type { CliCommand } from './commands.js';
import { formatPlanDetails } from './plan.js';

const HELP = commandHelp(
  'apply FILE [--yes] [--expect-plan FINGERPRINT] [options]',
  "Bring the topology up like 'nucleus compose up': stop changed and removed services, start new and changed ones.",
  `  --yes, -y                  do not ask before stopping or restarting containers
  --expect-plan FINGERPRINT  apply only if the plan is still the one 'plan' showed (else exit 3, nothing done)`,
);

export const applyCommand: CliCommand = {
  name: 'apply',
  usage: 'apply FILE [--yes] [--expect-plan FP]',
  summary: 'apply the plan: start/restart/stop services (nucleus compose up)',
  async run(args, io) {
    const opts = argsOrExit(io, 'apply', HELP, parseRuntimeArgs(args, ['--yes', '--expect-plan']));
    if (typeof opts === 'number') return opts;
    const ready = await loadForUp(io, opts, 'apply');
    if (typeof ready === 'number') return ready;
    const { analysis } = ready.loaded;
    const dir = usableStateDir(opts, io);
    if (!dir) return EXIT.failure;
    const plan = computePlan(analysis, await readStateDir(dir.dir));
    if (plan.nucleusError !== undefined) {
      io.stderr(`Error: ${plan.nucleusError}\n`);
      return EXIT.failure;
    }
    if (opts.expectPlan !== undefined && opts.expectPlan !== plan.fingerprint) {
      io.stderr(
        `The state changed: the plan is no longer ${opts.expectPlan}. Nothing was done. The plan now is:\n\n`,
      );
      io.stdout(formatPlanDetails(plan, dir));
      return EXIT.planChanged;
    }
    io.stdout(formatPlanDetails(plan, dir) + '\n');
    const disruptive = plan.steps.filter((s) => s.action === 'Restart' || s.action === 'Stop');
    if (disruptive.length > 0 && !opts.yes) {
      const list = disruptive.map((s) => `${s.container} (${s.action.toLowerCase()})`).join(', ');
      const ok = await io.confirm(
        `This stops ${disruptive.length} running container${disruptive.length === 1 ? '' : 's'}: ${list}. Continue?`,
      );
      if (!ok) {
        io.stderr('Not applied: not confirmed (pass --yes to skip the question). Nothing was done.\n');
        return EXIT.declined;
      }
    }

    const result = await withInterrupt((signal) =>
      applyTopology(analysis, {
        ...runtimeOptions(opts, io, ready.cli, dir.dir, signal),
        expectFingerprint: plan.fingerprint,
      }),
    );
    const logs = Object.entries(result.logFiles);
    if (logs.length > 0) {
      io.stdout(`\nService logs (nucleus keeps none for topology services):\n`);
      for (const [svc, file] of logs) io.stdout(`  ${svc}: ${file}\n`);
    }
    if (result.status === 'plan-changed') {
      io.stderr(
        `The state changed between the plan and the apply (${result.error ?? ''}). Nothing was done; run apply again.\n`,
      );
      return EXIT.planChanged;
    }
    return exitOf(io, result.status, result.error);
  },
};
