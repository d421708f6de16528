// `secrets` entries: what `nucleus create` rejects at `compose up` and the CWD-relative source trap.

import { parseSecret } from '../values/secret.js';
import { issue } from './catalog.js';
import { type RuleContext, type ServiceView, fieldOk, itemSpan } from './context.js';

export function checkSecrets(ctx: RuleContext, s: ServiceView): void {
  if (!fieldOk(s.src, 'secrets')) return;
  s.def.secrets.forEach((spec, i) => {
    const span = itemSpan(s.src, 'secrets', i);
    const parsed = parseSecret(spec);
    if (!parsed.ok) {
      ctx.issues.push(
        issue('invalid-secret', {
          span,
          problem: `Invalid secret \`${spec}\``,
          nucleusMessage: parsed.error,
          data: { name: spec },
        }),
      );
      return;
    }
    const source = parsed.value.source;
    if (source === '') {
      ctx.issues.push(
        issue('invalid-secret', {
          span,
          problem: `Secret \`${spec}\` has an empty source`,
          data: { name: spec },
        }),
      );
    } else if (!source.startsWith('/')) {
      ctx.issues.push(
        issue('relative-secret-source', {
          span,
          problem: `Secret source \`${source}\` is relative: it is resolved against the directory \`compose up\` runs in, not this file's folder`,
          tail: `\`compose up\` fails with \`Secret source '${source}' cannot be resolved: …\` when run elsewhere.`,
          data: { name: source },
        }),
      );
    }
  });
}
