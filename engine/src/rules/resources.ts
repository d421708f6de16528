// What `nucleus create` checks when `compose up` launches a service but validate() does not: command, memory,
// cpus, rootfs location; plus the settings Nucleus ignores (runtime, replicas).

import { checkCpus } from '../values/cpus.js';
import { parseMemory } from '../values/memory.js';
import { issue } from './catalog.js';
import { type RuleContext, type ServiceView, fieldOk, fieldSpan } from './context.js';
import { didYouMean, suggestNames } from './suggest.js';

export function checkResources(ctx: RuleContext, s: ServiceView): void {
  const { def, src, name } = s;
  if (fieldOk(src, 'command') && def.command.length === 0) {
    ctx.issues.push(
      issue('empty-command', {
        span: fieldSpan(src, 'command'),
        problem: `Service \`${name}\` has an empty \`command\``,
        tail: 'Nucleus accepts this but `compose up` fails when launching the service: `nucleus create` requires a command.',
        data: { name },
      }),
    );
  }
  if (fieldOk(src, 'memory')) {
    const mem = parseMemory(def.memory);
    if (!mem.ok) {
      ctx.issues.push(
        issue('invalid-memory', {
          span: fieldSpan(src, 'memory'),
          problem: `Memory limit \`${def.memory}\` is not bytes or an integer with K, M, G or T`,
          nucleusMessage: `Invalid resource limit: ${mem.error}`,
          data: { name },
        }),
      );
    }
  }
  if (fieldOk(src, 'cpus')) {
    const cpus = checkCpus(def.cpus);
    if (!cpus.ok) {
      ctx.issues.push(
        issue('invalid-cpus', {
          span: fieldSpan(src, 'cpus'),
          problem: `\`cpus\` must be finite, greater than 0 and at most 65536`,
          nucleusMessage: `Invalid resource limit: ${cpus.error}`,
          data: { name },
        }),
      );
    }
  }
  if (fieldOk(src, 'rootfs') && def.rootfs !== '' && !/^\/nix\/store\/[^/]/.test(def.rootfs)) {
    ctx.issues.push(
      issue('rootfs-not-in-nix-store', {
        span: fieldSpan(src, 'rootfs'),
        problem: `rootfs \`${def.rootfs}\` is not under /nix/store (only a symlink resolving into /nix/store would be accepted)`,
        tail: 'Nucleus accepts this but `compose up` fails when launching the service: production mode requires the rootfs to resolve under /nix/store.',
        data: { name },
      }),
    );
  }
  if (fieldOk(src, 'runtime') && src.table?.entries.has('runtime')) {
    const span = fieldSpan(src, 'runtime');
    if (def.runtime === 'native') {
      ctx.issues.push(
        issue('native-runtime-uses-gvisor', {
          span,
          problem:
            '`runtime = "native"` does not select a native runtime: the service still runs under gVisor',
          tail: 'Nucleus passes `--runtime` only for "gvisor"; every other value keeps the default runtime, gVisor.',
        }),
      );
    } else if (def.runtime !== 'gvisor') {
      const suggestions = suggestNames(def.runtime, ['gvisor', 'native']);
      ctx.issues.push(
        issue('unknown-runtime', {
          span,
          problem: `Runtime \`${def.runtime}\` is not "gvisor" or "native"${didYouMean(suggestions)}`,
          tail: 'Nucleus silently ignores it and runs the service under gVisor.',
          data: { name: def.runtime, suggestions: suggestions.map((x) => `"${x}"`) },
        }),
      );
    }
  }
  if (fieldOk(src, 'replicas') && def.replicas !== 1) {
    ctx.issues.push(
      issue('replicas-unused', {
        span: fieldSpan(src, 'replicas'),
        problem: `\`replicas = ${def.replicas}\` has no effect: Nucleus runs exactly one container per service`,
        tail: 'Nucleus never reads it.',
        tags: ['unnecessary'],
        data: { name },
      }),
    );
  }
}
