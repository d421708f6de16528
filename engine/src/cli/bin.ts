// Process entry of the `nucleus-topology` CLI (bundled to dist/cli.js): wires runCli to the real process.

import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { decodeUtf8Strict } from '../text.js';
import { runCli } from './main.js';

declare const NUCLEUS_TOPOLOGY_VERSION: string | undefined;

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  readFile: async (path: string) => decodeUtf8Strict(await readFile(path)),
  cwd: process.cwd(),
  env: process.env,
  version: typeof NUCLEUS_TOPOLOGY_VERSION === 'string' ? NUCLEUS_TOPOLOGY_VERSION : 'dev',
  async confirm(question: string): Promise<boolean> {
    if (!process.stdin.isTTY) return false;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  },
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `nucleus-topology: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
