// `user` / `group` / `additional_groups`: what `nucleus create` and the production user namespace reject at
// `compose up`, and the host-side name lookup.

import { MAPPED_ID_MAX, numericId } from '../values/identity.js';
import { issue } from './catalog.js';
import { type RuleContext, type ServiceView, fieldOk, headerSpan, keySpan, fieldSpan } from './context.js';

const IDENTITY_KEYS = ['user', 'group'] as const;

export function checkIdentity(ctx: RuleContext, s: ServiceView): void {
  const { def, src, name } = s;
  if (!fieldOk(src, 'user') || !fieldOk(src, 'group') || !fieldOk(src, 'additional_groups')) return;
  const { user, group } = def;
  const groups = def.additional_groups;
  const push = (
    code: string,
    span: ReturnType<typeof headerSpan>,
    problem: string,
    nucleusMessage?: string,
  ) => {
    const input: Parameters<typeof issue>[1] = { span, problem, data: { name } };
    if (nucleusMessage !== undefined) input.nucleusMessage = nucleusMessage;
    ctx.issues.push(issue(code, input));
  };
  if (user === null && (group !== null || groups.length > 0)) {
    push(
      'group-without-user',
      keySpan(src, group !== null ? 'group' : 'additional_groups') ?? headerSpan(src),
      `\`${group !== null ? 'group' : 'additional_groups'}\` is set without \`user\``,
      'Configuration error: --group/--additional-group require --user to be set as well',
    );
  }
  if (user !== null && numericId(user) !== null && group === null) {
    push(
      'numeric-user-without-group',
      fieldSpan(src, 'user'),
      `Numeric user \`${user}\` has no \`group\``,
      'Configuration error: Numeric --user values require an explicit --group',
    );
  }
  if (groups.length > 0) {
    push(
      'additional-groups-unsupported',
      fieldSpan(src, 'additional_groups'),
      `\`additional_groups\` always fails in production mode's user namespace`,
      'Configuration error: Supplementary groups are currently unsupported with user namespaces',
    );
  }
  for (const key of IDENTITY_KEYS) {
    const value = def[key];
    if (value === null) continue;
    const id = numericId(value);
    // Nearly always a mapped numeric id: nothing to report, no span to look up.
    if (id !== null && id <= MAPPED_ID_MAX && !value.startsWith('-')) continue;
    const span = fieldSpan(src, key);
    if (value.startsWith('-')) {
      push(
        'identity-starts-with-dash',
        span,
        `\`${key} = "${value}"\` starts with \`-\` and is taken for a flag by \`nucleus create\``,
      );
      continue;
    }
    if (id !== null && id > MAPPED_ID_MAX) {
      push(
        'unmapped-user-id',
        span,
        `${key === 'user' ? 'uid' : 'gid'} ${id} is outside the ids production mode maps (0–${MAPPED_ID_MAX})`,
        `Configuration error: Process ${key === 'user' ? 'uid' : 'gid'} ${id} is not mapped in the configured user namespace`,
      );
    } else if (id === null && value !== '') {
      ctx.issues.push(
        issue('host-identity-lookup', {
          span,
          problem: `${key === 'user' ? 'User' : 'Group'} name \`${value}\` is looked up in the host's /etc/${key === 'user' ? 'passwd' : 'group'}, not in the rootfs`,
          tail: `\`compose up\` fails with \`Unknown ${key} '${value}'\` if the host has no such ${key}.`,
          data: { name },
        }),
      );
    }
  }
}
