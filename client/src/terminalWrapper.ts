// The tiny program each topology terminal runs (with `node -e`): it starts the real argv on the terminal's own
// pty (so sudo's password prompt and Ctrl-C work), reports the exit code to the extension over a local socket the
// moment the process ends, and keeps the terminal open until a key is pressed so the output stays readable.
// Why: a terminal created with shellPath/shellArgs closes the instant its process exits (`waitOnExit` is not
// public API), which would throw away the plan the user asked to see. Pure: no `vscode` import.

/**
 * JavaScript run as `<node> -e WRAPPER_SOURCE -- <socket> <token> <program> <args…>`. A constant: the user's
 * data (file names) only reaches it as argv. ELECTRON_RUN_AS_NODE must be set for Electron's binary.
 */
export const WRAPPER_SOURCE = String.raw`
const [socketPath, token, program, ...args] = process.argv.slice(1);
const { spawn } = require('node:child_process');
const net = require('node:net');
const os = require('node:os');
// The child is in the terminal's foreground process group and gets Ctrl-C itself; we outlive it to report.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
let done = false;
function report(code) {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath, () => socket.end(token + ' ' + code + '\n'));
    socket.on('close', resolve);
    socket.on('error', resolve);
  });
}
async function finish(code, note) {
  if (done) return;
  done = true;
  await report(code);
  const mark = code === 0 ? '\u2714' : '\u2718';
  process.stdout.write('\r\n\x1b[2m' + mark + ' ' + note + '. Press any key to close this terminal.\x1b[0m');
  if (!process.stdin.isTTY) process.exit(code);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  process.stdin.once('data', () => process.exit(code));
}
let child;
try {
  child = spawn(program, args, { stdio: 'inherit' });
} catch (error) {
  process.stderr.write('Cannot start ' + program + ': ' + error.message + '\r\n');
  void finish(127, 'not started');
}
if (child) {
  child.on('error', (error) => {
    process.stderr.write('Cannot start ' + program + ': ' + error.message + '\r\n');
    void finish(127, 'not started');
  });
  child.on('exit', (code, signal) => {
    const n = code !== null ? code : 128 + (os.constants.signals[signal] || 0);
    void finish(n, code !== null ? 'exit code ' + code : 'ended by ' + signal);
  });
}
`;

/** The wrapper's report line (`<token> <code>`) parsed; undefined when it is not one. */
export function parseWrapperReport(line: string): { token: string; code: number } | undefined {
  const match = /^([0-9a-f]{8,64}) (\d{1,3})\s*$/.exec(line);
  if (!match) return undefined;
  return { token: match[1] as string, code: Number(match[2]) };
}

/** The shell-less terminal launch: `shellPath` is the runtime, `shellArgs` the wrapper then the real argv. */
export function wrapArgv(
  execPath: string,
  socketPath: string,
  token: string,
  argv: readonly string[],
): { shellPath: string; shellArgs: string[] } {
  return { shellPath: execPath, shellArgs: ['-e', WRAPPER_SOURCE, '--', socketPath, token, ...argv] };
}
