// `nucleus-topology plan FILE [--json]`: what `nucleus compose up` would do, as `nucleus compose plan` prints it, plus
// the reasons, the warnings Nucleus does not give and a fingerprint for `apply --expect-plan`.

import type { Plan } from '../runtime/plan.js';
import { computePlan, formatPlanNucleus, planToJson } from '../runtime/plan.js';
import type { StateDirChoice } from '../runtime/stateDir.js';
import {
  argsOrExit,
  commandHelp,
  EXIT,
  formatIssues,
  loadWithState,
  parseRuntimeArgs,
} from '../runtime/cliCommon.js';
import type { CliCommand } from './commands.js';

const HELP = commandHelp(
  'plan FILE [--json] [options]',
  "Show the reconcile plan of 'nucleus compose up' for FILE against the running containers.",
  '  --json                     machine-readable plan (startup_order, actions, reasons, warnings, fingerprint)',
);

export const planCommand: CliCommand = {
  name: 'plan',
  usage: 'plan FILE [--json]',
  summary: 'show what apply would start, restart and stop (nucleus compose plan)',
  async run(args, io) {
    const opts = argsOrExit(io, 'plan', HELP, parseRuntimeArgs(args, ['--json']));
    if (typeof opts === 'number') return opts;
    const ready = await loadWithState(io, opts);
    if (typeof ready === 'number') return ready;
    const { loaded, dir, note } = ready;
    const plan = computePlan(loaded.analysis, ready.snapshot);
    if (opts.json) {
      io.stdout(JSON.stringify(planToJson(plan), null, 2) + '\n');
      return plan.nucleusError !== undefined ? EXIT.failure : EXIT.ok;
    }
    if (note !== undefined) io.stderr(`Note: ${note}\n`);
    if (plan.nucleusError !== undefined) {
      io.stderr(`Error: ${plan.nucleusError}\n`);
      return EXIT.failure;
    }
    io.stdout(formatPlanDetails(plan, dir));
    const errors = loaded.analysis.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      io.stdout(
        `\nApply will refuse: the file has ${errors.length} error${errors.length === 1 ? '' : 's'} Nucleus only reports during up:\n` +
          formatIssues(opts.file, loaded.text, errors),
      );
    }
    return EXIT.ok;
  },
};

/** Nucleus's plan lines, then our reasons, warnings, state directory and fingerprint. */
export function formatPlanDetails(plan: Plan, dir: StateDirChoice): string {
  let out = formatPlanNucleus(plan);
  if (plan.steps.length > 0) {
    out += '\n';
    const width = Math.max(...plan.steps.map((s) => s.service.length));
    for (const s of plan.steps) out += `  ${(s.service + ':').padEnd(width + 1)} ${s.reason}\n`;
  }
  if (plan.warnings.length > 0) {
    out += '\n';
    for (const w of plan.warnings) out += `Warning: ${w.message}\n`;
  }
  out += `\nState directory: ${dir.dir ?? '(none usable)'}  (${dir.exists ? dir.reason : 'does not exist yet: nothing runs'})\n`;
  out += `Plan fingerprint: ${plan.fingerprint}  (${plan.changes === 0 ? 'nothing to do' : `${plan.changes} change${plan.changes === 1 ? '' : 's'}`})\n`;
  return out;
}
