// Service `volumes` entries: S3 of validate() (format, destination, host paths, unknown volumes) and the
// tmpfs-ownership trap of non-root services.

import { numericId } from '../values/identity.js';
import { issue } from './catalog.js';
import {
  parsedMount,
  type RuleContext,
  type ServiceView,
  type Violation,
  fieldOk,
  headerSpan,
  itemSpan,
  related,
  violation,
} from './context.js';
import { didYouMean, suggestNames } from './suggest.js';

/** S3 for one service, entries in list order. */
export function validateMounts(ctx: RuleContext, s: ServiceView): Violation[] {
  if (!fieldOk(s.src, 'volumes')) return [];
  const out: Violation[] = [];
  const declared = ctx.topology.volumes;
  let span = headerSpan(s.src);
  const push = (
    code: string,
    message: string,
    problem: string,
    extra: Partial<Parameters<typeof issue>[1]> = {},
  ) => out.push(violation(code, message, { span, problem, ...extra }));
  const volumes = s.def.volumes;
  for (let i = 0; i < volumes.length; i++) {
    const spec = volumes[i] as string;
    const parsed = parsedMount(ctx, spec);
    if (parsed.ok && !parsed.value.volume.startsWith('/') && declared.has(parsed.value.volume)) continue;
    span = itemSpan(s.src, 'volumes', i);
    if (!parsed.ok) {
      const format =
        parsed.error.startsWith('Invalid volume mount') || parsed.error.startsWith('Volume mount');
      push(
        format ? 'invalid-volume-mount' : 'invalid-mount-destination',
        parsed.error,
        format
          ? parsed.error.startsWith('Volume mount')
            ? `Volume mount \`${spec}\` does not name a volume`
            : `Volume mount \`${spec}\` is not \`VOLUME:DEST[:ro|rw]\``
          : `Invalid container destination in volume mount \`${spec}\``,
      );
      continue;
    }
    const vol = parsed.value.volume;
    if (vol.startsWith('/')) {
      push(
        'host-path-volume-mount',
        `Service '${s.name}' uses absolute host-path volume mount '${vol}'; topology configs must reference a named volume instead`,
        `\`${vol}\` is a host path; topology services can only mount named volumes`,
        { data: { name: vol } },
      );
      continue;
    }
    if (!declared.has(vol)) {
      const names = Array.from(declared.keys());
      const suggestions = suggestNames(vol, names);
      const rel = names.map((n) =>
        related(ctx.sources.volumes.get(n)?.entry.keySpan ?? span, `volume \`${n}\` is declared here`),
      );
      const volumesEntry = ctx.sources.top.get('volumes');
      if (rel.length === 0 && volumesEntry)
        rel.push(related(volumesEntry.keySpan, 'no volume is declared in [volumes]'));
      push(
        'unknown-volume',
        `Service '${s.name}' references unknown volume '${vol}'`,
        `Volume \`${vol}\` is not declared${names.length === 0 ? ' (there is no [volumes.X] table)' : ''}${didYouMean(suggestions)}`,
        { related: rel, data: { name: vol, suggestions } },
      );
    }
  }
  return out;
}

/** A tmpfs is root-owned 0700: a service with a non-root `user` cannot write to its ephemeral volumes. */
export function checkEphemeralOwnership(ctx: RuleContext, s: ServiceView): void {
  if (!fieldOk(s.src, 'volumes') || !fieldOk(s.src, 'user') || s.def.user === null) return;
  const user = s.def.user;
  if (user === 'root' || numericId(user) === 0) return;
  const volumes = s.def.volumes;
  for (let i = 0; i < volumes.length; i++) {
    const m = parsedMount(ctx, volumes[i] as string);
    if (!m.ok) continue;
    const vol = ctx.topology.volumes.get(m.value.volume);
    if (!vol || vol.volume_type !== 'ephemeral' || m.value.readOnly) continue;
    ctx.issues.push(
      issue('ephemeral-volume-non-root-user', {
        span: itemSpan(s.src, 'volumes', i),
        problem: `Service \`${s.name}\` runs as \`${user}\` but ephemeral volume \`${m.value.volume}\` is a root-owned 0700 tmpfs: it cannot write there`,
        tail: 'Nucleus does not warn about it.',
        data: { name: m.value.volume },
      }),
    );
  }
}
