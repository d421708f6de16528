// Topology-wide rules: the topology name (T1, T2), service names (T3), at least one service (T4), container name
// length, and the production-attestation gap every service hits at `up` (§7 E1).

import { issue } from './catalog.js';
import { type RuleContext, type Violation, headerSpan, violation } from './context.js';
import type { Span } from '../toml/ast.js';

const CONTAINER_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const ALLOWED = "(allowed: a-zA-Z0-9, '-', '_', '.')";

/** validate_container_name: 1–128 characters from [A-Za-z0-9._-]. */
function isValidContainerName(name: string): boolean {
  return CONTAINER_NAME.test(name);
}

/** The characters of a name that validate_container_name rejects, for the message. */
function badChars(name: string): string[] {
  const out: string[] = [];
  for (const ch of name) if (!/[A-Za-z0-9._-]/.test(ch) && !out.includes(ch)) out.push(ch);
  return out;
}

function describeBadName(name: string): string {
  if (name.length > 128) return `is ${name.length} characters long (at most 128)`;
  const bad = badChars(name).map((c) => (c === ' ' ? 'a space' : `\`${c}\``));
  return `contains ${bad.join(', ')}, not allowed in container names`;
}

function nameSpan(ctx: RuleContext): Span {
  const entry = ctx.sources.top.get('name');
  if (entry) return entry.value.span;
  return { start: 0, end: 0 };
}

/** T1, T2. */
export function validateTopologyName(ctx: RuleContext): Violation[] {
  if (ctx.sources.failedTop.has('name')) return [];
  const name = ctx.topology.name;
  if (name === '') {
    return [
      violation('empty-topology-name', 'Topology name cannot be empty', {
        span: nameSpan(ctx),
        problem: 'The topology name is empty',
      }),
    ];
  }
  if (!isValidContainerName(name)) {
    return [
      violation('invalid-topology-name', `Topology name '${name}' contains invalid characters ${ALLOWED}`, {
        span: nameSpan(ctx),
        problem: `The topology name ${describeBadName(name)}`,
      }),
    ];
  }
  return [];
}

/** T3 for one service. */
export function validateServiceName(ctx: RuleContext, service: string): Violation[] {
  if (isValidContainerName(service)) return [];
  const src = ctx.sources.services.get(service);
  return [
    violation('invalid-service-name', `Service name '${service}' contains invalid characters ${ALLOWED}`, {
      span: src ? src.entry.keySpan : nameSpan(ctx),
      problem:
        service === ''
          ? 'The service name is empty'
          : `The service name \`${service}\` ${describeBadName(service)}`,
      data: { name: service },
    }),
  ];
}

/** T4. */
export function validateHasServices(ctx: RuleContext): Violation[] {
  if (ctx.topology.services.size > 0 || ctx.sources.failedTop.has('services')) return [];
  const entry = ctx.sources.top.get('services');
  return [
    violation('no-services', 'Topology must have at least one service', {
      span: entry
        ? entry.value.kind === 'table' && entry.value.header
          ? entry.value.header
          : entry.keySpan
        : nameSpan(ctx),
      problem: 'The topology has no services',
    }),
  ];
}

/** `<topology>-<service>` must fit the 128-character container name limit (checked by create at `up`). */
export function checkContainerNames(ctx: RuleContext): void {
  const topo = ctx.topology.name;
  if (ctx.sources.failedTop.has('name') || !isValidContainerName(topo)) return;
  for (const [name, src] of ctx.sources.services) {
    if (!isValidContainerName(name)) continue;
    const full = `${topo}-${name}`;
    if (full.length <= 128) continue;
    ctx.issues.push(
      issue('container-name-too-long', {
        span: src.entry.keySpan,
        problem: `The container name \`${full.slice(0, 40)}…\` is ${full.length} characters long (at most 128)`,
        nucleusMessage: 'Invalid container name: must be 1-128 characters',
        data: { name },
      }),
    );
  }
}

/** §7 E1: one warning per file, at the topology name, when there is something to start. */
export function checkAttestation(ctx: RuleContext): void {
  const first = ctx.sources.services.values().next().value;
  if (first === undefined) return;
  ctx.issues.push(
    issue('rootfs-attestation-missing', {
      span: ctx.sources.top.has('name') ? nameSpan(ctx) : headerSpan(first),
      problem: `\`compose up\` starts every service with \`--service-mode production\` but never passes \`--verify-rootfs-attestation\`, which production mode requires (read in the Nucleus 0.3.8 and 0.3.9 sources; not yet seen on a real host)`,
      nucleusMessage: 'Production mode requires --verify-rootfs-attestation',
    }),
  );
}
