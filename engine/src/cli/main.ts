// `nucleus-topology` command-line entry: parses argv, dispatches to one module per subcommand.
// Exit codes: 0 ok, 1 problems found / operation failed, 2 usage error or unreadable input.

import { commands, type CliIo } from './commands.js';

const USAGE = `Usage: nucleus-topology <command> [options]

Commands:
${commands.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`).join('\n')}

Run 'nucleus-topology <command> --help' for a command's options.`;

/** Runs the CLI with the given arguments (without node and script path); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${io.version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`nucleus-topology: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  return command.run(rest, io);
}
