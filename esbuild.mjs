// Bundles the three shipped programs into dist/ (CommonJS, Node target, `vscode` external):
//   client/src/extension.ts → dist/client.js   (the extension, loaded by VS Code)
//   server/src/main.ts      → dist/server.js   (the language server, started by the client over IPC)
//   engine/src/cli/bin.ts   → dist/cli.js      (the `nucleus-topology` command-line tool)
//   client/src/terminalWrapperProgram.ts → dist/terminal-wrapper.js (what each topology terminal runs)
// and, with --tests, the e2e suite (test/e2e/*.ts → out/e2e/*.js) that runs inside VS Code's extension host.
// Flags: --watch, --production (minify, no source maps), --tests.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Workspace packages resolve to their TypeScript sources (package.json "exports" → "source").
  conditions: ['source'],
  mainFields: ['module', 'main'],
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { NUCLEUS_TOPOLOGY_VERSION: JSON.stringify(version) },
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { server: 'server/src/main.ts' }, outdir: 'dist' },
  // The program each topology terminal runs (client/src/terminal.ts starts it with the editor's runtime).
  { ...common, entryPoints: { 'terminal-wrapper': 'client/src/terminalWrapperProgram.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { cli: 'engine/src/cli/bin.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (args.has('--tests')) {
  const entries = readdirSync('test/e2e')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `test/e2e/${f}`);
  builds.push({
    ...common,
    entryPoints: entries,
    outdir: 'out/e2e',
    // mocha is loaded from node_modules by the extension host, not bundled.
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    minify: false,
  });
}

if (args.has('--watch')) {
  // Start/end lines for the background problem matcher of the `npm: watch` task in .vscode/tasks.json; one
  // pair per rebuild of any number of the bundles, so the task is "done" only when all of them are.
  let running = 0;
  /** @type {esbuild.Plugin} */
  const watchReporter = {
    name: 'watch-reporter',
    setup(build) {
      build.onStart(() => {
        if (running++ === 0) console.log('[watch] build started');
      });
      build.onEnd((result) => {
        for (const { text, location } of result.errors) {
          console.error(`✘ [ERROR] ${text}`);
          if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
        if (--running === 0) console.log('[watch] build finished');
      });
    },
  };
  for (const options of builds) {
    await (await esbuild.context({ ...options, plugins: [watchReporter] })).watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
