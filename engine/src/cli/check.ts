// `nucleus-topology check FILE...`: every problem of each topology file, one line each
// (`path:line:col: severity code message`) or as JSON; exit 1 when any error.

import { parseArgs } from 'node:util';
import { analyzeTopology } from '../analyze.js';
import { CLI_DEFAULT_VERSION, type Issue, type NucleusError, type SupportedVersion } from '../model.js';
import { LineIndex } from '../text.js';
import { ANALYSIS_OPTIONS, parsedOrExit, readInput, versionOption } from '../runtime/cliCommon.js';
import type { CliCommand } from './commands.js';

const HELP = `Usage: nucleus-topology check FILE... [--format text|json] [--nucleus-version 0.3.8|0.3.9]

Checks topology files as Nucleus would read them and reports every problem: what 'nucleus compose validate'
rejects, what only 'compose up' would fail on, and what Nucleus silently ignores.

Output (text): one line per problem, 'path:line:column: error|warning|info CODE message' (1-based line and
column; hints are printed as info). JSON: {"files":[{"path","version","nucleusError","issues":[…]}]}.

Options:
  --format text|json         output format (default text)
  --nucleus-version V        0.3.8 or 0.3.9: whose rules apply (default ${CLI_DEFAULT_VERSION})
  -h, --help                 this help

Exit status: 0 no errors (warnings allowed), 1 some file has an error, 2 usage error or unreadable file
(the other files are still checked).
`;

function severityWord(issue: Issue): 'error' | 'warning' | 'info' {
  return issue.severity === 'error' ? 'error' : issue.severity === 'warning' ? 'warning' : 'info';
}

/** One text line per issue; line breaks inside messages are shown as `\n` so each issue stays on one line. */
function formatCheckLines(path: string, text: string, issues: readonly Issue[]): string[] {
  const lines = new LineIndex(text);
  return issues.map((i) => {
    const { line, column } = lines.lineColumnAt(i.span.start);
    const message = i.message.replace(/\r?\n/g, '\\n');
    return `${path}:${line}:${column}: ${severityWord(i)} ${i.code} ${message}`;
  });
}

interface FileReport {
  path: string;
  version: SupportedVersion;
  nucleusError: NucleusError | null;
  issues: {
    code: string;
    severity: Issue['severity'];
    message: string;
    line: number;
    column: number;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    nucleus?: Issue['nucleus'];
  }[];
}

export const checkCommand: CliCommand = {
  name: 'check',
  usage: 'check FILE... [--format text|json]',
  summary: 'report every problem in topology files (exit 1 on errors)',
  async run(args, io) {
    const parsed = parsedOrExit(io, 'check', HELP, () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          format: { type: 'string', default: 'text' },
          ...ANALYSIS_OPTIONS,
        },
      }),
    );
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const format = values.format;
    if (format !== 'text' && format !== 'json') {
      io.stderr(`nucleus-topology check: --format must be text or json, not '${format}'\n`);
      return 2;
    }
    const version = versionOption(io, 'check', values['nucleus-version']);
    if (version === undefined) return 2;
    if (positionals.length === 0) {
      io.stderr(`nucleus-topology check: at least one FILE is required\n\n${HELP}`);
      return 2;
    }
    let exit = 0;
    const reports: FileReport[] = [];
    for (const file of positionals) {
      const input = await readInput(io, file, 'nucleus-topology check');
      if (!input) {
        exit = 2;
        continue;
      }
      const text = input.text;
      const analysis = analyzeTopology(text, { version, details: false });
      if (exit < 2 && analysis.issues.some((i) => i.severity === 'error')) exit = 1;
      if (format === 'text') {
        const lines = formatCheckLines(file, text, analysis.issues);
        if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
        continue;
      }
      const index = new LineIndex(text);
      reports.push({
        path: file,
        version,
        nucleusError: analysis.nucleusError,
        issues: analysis.issues.map((i) => {
          const { line, column } = index.lineColumnAt(i.span.start);
          const out: FileReport['issues'][number] = {
            code: i.code,
            severity: i.severity,
            message: i.message,
            line,
            column,
            range: { start: index.positionAt(i.span.start), end: index.positionAt(i.span.end) },
          };
          if (i.nucleus) out.nucleus = i.nucleus;
          return out;
        }),
      });
    }
    if (format === 'json') io.stdout(`${JSON.stringify({ files: reports }, null, 2)}\n`);
    return exit;
  },
};
