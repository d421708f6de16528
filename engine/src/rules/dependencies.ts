// depends_on rules: S1 of validate() (unknown target, condition spelling, healthy without health_check), the
// dependency cycles of the graph, and the health-check allow-list `compose up` applies to waited-on services.

import type { DependsOnSource } from '../decode.js';
import { stringCharSpan } from '../locate.js';
import type { Issue } from '../model.js';
import { rustEscapeDefault } from '../rustFmt.js';
import type { Span } from '../toml/ast.js';
import { validateHealthCheckCommand } from '../values/healthCheck.js';
import { issue } from './catalog.js';
import {
  type RuleContext,
  type ServiceView,
  type Violation,
  fieldOk,
  headerSpan,
  related,
  valueNode,
  violation,
} from './context.js';
import { didYouMean, NameSuggester, suggestNames } from './suggest.js';

const SERVICE_NAMES = new WeakMap<RuleContext, NameSuggester>();

/** The service names prepared for did-you-mean, once per analysis (many targets may be unknown). */
function serviceNames(ctx: RuleContext): NameSuggester {
  let names = SERVICE_NAMES.get(ctx);
  if (names === undefined) {
    names = new NameSuggester(ctx.topology.services.keys());
    SERVICE_NAMES.set(ctx, names);
  }
  return names;
}

function targetSpan(src: DependsOnSource | undefined, fallback: Span): Span {
  return src?.service?.value.span ?? src?.node.span ?? fallback;
}

function conditionSpan(src: DependsOnSource | undefined, fallback: Span): Span {
  return src?.condition?.value.span ?? src?.node.span ?? fallback;
}

/** S1 for one service: each entry in list order, each entry's three checks in order. */
export function validateDependencies(ctx: RuleContext, s: ServiceView): Violation[] {
  const out: Violation[] = [];
  const fallback = headerSpan(s.src);
  const names = ctx.topology.services;
  const push = (
    code: string,
    message: string,
    span: Span,
    problem: string,
    extra: Partial<Parameters<typeof issue>[1]> = {},
  ) => out.push(violation(code, message, { span, problem, ...extra }));
  const deps = s.def.depends_on;
  for (let i = 0; i < deps.length; i++) {
    const dep = deps[i] as (typeof deps)[number];
    const src = s.src.dependsOn[i];
    const target = names.get(dep.service);
    if (!target) {
      const suggestions = serviceNames(ctx).suggest(dep.service);
      push(
        'unknown-dependency',
        `Service '${s.name}' depends on unknown service '${dep.service}'`,
        targetSpan(src, fallback),
        `Service \`${s.name}\` depends on \`${dep.service}\`, which is not defined${didYouMean(suggestions)}`,
        { data: { name: dep.service, suggestions } },
      );
    }
    if (dep.condition !== 'started' && dep.condition !== 'healthy') {
      const suggestions = suggestNames(dep.condition, ['started', 'healthy']);
      push(
        'invalid-dependency-condition',
        `Invalid dependency condition '${dep.condition}' for service '${s.name}'`,
        conditionSpan(src, fallback),
        `Dependency condition \`${dep.condition}\` is not "started" or "healthy"${didYouMean(suggestions)}`,
        { data: { name: dep.condition, suggestions: suggestions.map((x) => `"${x}"`) } },
      );
    } else if (dep.condition === 'healthy' && target && target.health_check === null) {
      const tsrc = ctx.sources.services.get(dep.service);
      if (tsrc && fieldOk(tsrc, 'health_check')) {
        push(
          'healthy-without-health-check',
          `Service '${s.name}' depends on '${dep.service}' being healthy, but '${dep.service}' has no health_check`,
          conditionSpan(src, fallback),
          `\`${s.name}\` waits for \`${dep.service}\` to be healthy, but \`${dep.service}\` has no \`health_check\``,
          {
            related: [related(headerSpan(tsrc), `\`${dep.service}\` is defined here without health_check`)],
            data: { name: dep.service },
          },
        );
      }
    }
  }
  return out;
}

/** One issue per edge of each real cycle, at the `service = "x"` of that entry; related = the other edges. */
export function checkCycles(ctx: RuleContext): void {
  const cycle = ctx.graph?.cycle;
  if (!cycle) return;
  for (const ring of cycle.cycles) {
    const edges: { from: string; to: string; span: Span }[] = [];
    for (let i = 0; i < ring.length; i++) {
      const from = ring[i] as string;
      const to = ring[(i + 1) % ring.length] as string;
      const def = ctx.topology.services.get(from);
      const src = ctx.sources.services.get(from);
      if (!def || !src) continue;
      const index = def.depends_on.findIndex((d) => d.service === to);
      edges.push({ from, to, span: targetSpan(src.dependsOn[index], headerSpan(src)) });
    }
    const path = [...ring, ring[0] as string].join(' → ');
    for (const e of edges) {
      ctx.issues.push(
        issue('dependency-cycle', {
          span: e.span,
          problem:
            ring.length === 1
              ? `Service \`${e.from}\` depends on itself`
              : `Dependency cycle: ${path} (\`${e.from}\` depends on \`${e.to}\`)`,
          nucleusMessage: `Configuration error: ${cycle.message}`,
          related: edges
            .filter((o) => o !== e)
            .map((o) => related(o.span, `\`${o.from}\` depends on \`${o.to}\``)),
          data: { name: e.to, cycle: ring },
        }),
      );
    }
  }
}

/** Services some dependent waits on with `condition = "healthy"`, with the first such entry's span. */
function waitedHealthy(ctx: RuleContext): Map<string, { by: string; span: Span }> {
  const out = new Map<string, { by: string; span: Span }>();
  for (const [name, def] of ctx.topology.services) {
    const src = ctx.sources.services.get(name);
    if (!src) continue;
    const deps = def.depends_on;
    for (let i = 0; i < deps.length; i++) {
      const d = deps[i] as (typeof deps)[number];
      if (d.condition === 'healthy' && !out.has(d.service)) {
        out.set(d.service, { by: name, span: conditionSpan(src.dependsOn[i], headerSpan(src)) });
      }
    }
  }
  return out;
}

/**
 * The health-check allow-list: an error when a dependent waits `healthy` on the service (up fails during the
 * wait), information otherwise. One issue per distinct unsafe character, at its first occurrence.
 */
export function checkHealthChecks(ctx: RuleContext): void {
  const waited = waitedHealthy(ctx);
  for (const [name, def] of ctx.topology.services) {
    const src = ctx.sources.services.get(name);
    if (!src || !fieldOk(src, 'health_check') || def.health_check === null) continue;
    const cmd = def.health_check;
    const first = validateHealthCheckCommand(cmd);
    if (first.ok) continue;
    const node = valueNode(src, 'health_check');
    const wait = waited.get(name);
    const code = wait ? 'unsafe-health-check-waited' : 'unsafe-health-check';
    const rel = wait ? [related(wait.span, `\`${wait.by}\` waits for \`${name}\` to be healthy`)] : undefined;
    const when = wait ? '' : ' if a dependent ever waited for it to be healthy';
    const base = (span: Span, problem: string, message: string): Issue => {
      const input: Parameters<typeof issue>[1] = {
        span,
        problem,
        nucleusMessage: `Configuration error: ${message}`,
        data: { name },
      };
      if (rel) input.related = rel;
      if (!wait) input.tail = `\`compose up\` would fail with: Configuration error: ${message}`;
      return issue(code, input);
    };
    if (first.index === 0 && first.char === '') {
      ctx.issues.push(
        base(node?.span ?? headerSpan(src), `The health check of \`${name}\` is empty${when}`, first.error),
      );
      continue;
    }
    const seen = new Set<string>();
    for (let i = first.index; i < cmd.length;) {
      const cp = cmd.codePointAt(i) as number;
      const width = cp > 0xffff ? 2 : 1;
      const ch = cmd.slice(i, i + width);
      if (!seen.has(ch) && !validateHealthCheckCommand(ch).ok) {
        seen.add(ch);
        const hex = cp.toString(16).toUpperCase().padStart(4, '0');
        const message = `Health check command contains unsafe character '${rustEscapeDefault(cp)}' (code point U+${hex}): ${cmd}`;
        const span =
          node?.kind === 'string' ? stringCharSpan(ctx.doc.text, node, i) : (node?.span ?? headerSpan(src));
        const shown = ch === ' ' ? 'space' : JSON.stringify(ch);
        ctx.issues.push(
          base(
            span,
            `Health check of \`${name}\` uses ${shown} (U+${hex}), outside \`[a-zA-Z0-9 -_./:@=?]\`${when}`,
            message,
          ),
        );
      }
      i += width;
    }
  }
}
