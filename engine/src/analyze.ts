// One pass over a topology text: parse → decode → rules → graph → hashes, and the single error Nucleus would
// print first (parse error, else validate() in spec order, else the graph error).

import { decodeTopology, type DecodeResult } from './decode.js';
import { buildGraph } from './graph.js';
import { serviceHash } from './hash.js';
import {
  type Analysis,
  type AnalyzeOptions,
  type Issue,
  LATEST_VERSION,
  type NucleusError,
  type SupportedVersion,
} from './model.js';
import { issue } from './rules/catalog.js';
import { runRules, type Violation } from './rules/index.js';
import { formatTomlError, parseToml } from './toml/parse.js';
import type { TomlDocument, TomlSyntaxError } from './toml/ast.js';

const PARSE_PREFIX = 'Configuration error: Failed to parse topology: ';

/** An Analysis plus the intermediate results the CLI and tests use (validate's first error, decode errors). */
export interface DetailedAnalysis extends Analysis {
  /** The decode result (sources for locating things, serde errors in order). */
  decoded: DecodeResult;
  /** Every validate() violation in Nucleus's order; `validate` of `inspect` is the first one. */
  violations: Violation[];
}

/** Syntax errors the decoder does not reproduce itself (stage-3 value conversions happen in serde order). */
function syntaxErrors(doc: TomlDocument): TomlSyntaxError[] {
  return doc.errors.filter((e) => e.stage !== 3);
}

/** A zero-width error position (e.g. a missing comma) is widened to the character after it, or before it. */
function visible(text: string, start: number, end: number): { start: number; end: number } {
  if (end > start) return { start, end };
  const c = text.charCodeAt(start);
  if (start < text.length && c !== 10 && c !== 13) return { start, end: start + 1 };
  return start > 0 ? { start: start - 1, end: start } : { start, end };
}

function syntaxIssue(text: string, e: TomlSyntaxError): Issue {
  return issue('toml-syntax', {
    span: visible(text, e.span.start, e.span.end),
    problem: `TOML syntax error: ${e.message}`,
    nucleusMessage: e.message,
    tail: 'Nucleus cannot parse the file (every compose command fails).',
  });
}

function byPosition(a: Issue, b: Issue): number {
  return a.span.start - b.span.start || a.span.end - b.span.end;
}

/**
 * The change hash of every service that decoded exactly (`Analysis.hashes`), for an analysis made without
 * `details` (the editor computes them only when a lens or hover needs one).
 */
export function serviceHashes(
  analysis: Pick<Analysis, 'version' | 'topology' | 'exactServices'>,
): Map<string, string> {
  const hashes = new Map<string, string>();
  const services = analysis.topology?.services;
  if (services === undefined) return hashes;
  for (const name of analysis.exactServices) {
    const def = services.get(name);
    if (def) hashes.set(name, serviceHash(def, analysis.version));
  }
  return hashes;
}

/**
 * Analyses a topology text as Nucleus `options.version` (default: the newest supported) would read it.
 * Never throws on bad input: every problem is an Issue, and `nucleusError` holds what `compose validate`
 * would print first (without the `Error: ` prefix).
 */
export function analyzeTopology(text: string, options: AnalyzeOptions = {}): DetailedAnalysis {
  const version: SupportedVersion = options.version ?? LATEST_VERSION;
  const details = options.details ?? true;
  const toml = parseToml(text);
  const decoded = decodeTopology(toml, version);
  const topology = decoded.topology;
  const issues: Issue[] = [];
  const syntax = syntaxErrors(toml);
  for (const e of syntax) issues.push(syntaxIssue(text, e));
  for (const i of decoded.issues) issues.push(i);

  const graph = buildGraph(topology);
  const violations = runRules({ version, doc: toml, topology, sources: decoded.sources, graph, issues });

  let nucleusError: NucleusError | null = null;
  const firstSyntax = toml.nucleusError && toml.nucleusError.stage !== 3 ? toml.nucleusError : syntax[0];
  const firstDecode = decoded.errors[0];
  if (firstSyntax) {
    nucleusError = {
      phase: 'parse',
      message: PARSE_PREFIX + formatTomlError(text, firstSyntax.span, firstSyntax.message),
      span: firstSyntax.span,
    };
  } else if (firstDecode) {
    nucleusError = {
      phase: 'parse',
      message: PARSE_PREFIX + formatTomlError(text, firstDecode.span, firstDecode.message),
      span: firstDecode.span,
    };
  } else if (violations[0]) {
    nucleusError = {
      phase: 'validate',
      message: `Configuration error: ${violations[0].message}`,
      span: violations[0].issue.span,
    };
  } else if (graph.error !== undefined) {
    const cycleIssue = issues.find((i) => i.code === 'dependency-cycle');
    nucleusError = { phase: 'graph', message: `Configuration error: ${graph.error}` };
    if (cycleIssue) nucleusError.span = cycleIssue.span;
  }

  const hashes = details
    ? serviceHashes({ version, topology, exactServices: decoded.exactServices })
    : new Map<string, string>();

  issues.sort(byPosition);
  return {
    version,
    toml,
    topology,
    exactServices: decoded.exactServices,
    issues,
    nucleusError,
    graph,
    hashes,
    decoded,
    violations,
  };
}
