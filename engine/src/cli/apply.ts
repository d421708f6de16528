// `nucleus-topology apply FILE [--yes] [--expect-plan FP]`: `nucleus compose up` with the plan shown first, a
// confirmation before any stop or restart, per-service logs and Nucleus-like output.

import { applyTopology, type ApplyEvent } from '../runtime/apply.js';
import {
  chooseStateDir,
  commandHelp,
  detectVersion,
  EXIT,
  formatIssues,
  loadAnalysis,
  makeNucleusCli,
  nucleusNotFoundMessage,
  parseRuntimeArgs,
} from '../runtime/cliCommon.js';
import { computePlan } from '../runtime/plan.js';
import { readStateDir } from '../runtime/state.js';
import type { CliCommand, CliIo } from './commands.js';
import { formatPlanDetails } from './plan.js';

const USAGE = 'apply FILE [--yes] [--expect-plan FINGERPRINT] [options]';
const SUMMARY =
  "Bring the topology up like 'nucleus compose up': stop changed and removed services, start new and changed ones.";
const EXTRA = `  --yes, -y                  do not ask before stopping or restarting containers
  --expect-plan FINGERPRINT  apply only if the plan is still the one 'plan' showed (else exit 3, nothing done)`;

export const applyCommand: CliCommand = {
  name: 'apply',
  usage: 'apply FILE [--yes] [--expect-plan FP]',
  summary: 'apply the plan: start/restart/stop services (nucleus compose up)',
  async run(args, io) {
    const opts = parseRuntimeArgs(args, ['--yes', '--expect-plan']);
    if ('help' in opts) {
      io.stdout(commandHelp(USAGE, SUMMARY, EXTRA));
      return EXIT.ok;
    }
    if ('usage' in opts) {
      io.stderr(`nucleus-topology apply: ${opts.usage}\n${commandHelp(USAGE, SUMMARY, EXTRA)}`);
      return EXIT.usage;
    }
    const cli = makeNucleusCli(opts, io);
    const detected = await detectVersion(opts, cli);
    if (detected.notFound) {
      io.stderr(nucleusNotFoundMessage(cli.binary));
      return EXIT.nucleusNotFound;
    }
    if (detected.note !== undefined) io.stderr(`Note: ${detected.note}\n`);
    const loaded = await loadAnalysis(io, opts.file, detected.version);
    if (!loaded) return EXIT.usage;
    const { analysis } = loaded;
    if (analysis.nucleusError !== null) {
      io.stderr(`Error: ${analysis.nucleusError.message}\n`);
      return EXIT.failure;
    }
    const errors = analysis.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      io.stderr(
        `Refusing to apply: ${opts.file} has ${errors.length} error${errors.length === 1 ? '' : 's'} (Nucleus would fail during up):\n` +
          formatIssues(opts.file, loaded.text, errors),
      );
      return EXIT.failure;
    }
    const dir = chooseStateDir(opts, io);
    if (dir.dir === null) {
      io.stderr(`Error: no usable Nucleus state directory: ${dir.error ?? ''}\n`);
      return EXIT.failure;
    }
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

    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await applyTopology(analysis, {
        cli,
        stateDir: dir.dir,
        ...(opts.root !== undefined ? { root: opts.root } : {}),
        stopTimeoutSecs: opts.timeout,
        ...(opts.logDir !== undefined ? { logDir: opts.logDir } : {}),
        env: io.env,
        expectFingerprint: plan.fingerprint,
        onProgress: (e) => printEvent(io, e),
        signal: controller.signal,
      });
      const logs = Object.entries(result.logFiles);
      if (logs.length > 0) {
        io.stdout(`\nService logs (nucleus keeps none for topology services):\n`);
        for (const [svc, file] of logs) io.stdout(`  ${svc}: ${file}\n`);
      }
      switch (result.status) {
        case 'ok':
          return EXIT.ok;
        case 'plan-changed':
          io.stderr(
            `The state changed between the plan and the apply (${result.error ?? ''}). Nothing was done; run apply again.\n`,
          );
          return EXIT.planChanged;
        case 'cancelled':
          return EXIT.cancelled;
        case 'refused':
          io.stderr(`Error: ${result.error ?? 'refused'}\n`);
          return EXIT.failure;
        case 'failed':
          return EXIT.failure;
      }
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};

/** Nucleus's own lines as it prints them (errors on stderr), ours on stdout. */
export function printEvent(io: CliIo, e: ApplyEvent): void {
  if (e.kind === 'failed') io.stderr(`${e.message}\n`);
  else io.stdout(`${e.message}\n`);
}
