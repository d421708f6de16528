// The topology terminals: one per topology file ("Nucleus: shop"), reused for every command on it, started with
// an argument vector (shellPath + shellArgs, never a shell string), with every start and exit code logged.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { config } from './config.js';
import type { Ctx } from './ctx.js';
import { nucleusService } from './nucleusService.js';
import { buildCliArgv, buildNucleusArgv, formatArgv, topologyTerminalName } from './terminalArgv.js';
import { parseWrapperReport, WRAPPER_BUNDLE, wrapArgv } from './terminalWrapper.js';
import { ensureTrusted } from './trust.js';

export interface TopologyRunOptions {
  /** What runs, for the log and messages: "Plan", "Apply", "Attach web", … */
  title: string;
  /**
   * 'cli' (default): the arguments go to the bundled `nucleus-topology` CLI, run with the editor's runtime.
   * 'nucleus': they go to the nucleus binary itself (located as the commands locate it; explained if missing).
   */
  program?: 'cli' | 'nucleus';
  /** Focus the terminal instead of keeping the cursor in the editor (default false). */
  focus?: boolean;
}

interface Run {
  terminal: vscode.Terminal;
  title: string;
  token: string;
  running: boolean;
  finish: (code: number | undefined) => void;
}

/** One entry per topology file (URI string): its terminal and the run in it. */
const runs = new Map<string, Run>();
let reporter: Promise<ExitReporter> | undefined;

/**
 * Runs `cliArgs` for the topology file `topologyUri` in its terminal "Nucleus: <name>" (cwd: the file's folder)
 * and resolves with the exit code when the process ends (the terminal then stays open until a key is pressed),
 * or undefined when nothing was started (untrusted workspace, nucleus missing for 'nucleus', user said no) or
 * the terminal was closed before the process reported.
 *
 * A finished terminal of the same file is replaced; a running one is shown and the user is asked before it is
 * stopped. Workspace Trust is checked first and again right before spawning. With `nucleus.useSudo` the
 * process runs through `sudo` in the terminal, so the password prompt works.
 */
export async function runInTopologyTerminal(
  ctx: Ctx,
  topologyUri: vscode.Uri,
  cliArgs: readonly string[],
  options: TopologyRunOptions,
): Promise<number | undefined> {
  const { title } = options;
  if (!ensureTrusted(ctx, title)) return undefined;
  if (topologyUri.scheme !== 'file') {
    void vscode.window.showWarningMessage(`Nucleus: ${title} needs a topology file saved on disk.`);
    return undefined;
  }
  const key = topologyUri.toString();
  const previous = runs.get(key);
  if (previous?.running) {
    previous.terminal.show(true);
    const stop = 'Stop It and Run';
    const choice = await vscode.window.showWarningMessage(
      `Nucleus: ${previous.title} is still running in '${previous.terminal.name}'.`,
      { modal: true, detail: `Stop it and run ${title} instead?` },
      stop,
    );
    if (choice !== stop) return undefined;
  }

  const useSudo = config.useSudo(topologyUri);
  let argv: { argv: string[]; env: Record<string, string> };
  if (options.program === 'nucleus') {
    const location = nucleusService(ctx).locate();
    if (!location.found) {
      nucleusService(ctx).explainMissing(title);
      return undefined;
    }
    argv = buildNucleusArgv(location.path, cliArgs, useSudo);
  } else {
    argv = buildCliArgv({
      execPath: process.execPath,
      cliPath: ctx.extension.asAbsolutePath('dist/cli.js'),
      cliArgs,
      useSudo,
    });
  }

  // Checked again right before spawning: trust can be revoked while a question above was open.
  if (!ensureTrusted(ctx, title)) return undefined;
  const exits = await exitReporter(ctx);
  const stale = runs.get(key);
  if (stale) {
    runs.delete(key);
    await disposeTerminal(stale.terminal);
  }

  const token = randomBytes(16).toString('hex');
  const cwd = dirname(topologyUri.fsPath);
  const name = topologyTerminalName(topologyUri.fsPath);
  const launch = wrapArgv(
    process.execPath,
    ctx.extension.asAbsolutePath(WRAPPER_BUNDLE),
    exits.socketPath,
    token,
    argv.argv,
  );
  ctx.log.info(
    `${title}: starting in terminal '${name}' (cwd ${JSON.stringify(cwd)}): ${formatArgv(argv.argv)}`,
  );
  const terminal = vscode.window.createTerminal({
    name,
    shellPath: launch.shellPath,
    shellArgs: launch.shellArgs,
    cwd,
    // The wrapper and the CLI run on the editor's runtime: Electron's binary must act as Node.
    env: { ELECTRON_RUN_AS_NODE: '1', ...argv.env },
    iconPath: new vscode.ThemeIcon('server-process'),
    // A finished run is not worth restoring after a reload.
    isTransient: true,
  });

  return new Promise<number | undefined>((resolve) => {
    const run: Run = {
      terminal,
      title,
      token,
      running: true,
      finish: (code) => {
        if (!run.running) return;
        run.running = false;
        exits.forget(token);
        if (code === 0) ctx.log.info(`${title}: exit code 0`);
        else if (code === undefined)
          ctx.log.warn(`${title}: the terminal was closed before the process ended`);
        else ctx.log.warn(`${title}: exit code ${code}`);
        resolve(code);
      },
    };
    runs.set(key, run);
    exits.expect(token, (code) => run.finish(code));
    terminal.show(!options.focus);
  });
}

/** Closes a terminal and waits until VS Code reports it closed, so its successor is the only one with its name. */
function disposeTerminal(terminal: vscode.Terminal): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.window.onDidCloseTerminal((closed) => {
      if (closed !== terminal) return;
      subscription.dispose();
      clearTimeout(timer);
      resolve();
    });
    // Never block a new run on a close event that does not come (e.g. the terminal was already gone).
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve();
    }, 3000);
    terminal.dispose();
  });
}

let watching = false;

/** Tracks the terminals' lifecycle; registered once per extension. */
function watchTerminals(ctx: Ctx): void {
  if (watching) return;
  watching = true;
  ctx.pushExtCleanup(
    vscode.window.onDidCloseTerminal((terminal) => {
      for (const [key, run] of runs) {
        if (run.terminal !== terminal) continue;
        runs.delete(key);
        ctx.log.debug(
          `Terminal '${terminal.name}' closed (exit status ${terminal.exitStatus?.code ?? 'unknown'})`,
        );
        // The wrapper reports the real process's code first; a terminal killed mid-run reports nothing.
        run.finish(undefined);
      }
    }),
  );
  ctx.pushExtCleanup({
    dispose: () => {
      for (const run of runs.values()) run.finish(undefined);
      runs.clear();
      watching = false;
    },
  });
}

/**
 * A local socket the terminal wrapper reports exit codes to (`<token> <code>`), so a run's result is known the
 * moment its process ends rather than when the user closes the terminal. Tokens are random per run.
 */
class ExitReporter implements vscode.Disposable {
  private readonly pending = new Map<string, (code: number) => void>();

  private constructor(
    private readonly server: Server,
    readonly socketPath: string,
  ) {}

  static start(ctx: Ctx): Promise<ExitReporter> {
    const socketPath = join(
      tmpdir(),
      `nucleus-topology-${process.pid}-${randomBytes(6).toString('hex')}.sock`,
    );
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => {
        let data = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          data += chunk;
          if (data.length > 256) socket.destroy();
        });
        socket.on('end', () => {
          const report = parseWrapperReport(data);
          const callback = report && instance.pending.get(report.token);
          if (report && callback) callback(report.code);
        });
        socket.on('error', () => undefined);
      });
      const instance = new ExitReporter(server, socketPath);
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        server.on('error', (error) => ctx.log.warn('Terminal exit reporter failed', error));
        resolve(instance);
      });
    });
  }

  expect(token: string, callback: (code: number) => void): void {
    this.pending.set(token, callback);
  }

  forget(token: string): void {
    this.pending.delete(token);
  }

  dispose(): void {
    this.pending.clear();
    this.server.close();
    rmSync(this.socketPath, { force: true });
  }
}

function exitReporter(ctx: Ctx): Promise<ExitReporter> {
  if (!reporter) {
    const starting = ExitReporter.start(ctx);
    reporter = starting;
    watchTerminals(ctx);
    ctx.pushExtCleanup({
      dispose: () => {
        reporter = undefined;
        void starting.then((r) => r.dispose()).catch(() => undefined);
      },
    });
    // A failed start is retried by the next run rather than remembered.
    starting.catch(() => {
      if (reporter === starting) reporter = undefined;
    });
  }
  return reporter;
}
