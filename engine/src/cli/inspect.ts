// `nucleus-topology inspect FILE --json`: everything Nucleus would compute for the file, in the exact field
// names and value formats of the conformance vectors (parse, validate, graph, hashes, run args, …), plus the
// engine's diagnostics.

import { parseArgs } from 'node:util';
import { analyzeTopology } from '../analyze.js';
import { postStartWait } from '../graph.js';
import { serviceJson } from '../hash.js';
import { CLI_DEFAULT_VERSION, type SupportedVersion } from '../model.js';
import { buildRunArgs, secretsPayload } from '../runArgs.js';
import { LineIndex } from '../text.js';
import { validateHealthCheckCommand } from '../values/healthCheck.js';
import { ANALYSIS_OPTIONS, parsedOrExit, readInput, versionOption } from '../runtime/cliCommon.js';
import type { CliCommand } from './commands.js';

type ErrorField = { error: string };

export interface InspectDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

/** The `inspect --json` object: the conformance vector fields (null after a parse error) + diagnostics. */
export interface InspectResult {
  parse: 'ok' | ErrorField;
  validate: 'ok' | ErrorField | null;
  graph: { startup_order: string[]; shutdown_order: string[] } | ErrorField | null;
  services: string[] | null;
  hashes: Record<string, string> | null;
  service_json: Record<string, string> | null;
  run_args: Record<string, string[] | ErrorField> | null;
  secrets_payload: Record<string, string> | null;
  post_start_wait: Record<string, 'Started' | 'Healthy'> | null;
  health_check_valid: Record<string, true | string> | null;
  diagnostics: InspectDiagnostic[];
}

/** Computes the inspect object for a text (what the command prints). */
function inspectTopology(text: string, version: SupportedVersion): InspectResult {
  const analysis = analyzeTopology(text, { version });
  const lines = new LineIndex(text);
  const diagnostics = analysis.issues.map((i) => ({
    range: { start: lines.positionAt(i.span.start), end: lines.positionAt(i.span.end) },
    severity: i.severity,
    code: i.code,
    message: i.message,
  }));
  const err = analysis.nucleusError;
  if (err?.phase === 'parse') {
    return {
      parse: { error: err.message },
      validate: null,
      graph: null,
      services: null,
      hashes: null,
      service_json: null,
      run_args: null,
      secrets_payload: null,
      post_start_wait: null,
      health_check_valid: null,
      diagnostics,
    };
  }
  const topology = analysis.topology;
  const graph = analysis.graph;
  const first = analysis.violations[0];
  const services = Array.from(topology?.services.keys() ?? []);
  const hashes: Record<string, string> = {};
  const json: Record<string, string> = {};
  const runArgs: Record<string, string[] | ErrorField> = {};
  const secrets: Record<string, string> = {};
  const health: Record<string, true | string> = {};
  for (const name of services) {
    const def = topology?.services.get(name);
    if (!def) continue;
    const hash = analysis.hashes.get(name) ?? '';
    hashes[name] = hash;
    json[name] = serviceJson(def, version);
    const args = topology ? buildRunArgs(topology, name, { hash, version, secretsFd: 3 }) : { error: '' };
    runArgs[name] = 'args' in args ? args.args : { error: args.error };
    if (def.secrets.length > 0) secrets[name] = secretsPayload(def);
    if (def.health_check !== null) {
      const hc = validateHealthCheckCommand(def.health_check);
      health[name] = hc.ok ? true : `Configuration error: ${hc.error}`;
    }
  }
  let graphField: InspectResult['graph'] = null;
  let wait: InspectResult['post_start_wait'] = null;
  if (graph) {
    if (graph.error !== undefined) graphField = { error: `Configuration error: ${graph.error}` };
    else {
      graphField = { startup_order: graph.startupOrder, shutdown_order: graph.shutdownOrder };
      wait = {};
      for (const name of services) wait[name] = postStartWait(graph, name);
    }
  }
  return {
    parse: 'ok',
    validate: first ? { error: `Configuration error: ${first.message}` } : 'ok',
    graph: graphField,
    services,
    hashes,
    service_json: json,
    run_args: runArgs,
    secrets_payload: secrets,
    post_start_wait: wait,
    health_check_valid: health,
    diagnostics,
  };
}

const HELP = `Usage: nucleus-topology inspect FILE --json [--nucleus-version 0.3.8|0.3.9]

Prints one JSON object with what Nucleus computes for FILE: parse, validate, graph (startup/shutdown order),
services, hashes, service_json, run_args (the 'nucleus create' arguments of 'compose up'), secrets_payload,
post_start_wait, health_check_valid (all null after a parse error), plus the engine's diagnostics
(0-based UTF-16 ranges).

Options:
  --json                     required: JSON is the only output format
  --nucleus-version V        0.3.8 or 0.3.9: whose rules and hash format apply (default ${CLI_DEFAULT_VERSION})
  -h, --help                 this help

Exit status: 0 when the file parses and validates, 1 otherwise, 2 for usage errors or an unreadable file.
`;

export const inspectCommand: CliCommand = {
  name: 'inspect',
  usage: 'inspect FILE --json',
  summary: 'print what Nucleus computes for FILE (validate, order, hashes, run args) as JSON',
  async run(args, io) {
    const parsed = parsedOrExit(io, 'inspect', HELP, () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          json: { type: 'boolean' },
          ...ANALYSIS_OPTIONS,
        },
      }),
    );
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const version = versionOption(io, 'inspect', values['nucleus-version']);
    if (version === undefined) return 2;
    if (!values.json) {
      io.stderr(`nucleus-topology inspect: --json is required (JSON is the only output format)\n\n${HELP}`);
      return 2;
    }
    if (positionals.length !== 1) {
      io.stderr(`nucleus-topology inspect: expected exactly one FILE\n\n${HELP}`);
      return 2;
    }
    const file = positionals[0] as string;
    const input = await readInput(io, file, 'nucleus-topology inspect');
    if (!input) return 2;
    const result = inspectTopology(input.text, version);
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return result.parse === 'ok' && result.validate === 'ok' && !(result.graph && 'error' in result.graph)
      ? 0
      : 1;
  },
};
