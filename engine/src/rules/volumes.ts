// `[volumes.X]` rules: V1–V6 of validate() in Nucleus's order, and what only `up` (or nothing) notices: tmpfs
// sizes, ignored owner/size, colons in host paths, unused volumes.

import { checkBindMountSourcePolicy, parseVolumeOwner } from '../values/mount.js';
import { checkTmpfsSpec, isSafeTmpfsSize, tmpfsSpec } from '../values/tmpfs.js';
import { issue } from './catalog.js';
import {
  parsedMount,
  type RuleContext,
  type Violation,
  fieldOk,
  headerSpan,
  keySpan,
  violation,
  fieldSpan,
} from './context.js';
import type { TableSource } from '../decode.js';
import type { VolumeDef } from '../model.js';

function volumeViolation(
  code: string,
  message: string,
  span: ReturnType<typeof headerSpan>,
  problem: string,
  name: string,
): Violation {
  return violation(code, message, { span, problem, data: { name } });
}

/** V1–V6 for one volume, in validate() order. */
export function validateVolume(ctx: RuleContext, name: string, vol: VolumeDef): Violation[] {
  const src = ctx.sources.volumes.get(name);
  if (!src) return [];
  const out: Violation[] = [];
  const typeOk = fieldOk(src, 'volume_type');
  const pathOk = fieldOk(src, 'path');
  if (typeOk && vol.volume_type === 'persistent') {
    if (pathOk && vol.path === null) {
      out.push(
        volumeViolation(
          'persistent-volume-without-path',
          `Persistent volume '${name}' must define path`,
          fieldSpan(src, 'volume_type'),
          `Persistent volume \`${name}\` has no \`path\``,
          name,
        ),
      );
    } else if (pathOk && vol.path !== null) {
      const span = fieldSpan(src, 'path');
      if (!vol.path.startsWith('/')) {
        out.push(
          volumeViolation(
            'persistent-path-not-absolute',
            `Persistent volume '${name}' path must be absolute: ${vol.path}`,
            span,
            `The path of persistent volume \`${name}\` is relative`,
            name,
          ),
        );
      } else {
        const policy = checkBindMountSourcePolicy(vol.path);
        if (!policy.ok) {
          out.push(
            volumeViolation(
              'sensitive-host-path',
              policy.error,
              span,
              `Persistent volume \`${name}\` is on a sensitive host path`,
              name,
            ),
          );
        }
      }
    }
  } else if (typeOk && vol.volume_type === 'ephemeral') {
    if (pathOk && vol.path !== null) {
      const typeWritten = src.table?.entries.has('volume_type') ?? false;
      const dockerType = src.table?.entries.get('type');
      out.push(
        volumeViolation(
          'ephemeral-volume-with-path',
          `Ephemeral volume '${name}' must not define path`,
          keySpan(src, 'path') ?? headerSpan(src),
          typeWritten
            ? `Ephemeral volume \`${name}\` sets \`path\``
            : `Volume \`${name}\` is ephemeral (the default \`volume_type\`${dockerType ? '; `type` is ignored' : ''}) but sets \`path\``,
          name,
        ),
      );
    }
  } else if (typeOk) {
    out.push(
      volumeViolation(
        'unsupported-volume-type',
        `Volume '${name}' has unsupported type '${vol.volume_type}'`,
        fieldSpan(src, 'volume_type'),
        `Volume type \`${vol.volume_type}\` is not "persistent" or "ephemeral"`,
        name,
      ),
    );
  }
  if (fieldOk(src, 'owner') && vol.owner !== null) {
    const owner = parseVolumeOwner(vol.owner);
    if (!owner.ok) {
      out.push(
        volumeViolation(
          'invalid-volume-owner',
          owner.error,
          fieldSpan(src, 'owner'),
          `The owner of volume \`${name}\` is not \`UID:GID\``,
          name,
        ),
      );
    }
  }
  return out;
}

/**
 * How each volume is mounted (service, destination, read-only), from the services' decodable `volumes`
 * entries. Entries whose destination is invalid still count as uses of their volume (they have their own
 * error); the destination is then the raw text.
 */
function mountsByVolume(
  ctx: RuleContext,
): Map<string, { service: string; readOnly: boolean; dest: string }[]> {
  const out = new Map<string, { service: string; readOnly: boolean; dest: string }[]>();
  for (const [svc, def] of ctx.topology.services) {
    if (!fieldOk(ctx.sources.services.get(svc), 'volumes')) continue;
    for (const spec of def.volumes) {
      const m = parsedMount(ctx, spec);
      let volume: string;
      let dest: string;
      let readOnly: boolean;
      if (m.ok) {
        // A parsed mount has two or three parts and a volume name.
        ({ volume, dest, readOnly } = m.value);
      } else {
        const parts = spec.split(':');
        if (parts.length < 2) continue;
        volume = parts[0] as string;
        dest = parts[1] as string;
        readOnly = parts[2] === 'ro';
        if (volume === '') continue;
      }
      let list = out.get(volume);
      if (list === undefined) {
        list = [];
        out.set(volume, list);
      }
      list.push({ service: svc, readOnly, dest });
    }
  }
  return out;
}

/** Up-time and silent problems of volumes. */
export function checkVolumes(ctx: RuleContext): void {
  const mounts = mountsByVolume(ctx);
  const usageUnknown = hasUnparsedMounts(ctx);
  for (const [name, vol] of ctx.topology.volumes) {
    const src = ctx.sources.volumes.get(name) as TableSource;
    if (!src || src.failed.has('*')) continue;
    const used = mounts.get(name) ?? [];
    const typeOk = fieldOk(src, 'volume_type');
    if (
      typeOk &&
      vol.volume_type === 'ephemeral' &&
      fieldOk(src, 'size') &&
      vol.size !== null &&
      !isSafeTmpfsSize(vol.size)
    ) {
      const first = used[0];
      const check = first
        ? checkTmpfsSpec(tmpfsSpec(first.dest, vol.size, first.readOnly))
        : checkTmpfsSpec(`/x:${vol.size}`);
      const input: Parameters<typeof issue>[1] = {
        span: fieldSpan(src, 'size'),
        problem: `tmpfs size \`${vol.size}\` of volume \`${name}\` is not digits with an optional K, M or G`,
        data: { name },
      };
      if (!check.ok) input.nucleusMessage = check.error;
      ctx.issues.push(issue('invalid-tmpfs-size', input));
    }
    if (typeOk && vol.volume_type === 'persistent' && fieldOk(src, 'size') && vol.size !== null) {
      ctx.issues.push(
        issue('volume-size-ignored', {
          span: keySpan(src, 'size') ?? headerSpan(src),
          problem: `\`size\` has no effect on persistent volume \`${name}\``,
          tail: 'Nucleus silently ignores it (only tmpfs volumes have a size).',
          tags: ['unnecessary'],
          data: { name },
        }),
      );
    }
    if (typeOk && vol.volume_type === 'ephemeral' && fieldOk(src, 'owner') && vol.owner !== null) {
      ctx.issues.push(
        issue('owner-on-ephemeral-volume', {
          span: keySpan(src, 'owner') ?? headerSpan(src),
          problem: `\`owner\` has no effect on ephemeral volume \`${name}\`: a tmpfs is always root-owned with mode 0700`,
          tail: 'Nucleus validates it but never applies it.',
          tags: ['unnecessary'],
          data: { name },
        }),
      );
    }
    if (
      typeOk &&
      vol.volume_type === 'persistent' &&
      fieldOk(src, 'path') &&
      vol.path !== null &&
      vol.path.includes(':') &&
      used.length > 0
    ) {
      ctx.issues.push(
        issue('persistent-path-with-colon', {
          span: fieldSpan(src, 'path'),
          problem: `The path of persistent volume \`${name}\` contains \`:\`, which splits the generated \`--volume\` argument`,
          data: { name },
        }),
      );
    }
    if (used.length === 0 && !usageUnknown) {
      ctx.issues.push(
        issue('unused-volume', {
          span: src.entry.keySpan,
          problem: `No service mounts volume \`${name}\``,
          tail: '',
          tags: ['unnecessary'],
          data: { name },
        }),
      );
    }
  }
}

/** When some service's `volumes` did not decode we cannot tell whether a volume is used. */
function hasUnparsedMounts(ctx: RuleContext): boolean {
  for (const src of ctx.sources.services.values()) if (!fieldOk(src, 'volumes')) return true;
  return false;
}
