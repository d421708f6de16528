// `environment` entries: keys `nucleus create -e` refuses at `compose up` (blocked linker variables, 0.3.9 key
// grammar) and the 0.3.8 silent re-split of keys containing `=`.

import { checkEnvironmentPair } from '../values/environment.js';
import { issue } from './catalog.js';
import { type RuleContext, type ServiceView, fieldOk, headerSpan, valueNode } from './context.js';

export function checkEnvironment(ctx: RuleContext, s: ServiceView): void {
  if (!fieldOk(s.src, 'environment')) return;
  const node = valueNode(s.src, 'environment');
  const table = node?.kind === 'table' ? node : null;
  for (const [key, value] of s.def.environment) {
    const r = checkEnvironmentPair(key, value, ctx.version);
    if (r.ok && r.value === key) continue;
    const span = table?.entries.get(key)?.keySpan ?? node?.span ?? headerSpan(s.src);
    if (!r.ok) {
      const blocked = r.error.startsWith('Environment variable');
      ctx.issues.push(
        issue(blocked ? 'blocked-environment-variable' : 'invalid-environment-key', {
          span,
          problem: blocked
            ? `Environment variable \`${key}\` is blocked (dynamic linker injection risk)`
            : `Invalid environment variable name \`${key}\``,
          nucleusMessage: r.error,
          data: { name: key },
        }),
      );
    } else if (r.value !== key) {
      ctx.issues.push(
        issue('environment-key-resplit', {
          span,
          problem: `Environment key \`${key}\` contains \`=\`: the service gets \`${r.value}\` instead`,
          tail: 'Nucleus silently splits `KEY=VALUE` at the first `=`.',
          data: { name: key },
        }),
      );
    }
  }
}
