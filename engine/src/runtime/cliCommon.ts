// What the CLI commands share: option parsing, help and usage errors, reading and loading the file, the nucleus
// port, the state directory, the Nucleus version, Ctrl-C, and exit codes.

import { resolve } from 'node:path';
import { analyzeTopology } from '../analyze.js';
import type { CliIo } from '../cli/commands.js';
import {
  CLI_DEFAULT_VERSION,
  isSupportedVersion,
  type Analysis,
  type Issue,
  type SupportedVersion,
} from '../model.js';
import { LineIndex } from '../text.js';
import type { ApplyOptions } from './apply.js';
import { createNucleusCli, type NucleusCli } from './nucleusCli.js';
import { errorMessage } from './osError.js';
import { readStateDir, type StateSnapshot } from './state.js';
import { resolveStateDir, type StateDirChoice } from './stateDir.js';
import { resolveRuleVersion } from './version.js';

/** Exit codes of the runtime commands (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  planChanged: 3,
  declined: 4,
  nucleusNotFound: 5,
  cancelled: 130,
} as const;

export interface RuntimeArgs {
  file: string;
  json: boolean;
  yes: boolean;
  expectPlan?: string;
  nucleus: string;
  root?: string;
  version?: SupportedVersion;
  timeout: number;
  logDir?: string;
}

const COMMON_HELP = `Common options:
  --nucleus PATH             the nucleus binary (default: 'nucleus' on PATH)
  --root DIR                 Nucleus's state directory (as 'nucleus --root'); forwarded to nucleus
  --nucleus-version V        0.3.8 or 0.3.9: whose hash rules apply (default: what 'nucleus --version' says, else ${CLI_DEFAULT_VERSION})
  --timeout SECS             stop timeout before SIGKILL (default 10)
  --log-dir DIR              where service logs go (default $XDG_STATE_HOME/nucleus-topology/logs)`;

/** Parses `FILE [options]`; `allowed` lists the command-specific flags. Returns a usage message on error. */
export function parseRuntimeArgs(
  args: string[],
  allowed: readonly ('--json' | '--yes' | '--expect-plan')[],
): RuntimeArgs | { usage: string } | { help: true } {
  const out: Partial<RuntimeArgs> & { json: boolean; yes: boolean; timeout: number; nucleus: string } = {
    json: false,
    yes: false,
    timeout: 10,
    nucleus: 'nucleus',
  };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    if (flag === '--help' || flag === '-h') return { help: true };
    if ((flag === '--json' || flag === '--yes' || flag === '-y') && eq < 0) {
      const name = flag === '-y' ? '--yes' : flag;
      if (!allowed.includes(name)) return { usage: `unknown option '${a}'` };
      if (name === '--json') out.json = true;
      else out.yes = true;
      continue;
    }
    if (
      ['--expect-plan', '--nucleus', '--root', '--nucleus-version', '--timeout', '--log-dir'].includes(flag)
    ) {
      const v = value();
      if (v === undefined || v === '') return { usage: `option '${flag}' needs a value` };
      switch (flag) {
        case '--expect-plan':
          if (!allowed.includes('--expect-plan')) return { usage: `unknown option '${flag}'` };
          out.expectPlan = v;
          break;
        case '--nucleus':
          out.nucleus = v;
          break;
        case '--root':
          out.root = v;
          break;
        case '--nucleus-version':
          if (!isSupportedVersion(v)) return { usage: unsupportedVersion(v) };
          out.version = v;
          break;
        case '--timeout': {
          if (!/^\d+$/.test(v)) return { usage: `--timeout needs a whole number of seconds, not '${v}'` };
          out.timeout = Number(v);
          break;
        }
        case '--log-dir':
          out.logDir = v;
          break;
      }
      continue;
    }
    if (a.startsWith('-') && a !== '-') return { usage: `unknown option '${a}'` };
    files.push(a);
  }
  if (files.length !== 1)
    return { usage: files.length === 0 ? 'a topology FILE is required' : 'exactly one FILE' };
  return { ...out, file: files[0] as string };
}

export function commandHelp(usage: string, summary: string, extra: string): string {
  return `Usage: nucleus-topology ${usage}\n\n${summary}\n\n${extra ? `${extra}\n` : ''}${COMMON_HELP}\n`;
}

/**
 * The parsed arguments, or the exit code once `--help` was answered (0) or a usage error reported with the
 * help (2).
 */
export function argsOrExit<T extends object>(
  io: CliIo,
  command: string,
  help: string,
  parsed: T | { usage: string } | { help: true },
): T | number {
  if ('help' in parsed) {
    io.stdout(help);
    return EXIT.ok;
  }
  if ('usage' in parsed) {
    io.stderr(`nucleus-topology ${command}: ${String(parsed.usage)}\n${help}`);
    return EXIT.usage;
  }
  return parsed;
}

/** The usage error of an unsupported `--nucleus-version`. */
function unsupportedVersion(value: string): string {
  return `--nucleus-version must be 0.3.8 or 0.3.9, not '${value}'`;
}

/**
 * For check and inspect: the result of `parse` (a `node:util` parseArgs call, whose errors it throws), or the
 * exit code once `--help` was answered (0) or the parse error reported with the help (2).
 */
export function parsedOrExit<T extends { values: { help?: boolean | undefined } }>(
  io: CliIo,
  command: string,
  help: string,
  parse: () => T,
): T | number {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    io.stderr(`nucleus-topology ${command}: ${errorMessage(error)}\n\n${help}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout(help);
    return EXIT.ok;
  }
  return parsed;
}

/** The `parseArgs` options check and inspect share (read with {@link versionOption} and {@link parsedOrExit}). */
export const ANALYSIS_OPTIONS = {
  'nucleus-version': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The `--nucleus-version` of check and inspect (default {@link CLI_DEFAULT_VERSION}); undefined (exit 2) after saying why. */
export function versionOption(
  io: CliIo,
  command: string,
  value: string | undefined,
): SupportedVersion | undefined {
  const version = value ?? CLI_DEFAULT_VERSION;
  if (isSupportedVersion(version)) return version;
  io.stderr(`nucleus-topology ${command}: ${unsupportedVersion(version)}\n`);
  return undefined;
}

/** Reads FILE (relative to io.cwd); undefined after printing `<prefix>: cannot read FILE: why`. */
export async function readInput(
  io: CliIo,
  file: string,
  prefix = 'nucleus-topology',
): Promise<{ text: string; path: string } | undefined> {
  const path = resolve(io.cwd, file);
  try {
    return { text: await io.readFile(path), path };
  } catch (error) {
    io.stderr(`${prefix}: cannot read ${file}: ${errorMessage(error)}\n`);
    return undefined;
  }
}

/** Reads and analyses the file; undefined (after printing why, exit 2) when it cannot be read. */
export async function loadAnalysis(
  io: CliIo,
  file: string,
  version: SupportedVersion,
): Promise<{ analysis: Analysis; text: string; path: string } | undefined> {
  const input = await readInput(io, file);
  return input && { analysis: analyzeTopology(input.text, { version }), ...input };
}

function makeNucleusCli(opts: RuntimeArgs, io: CliIo): NucleusCli {
  return createNucleusCli({
    binary: opts.nucleus,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    env: io.env,
    cwd: io.cwd,
  });
}

/**
 * The version whose rules apply, by the one resolution the editor uses too (resolveRuleVersion): `--nucleus-version`,
 * else the installed nucleus's, else {@link CLI_DEFAULT_VERSION} (the CLI reads no state files for it: docs/cli.md).
 * `note` says what was assumed when it was not given.
 */
export async function detectVersion(
  opts: RuntimeArgs,
  cli: NucleusCli,
): Promise<{ version: SupportedVersion; note?: string; notFound?: boolean }> {
  if (opts.version !== undefined) return { version: resolveRuleVersion({ setting: opts.version }).version };
  const v = await cli.version();
  const resolved = resolveRuleVersion({ detected: v.version, fallback: CLI_DEFAULT_VERSION });
  if (resolved.source === 'detected') return { version: resolved.version };
  if (resolved.unsupportedDetected !== undefined) {
    return { version: resolved.version, note: `${resolved.note ?? ''} (use --nucleus-version)` };
  }
  return {
    version: resolved.version,
    note: `${v.notFound ? `'${cli.binary}' not found` : `cannot run '${cli.binary} --version' (${v.error ?? '?'})`}; assuming Nucleus ${resolved.version} (use --nucleus-version)`,
    ...(v.notFound ? { notFound: true } : {}),
  };
}

function nucleusNotFoundMessage(binary: string): string {
  return (
    `nucleus-topology: cannot run '${binary}': not found${binary.includes('/') ? '' : ' on PATH'}.\n` +
    `Install Nucleus, or pass --nucleus /path/to/nucleus.\n`
  );
}

/** For commands that run nucleus: its port and the rule version, or exit 5 (said why) when it is not found. */
export async function requireNucleus(
  opts: RuntimeArgs,
  io: CliIo,
): Promise<{ cli: NucleusCli; version: SupportedVersion; note?: string } | number> {
  const cli = makeNucleusCli(opts, io);
  const detected = await detectVersion(opts, cli);
  if (detected.notFound) {
    io.stderr(nucleusNotFoundMessage(cli.binary));
    return EXIT.nucleusNotFound;
  }
  return { cli, version: detected.version, ...(detected.note !== undefined ? { note: detected.note } : {}) };
}

/** The state directory nucleus would use for this user, environment and --root (printing why when unusable). */
function chooseStateDir(opts: RuntimeArgs, io: CliIo): StateDirChoice {
  // A relative --root is relative to the directory nucleus runs in (io.cwd); it is still passed to nucleus as given.
  const root = opts.root !== undefined ? resolve(io.cwd, opts.root) : undefined;
  return resolveStateDir({ ...(root !== undefined ? { root } : {}), host: { env: io.env } });
}

/** {@link chooseStateDir}, or undefined (exit 1) after printing that no directory is usable. */
export function usableStateDir(opts: RuntimeArgs, io: CliIo): (StateDirChoice & { dir: string }) | undefined {
  const dir = chooseStateDir(opts, io);
  if (dir.dir !== null) return { ...dir, dir: dir.dir };
  io.stderr(`Error: no usable Nucleus state directory: ${dir.error ?? ''}\n`);
  return undefined;
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadAnalysis>>>;

/**
 * For apply and restart: nucleus found (its version note printed) and the file loaded, accepted by Nucleus and
 * free of errors it would fail on during up; else the exit code, after saying why.
 */
export async function loadForUp(
  io: CliIo,
  opts: RuntimeArgs,
  verb: 'apply' | 'restart',
): Promise<{ cli: NucleusCli; loaded: Loaded } | number> {
  const nucleus = await requireNucleus(opts, io);
  if (typeof nucleus === 'number') return nucleus;
  if (nucleus.note !== undefined) io.stderr(`Note: ${nucleus.note}\n`);
  const loaded = await loadAnalysis(io, opts.file, nucleus.version);
  if (!loaded) return EXIT.usage;
  const { analysis, text } = loaded;
  if (analysis.nucleusError !== null) {
    io.stderr(`Error: ${analysis.nucleusError.message}\n`);
    return EXIT.failure;
  }
  const errors = analysis.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    io.stderr(
      `Refusing to ${verb}: ${opts.file} has ${errors.length} error${errors.length === 1 ? '' : 's'} (Nucleus would fail during up):\n` +
        formatIssues(opts.file, text, errors),
    );
    return EXIT.failure;
  }
  return { cli: nucleus.cli, loaded };
}

/**
 * For the read-only commands (plan, state): the rule version (a missing nucleus only adds a note), the loaded
 * file, the state directory and what it holds; else the exit code, after saying why.
 */
export async function loadWithState(
  io: CliIo,
  opts: RuntimeArgs,
): Promise<
  | {
      version: SupportedVersion;
      note?: string;
      loaded: Loaded;
      dir: StateDirChoice & { dir: string };
      snapshot: StateSnapshot;
    }
  | number
> {
  const { version, note } = await detectVersion(opts, makeNucleusCli(opts, io));
  const loaded = await loadAnalysis(io, opts.file, version);
  if (!loaded) return EXIT.usage;
  const dir = usableStateDir(opts, io);
  if (!dir) return EXIT.failure;
  const snapshot = await readStateDir(dir.dir);
  return { version, ...(note !== undefined ? { note } : {}), loaded, dir, snapshot };
}

/** The options of a runtime operation given on the command line; progress lines are printed. */
export function runtimeOptions(
  opts: RuntimeArgs,
  io: CliIo,
  cli: NucleusCli,
  stateDir: string,
  signal: AbortSignal,
): ApplyOptions {
  return {
    cli,
    stateDir,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    stopTimeoutSecs: opts.timeout,
    ...(opts.logDir !== undefined ? { logDir: opts.logDir } : {}),
    env: io.env,
    // Nucleus's own failure lines go to stderr as it prints them, the rest to stdout.
    onProgress: (e) => {
      if (e.kind === 'failed') io.stderr(`${e.message}\n`);
      else io.stdout(`${e.message}\n`);
    },
    signal,
  };
}

/** Runs `work` with a signal that Ctrl-C (SIGINT) aborts. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The exit code of a finished runtime operation (a refusal's reason is printed; failures printed themselves). */
export function exitOf(
  io: CliIo,
  status: 'ok' | 'failed' | 'refused' | 'cancelled',
  error: string | undefined,
): number {
  switch (status) {
    case 'ok':
      return EXIT.ok;
    case 'cancelled':
      return EXIT.cancelled;
    case 'refused':
      io.stderr(`Error: ${error ?? 'refused'}\n`);
      return EXIT.failure;
    case 'failed':
      return EXIT.failure;
  }
}

/** `file:line:col: message` lines for error issues (at most `max`). */
export function formatIssues(path: string, text: string, issues: readonly Issue[], max = 20): string {
  const index = new LineIndex(text);
  const lines = issues.slice(0, max).map((i) => {
    const { line, column } = index.lineColumnAt(i.span.start);
    return `  ${path}:${line}:${column}: ${i.severity}: ${i.message}`;
  });
  if (issues.length > max) lines.push(`  … and ${issues.length - max} more`);
  return lines.join('\n') + '\n';
}
