// The nucleus test double's argv log (NUCLEUS_DOUBLE_LOG), the cleanup of the supervisors it left running, and a
// temporary folder to run it in, for unit and e2e tests alike (no node:test, no vscode). PIDs wrap fast on CI
// (pid_max 32768), so a logged pid is only ever signalled after its /proc start ticks prove it is still the
// process that logged it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One invocation of the double, as it logged it. */
export interface DoubleCall {
  pid: number;
  /** Field 22 of /proc/<pid>/stat of that invocation (absent in logs of older doubles). */
  start_ticks?: string;
  argv: string[];
  secrets_sha256?: string;
}

/** Every invocation logged in `file` so far (none when it does not exist yet). */
export function readDoubleLog(file: string): DoubleCall[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as DoubleCall);
}

/** The nucleus subcommand of a call (after global options such as `--root DIR`). */
export function doubleSubcommand(call: DoubleCall): string | undefined {
  const argv = [...call.argv];
  while (argv[0] === '--root' || argv[0] === '--log' || argv[0] === '--log-format') argv.splice(0, 2);
  return argv[0];
}

/** Start ticks and process group of a live pid (fields 22 and 5 of /proc/<pid>/stat); null when it is gone. */
function procOf(pid: number): { ticks: string; pgid: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // As the product parses it: the fields after the last ')' (the command name may contain anything).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(/\s+/);
  return { ticks: fields[19] ?? '', pgid: Number(fields[2]) };
}

function kill(target: number): boolean {
  try {
    process.kill(target, 'SIGKILL');
    return true;
  } catch {
    return false; // ESRCH: already gone
  }
}

/**
 * SIGKILLs every `create` supervisor of `calls` (optionally only those `which` selects) that is still alive, with
 * its workload. The engine starts `nucleus create` detached, so each supervisor leads its own process group, and
 * the whole group (supervisor, `sh` workload, its `sleep`) goes at once. Safe against PID reuse: a live pid whose
 * start ticks differ from the logged ones is someone else's process (and then our group is gone: Linux never
 * reuses a pid still used as a process group id); a dead leader's group is still ours while it has members.
 * Returns the pids whose group was signalled.
 */
export function killDoubleSupervisors(
  calls: readonly DoubleCall[],
  which: (call: DoubleCall) => boolean = () => true,
): number[] {
  const killed: number[] = [];
  for (const call of calls) {
    if (doubleSubcommand(call) !== 'create' || !which(call)) continue;
    // No ticks logged (an old double): never guess, leave it.
    if (call.start_ticks === undefined) continue;
    const proc = procOf(call.pid);
    if (proc !== null && proc.ticks !== call.start_ticks) continue; // reused: not ours, and our group is gone
    // Alive and ours: its group when it leads one (detached), else just it (its workload follows within 1 s).
    // Dead: its group, if members are left (only ours can have that id).
    const target = proc !== null && proc.pgid !== call.pid ? call.pid : -call.pid;
    if (kill(target)) killed.push(call.pid);
  }
  return killed;
}

/** A temporary folder for tests that run the double: its state root, log folder and argv log are inside. */
export interface DoubleWorkspace {
  /** The nucleus test double (test/double/nucleus). */
  double: string;
  work: string;
  root: string;
  logDir: string;
  argvLog: string;
  /** The process environment with NUCLEUS_DOUBLE_LOG set to `argvLog`. */
  env: NodeJS.ProcessEnv;
  /** Every invocation of the double logged so far. */
  entries: () => DoubleCall[];
  /** Kills the supervisors the double left running, then removes the folder (for `after`). */
  cleanup: () => void;
}

/** A new {@link DoubleWorkspace} named after `prefix` in the system's temporary folder. */
export function doubleWorkspace(prefix: string): DoubleWorkspace {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const argvLog = join(work, 'argv.log');
  const entries = () => readDoubleLog(argvLog);
  return {
    // Resolved here rather than at import, so that importing this module from a CJS bundle stays harmless.
    double: new URL('../double/nucleus', import.meta.url).pathname,
    work,
    root: join(work, 'state'),
    logDir: join(work, 'logs'),
    argvLog,
    env: { ...process.env, NUCLEUS_DOUBLE_LOG: argvLog },
    entries,
    cleanup: () => {
      killDoubleSupervisors(entries());
      rmSync(work, { recursive: true, force: true });
    },
  };
}
