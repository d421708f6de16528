// What every rule gets: the decoded topology, where each piece came from in the text, and span lookups.

import type { DecodeSources, ServiceSource, TableSource } from '../decode.js';
import type { DependencyGraph, Issue, ServiceDef, SupportedVersion, Topology } from '../model.js';
import type { Span, TomlDocument, TomlNode } from '../toml/ast.js';
import { parseVolumeMount, type ServiceVolumeMount, type ValueResult } from '../values/mount.js';
import { issue, type IssueInput } from './catalog.js';

export interface RuleContext {
  version: SupportedVersion;
  doc: TomlDocument;
  topology: Topology;
  sources: DecodeSources;
  /** Null when the topology has no usable services map. */
  graph: DependencyGraph | null;
  /** Issues are appended here. */
  issues: Issue[];
}

/** A validate() failure: Nucleus's message (after `Configuration error: `) and the issue that explains it. */
export interface Violation {
  message: string;
  issue: Issue;
}

/** The Violation of rule `code`: Nucleus prints `message` as `Configuration error: <message>`. */
export function violation(
  code: string,
  message: string,
  input: Omit<IssueInput, 'nucleusMessage'>,
): Violation {
  return { message, issue: issue(code, { ...input, nucleusMessage: `Configuration error: ${message}` }) };
}

/** The span of `key`'s value; undefined when the table does not set it. */
export function valueSpan(src: TableSource | undefined, key: string): Span | undefined {
  const entry = src?.table?.entries.get(key);
  return entry?.value.span;
}

/** Where an issue about field `key` goes: its value, else the table's header. */
export function fieldSpan(src: TableSource, key: string): Span {
  return valueSpan(src, key) ?? headerSpan(src);
}

export function keySpan(src: TableSource | undefined, key: string): Span | undefined {
  return src?.table?.entries.get(key)?.keySpan;
}

export function valueNode(src: TableSource | undefined, key: string): TomlNode | undefined {
  return src?.table?.entries.get(key)?.value;
}

/** The `[services.X]` header (or the `X` key of a dotted/inline definition): where table-wide issues go. */
export function headerSpan(src: TableSource): Span {
  const table = src.table;
  if (table?.header) return table.header;
  return src.entry.keySpan;
}

/** The i-th element of an array-valued key, or the key's value, or the header. */
export function itemSpan(src: TableSource, key: string, index: number): Span {
  const node = valueNode(src, key);
  if (node?.kind === 'array') {
    const item = node.items[index];
    if (item) return item.span;
  }
  return node?.span ?? headerSpan(src);
}

/** True when a field of the service decoded (so its value is what Nucleus would see). */
export function fieldOk(src: TableSource | undefined, key: string): boolean {
  if (src === undefined) return false;
  const failed = src.failed;
  // Nearly every table decoded without error: no lookups then.
  return failed.size === 0 || (!failed.has('*') && !failed.has(key));
}

export interface ServiceView {
  name: string;
  def: ServiceDef;
  src: ServiceSource;
}

/** Services in key order with their sources. */
export function services(ctx: RuleContext): ServiceView[] {
  const out: ServiceView[] = [];
  for (const [name, def] of ctx.topology.services) {
    const src = ctx.sources.services.get(name);
    if (src) out.push({ name, def, src });
  }
  return out;
}

/** A location for the "related" list of an issue. */
export function related(span: Span, message: string): { span: Span; message: string } {
  return { span, message };
}

const MOUNT_CACHE = new WeakMap<RuleContext, Map<string, ValueResult<ServiceVolumeMount>>>();

/** parseVolumeMount, once per distinct entry per analysis (several rules read the same mounts). */
export function parsedMount(ctx: RuleContext, spec: string): ValueResult<ServiceVolumeMount> {
  let cache = MOUNT_CACHE.get(ctx);
  if (!cache) {
    cache = new Map();
    MOUNT_CACHE.set(ctx, cache);
  }
  let r = cache.get(spec);
  if (!r) {
    r = parseVolumeMount(spec);
    cache.set(spec, r);
  }
  return r;
}
