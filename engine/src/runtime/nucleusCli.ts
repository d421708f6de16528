// Every process the engine starts: the `nucleus` binary through execa (create detached, stop, attach, --version).
// This is the only module that imports execa; apply/down take the NucleusCli port so tests can pass another.

import { execa } from 'execa';
import { closeSync, constants, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rustOsError } from './osError.js';

/** The outcome of a short `nucleus` command. */
export interface CliRun {
  /** null when killed or not started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The binary could not be executed at all (ENOENT, EACCES): a Rust-style OS error text. */
  spawnError?: string;
  /** True when the binary does not exist. */
  notFound?: boolean;
}

/** A detached `nucleus create` (the container's supervisor), which keeps running after we exit. */
export interface CreateProcess {
  pid: number;
  /** The log file its stdout/stderr are appended to. */
  logFile: string;
  /** Null while it runs; its exit once it ended (seen only while this process is alive). */
  exit(): { code: number | null; signal: string | null } | null;
}

/** The port apply/down/state use to drive Nucleus. */
export interface NucleusCli {
  /** The binary run (a path, or a name looked up on PATH). */
  readonly binary: string;
  /** `--root` forwarded to stop/attach (create gets it inside its argument list). */
  readonly root?: string;
  /** `nucleus --version`: the x.y.z it prints, or why it could not be run. */
  version(): Promise<{ version: string | null; output: string; notFound?: boolean; error?: string }>;
  /**
   * Spawns `<binary> <args>` detached in its own session, stdin /dev/null, stdout/stderr appended to `logFile`,
   * `secrets` (if any) in an anonymous 0600 file inherited as fd 3. Resolves once spawned; rejects with Nucleus's
   * `Failed to start service …` reason (an OS error text) if it could not be.
   */
  spawnCreate(
    args: string[],
    options: { logFile: string; secrets?: string; header?: string },
  ): Promise<CreateProcess>;
  /** `nucleus [--root R] stop <ref> -t <secs>`. */
  stop(ref: string, timeoutSecs: number, signal?: AbortSignal): Promise<CliRun>;
  /** `nucleus [--root R] attach <ref> -- <command…>`, killed after `timeoutMs`. */
  attach(ref: string, command: string[], timeoutMs: number, signal?: AbortSignal): Promise<CliRun>;
}

export interface NucleusCliOptions {
  /** Default `nucleus` (looked up on PATH). */
  binary?: string;
  root?: string;
  env?: NodeJS.ProcessEnv;
  /** Working directory of every nucleus run (relative `--root` and secret sources resolve against it). */
  cwd?: string;
}

// Linux O_TMPFILE (includes O_DIRECTORY): an unnamed file, like Rust's tempfile::tempfile().
const O_TMPFILE = 0o20200000;

export function createNucleusCli(options: NucleusCliOptions = {}): NucleusCli {
  const binary = options.binary ?? 'nucleus';
  const root = options.root;
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const global = (): string[] => (root !== undefined ? ['--root', root] : []);

  const run = async (args: string[], timeoutMs: number, signal?: AbortSignal): Promise<CliRun> => {
    const result = await execa(binary, args, {
      env,
      cwd,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      ...(signal ? { cancelSignal: signal } : {}),
      stripFinalNewline: false,
    });
    const out: CliRun = {
      exitCode: result.exitCode ?? null,
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      timedOut: result.timedOut,
    };
    const code = (result as { code?: string }).code;
    if (result.failed && result.exitCode === undefined && !result.timedOut && !result.isCanceled && code) {
      out.spawnError = rustOsError(result.cause ?? { code });
      out.notFound = code === 'ENOENT';
    }
    return out;
  };

  return {
    binary,
    ...(root !== undefined ? { root } : {}),

    async version() {
      const r = await run(['--version'], 10_000);
      if (r.spawnError !== undefined) {
        return { version: null, output: '', error: r.spawnError, ...(r.notFound ? { notFound: true } : {}) };
      }
      const output = (r.stdout + r.stderr).trim();
      const m = /(\d+\.\d+\.\d+)/.exec(output);
      if (r.exitCode !== 0 || !m)
        return { version: null, output, error: `'${binary} --version' gave: ${output}` };
      return { version: m[1] as string, output };
    },

    async spawnCreate(args, { logFile, secrets, header }) {
      mkdirSync(dirname(logFile), { recursive: true, mode: 0o700 });
      const logFd = openSync(logFile, 'a', 0o600);
      let secretsFd: number | undefined;
      try {
        if (header !== undefined) writeSync(logFd, header);
        if (secrets !== undefined) {
          secretsFd = anonymousFile();
          // Positional write: the shared file offset stays at 0 for the child to read from the start.
          writeSync(secretsFd, secrets, 0);
        }
        const stdio =
          secretsFd !== undefined ? ['ignore', logFd, logFd, secretsFd] : ['ignore', logFd, logFd];
        const child = execa(binary, args, {
          env,
          cwd,
          extendEnv: false,
          // execa passes any fd number through to child_process.spawn; its types only list 3–9 as literals.
          stdio: stdio as unknown as ['ignore', 3, 3],
          detached: true,
          cleanup: false,
          reject: false,
          buffer: false,
        });
        let exit: { code: number | null; signal: string | null } | null = null;
        child.on('exit', (code, signal) => {
          exit = { code, signal };
        });
        await new Promise<void>((resolve, reject) => {
          child.once('spawn', () => resolve());
          child.once('error', (e) => reject(new Error(rustOsError(e))));
        });
        child.unref();
        // Settle execa's promise quietly: the supervisor outlives us and its exit is read through exit().
        child.then(
          () => undefined,
          () => undefined,
        );
        return { pid: child.pid as number, logFile, exit: () => exit };
      } finally {
        closeSync(logFd);
        if (secretsFd !== undefined) closeSync(secretsFd);
      }
    },

    stop(ref, timeoutSecs, signal) {
      // nucleus stop waits up to timeoutSecs before SIGKILL; give it that plus a margin.
      return run([...global(), 'stop', ref, '-t', String(timeoutSecs)], (timeoutSecs + 15) * 1000, signal);
    },

    attach(ref, command, timeoutMs, signal) {
      return run([...global(), 'attach', ref, '--', ...command], timeoutMs, signal);
    },
  };
}

/** An anonymous 0600 file (O_TMPFILE, else created and unlinked at once). */
function anonymousFile(): number {
  const dir = tmpdir();
  try {
    return openSync(dir, O_TMPFILE | constants.O_RDWR, 0o600);
  } catch {
    const path = join(
      dir,
      `nucleus-topology-secrets-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
    unlinkSync(path);
    return fd;
  }
}
