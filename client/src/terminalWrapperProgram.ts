// The program each topology terminal runs, bundled on its own to dist/terminal-wrapper.js and started by the
// editor's runtime as `<execPath> dist/terminal-wrapper.js <socket> <token> <program> <args…>`: it starts the real
// argv on the terminal's own pty (so sudo's password prompt and Ctrl-C work), reports the exit code to the extension
// over a local socket the moment the process ends, and keeps the terminal open until a key is pressed so the output
// stays readable. Why: a terminal created with shellPath/shellArgs closes the instant its process exits
// (`waitOnExit` is not public API), which would throw away the plan the user asked to see.
// Runs on load (it is an entry point, never imported). No `vscode` import: it runs outside the extension host.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { constants } from 'node:os';

/** Exit code reported when the program cannot be started at all (as a shell says "command not found"). */
const NOT_STARTED = 127;

const [socketPath, token, program, ...args] = process.argv.slice(2);

/** Sends `<token> <code>` to the extension; resolves once the socket is closed or failed (never rejects). */
function report(code: number): Promise<void> {
  return new Promise((resolve) => {
    if (socketPath === undefined || token === undefined) {
      resolve();
      return;
    }
    const socket = connect(socketPath, () => socket.end(`${token} ${code}\n`));
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

let done = false;

/** Reports once, says how it ended, then waits for a key (a terminal) or exits at once (no terminal: tests). */
async function finish(code: number, note: string): Promise<void> {
  if (done) return;
  done = true;
  await report(code);
  const mark = code === 0 ? '\u2714' : '\u2718';
  process.stdout.write(`\r\n\x1b[2m${mark} ${note}. Press any key to close this terminal.\x1b[0m`);
  if (!process.stdin.isTTY) process.exit(code);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  process.stdin.once('data', () => process.exit(code));
}

function cannotStart(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Cannot start ${program ?? '(nothing)'}: ${message}\r\n`);
  void finish(NOT_STARTED, 'not started');
}

/** 128 + the signal's number, as shells report a process ended by a signal. */
function signalExitCode(signal: NodeJS.Signals | null): number {
  return 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
}

function main(): void {
  if (socketPath === undefined || token === undefined || program === undefined) {
    process.stderr.write('usage: terminal-wrapper <socket> <token> <program> [args…]\n');
    process.exit(2);
  }
  // The child is in the terminal's foreground process group and gets Ctrl-C itself; we outlive it to report.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  let child: ChildProcess;
  try {
    child = spawn(program, args, { stdio: 'inherit' });
  } catch (error) {
    cannotStart(error);
    return;
  }
  child.on('error', cannotStart);
  child.on('exit', (code, signal) => {
    void finish(
      code ?? signalExitCode(signal),
      code !== null ? `exit code ${code}` : `ended by ${signal ?? 'a signal'}`,
    );
  });
}

main();
