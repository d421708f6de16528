// `npm run bench`: the engine's speed and memory against a baseline measured in the same run — a bare
// smol-toml parse of the same text — on generated topologies of growing size. Ratios, not milliseconds, are
// the targets, so the figures mean the same on a loaded or a fast machine. Exit 1 when a target is missed.
//
// Targets (issue "Engine"): the full analysis of a 1000-service file costs little more than a bare smol-toml
// parse, and grows linearly with the file; the language server answers a keystroke in such a file in about
// the same time (its debounce excluded); what the editor keeps per document stays a small multiple of the
// parsed data.
import { parse as smolParse } from 'smol-toml';
import {
  analyzeTopology,
  buildGraph,
  decodeTopology,
  LATEST_VERSION,
  parseToml,
  serviceHashes,
} from '@nucleus-topology/engine';
import { startTestServer } from '../helpers/testConnection.js';
import { topologyText } from './topologyText.js';

const TARGETS = {
  /** analyzeTopology (everything: parse, decode, rules, graph, hashes) vs smol-toml parse, 1000 services. */
  analysis: 2.0,
  /** parseToml alone vs smol-toml parse. */
  parse: 1.5,
  /** Per-service cost at 4000 services vs at 250 services (1 = perfectly linear). */
  linearity: 1.5,
  /** Language-server keystroke → diagnostics (debounce 0) vs smol-toml parse, 1000 services. */
  keystroke: 3.0,
  /** Heap retained by one Analysis vs by smol-toml's parsed object, 1000 services. */
  memory: 4.0,
};

interface Timing {
  best: number;
  median: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Interleaved samples, so every contender sees the same machine load: round after round, one sample of each,
 * the order rotating so that none always follows the same neighbour. A sample is `batch` back-to-back calls
 * (its time is their mean): the calls of a batch pay for the garbage collections their own allocations cause,
 * as they would in a process that analyses again and again, and a batch is sized so that every file size
 * processes about the same amount of text per sample (the garbage collector then works in the same regime
 * at every size, which keeps the growth comparison fair). No gc() is forced between samples: a full
 * collection shrinks the heap, and the next sample would pay for committing that memory again (page faults),
 * a cost that depends on the machine more than on the code. The minimum is the sample least disturbed by
 * other processes; the median is reported alongside.
 */
function race(
  contenders: Record<string, () => unknown>,
  rounds: number,
  batch: number,
): Record<string, Timing> {
  const names = Object.keys(contenders);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  // Warm-up until the optimizing compiler has settled (a few calls of each, at least ~300 ms in all).
  const warmUntil = performance.now() + 300;
  for (let warm = 0; warm < 3 || performance.now() < warmUntil; warm++)
    for (const n of names) contenders[n]!();
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(r + j) % names.length]!;
      const run = contenders[n]!;
      const t0 = performance.now();
      for (let k = 0; k < batch; k++) run();
      samples[n]!.push((performance.now() - t0) / batch);
    }
  }
  return Object.fromEntries(
    names.map((n) => {
      const s = samples[n]!.sort((a, b) => a - b);
      return [n, { best: s[0]!, median: s[Math.floor(s.length / 2)]! }];
    }),
  );
}

/** Heap bytes retained by `copies` results of `make`, per result (needs --expose-gc). */
function retained(make: () => unknown, copies = 5): number {
  if (!gc) return NaN;
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const keep: unknown[] = [];
  for (let i = 0; i < copies; i++) keep.push(make());
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (keep.length !== copies) throw new Error('unreachable');
  return (after - before) / copies;
}

interface Keystrokes {
  latency: Timing;
  /** smol-toml parses of the same text, timed in the same rounds (batches of 4, as in the 1000 race). */
  baseline: Timing;
  /** Longest the event loop was blocked during one keystroke (server and in-process client alike). */
  blocked: Timing;
}

function timing(samples: number[]): Timing {
  samples.sort((a, b) => a - b);
  return { best: samples[0]!, median: samples[Math.floor(samples.length / 2)]! };
}

async function keystrokeLatency(text: string, rounds: number): Promise<Keystrokes> {
  const client = await startTestServer({ debounceMs: 0 });
  const uri = 'file:///bench/bench.topology.toml';
  // A 1 ms ticker: the longest gap between two ticks is the longest task that kept the loop busy.
  let lastTick = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - lastTick > longest) longest = now - lastTick;
    lastTick = now;
  }, 1);
  try {
    let version = await client.open(uri, text);
    await client.diagnosticsFor(uri, version);
    // Each edit flips one character of a value, as typing does; the server analyses the new version once.
    const at = text.indexOf('memory = "512M"') + 'memory = "51'.length;
    const line = text.slice(0, at).split('\n').length - 1;
    const character = at - (text.lastIndexOf('\n', at - 1) + 1);
    const samples: number[] = [];
    const blocked: number[] = [];
    const baseline: number[] = [];
    // The baseline interleaved with the keystrokes, so both see the same machine load; the order alternates
    // so that neither always runs right after the other's garbage.
    const parseBaseline = (): void => {
      const b0 = performance.now();
      for (let k = 0; k < 4; k++) smolParse(text);
      baseline.push((performance.now() - b0) / 4);
    };
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) parseBaseline();
      // Let the ticker run once before the edit, so the gap it measures starts now.
      await new Promise((resolve) => setTimeout(resolve, 2));
      lastTick = performance.now();
      longest = 0;
      const t0 = performance.now();
      version = await client.change(uri, [
        {
          range: { start: { line, character }, end: { line, character: character + 1 } },
          text: r % 2 === 0 ? '3' : '2',
        },
      ]);
      await client.diagnosticsFor(uri, version);
      samples.push(performance.now() - t0);
      blocked.push(Math.max(longest, performance.now() - lastTick));
      if (r % 2 === 1) parseBaseline();
    }
    return { latency: timing(samples), blocked: timing(blocked), baseline: timing(baseline) };
  } finally {
    clearInterval(ticker);
    await client.dispose();
  }
}

const fmt = (ms: number): string => `${ms.toFixed(1).padStart(7)} ms`;
const results: { name: string; ratio: number; target: number }[] = [];
function check(name: string, ratio: number, target: number): void {
  results.push({ name, ratio, target });
}

async function main(): Promise<void> {
  console.log(
    `Node ${process.version}; per-call times, best sample of interleaved rounds (median in brackets)\n`,
  );
  const perService: Record<number, number> = {};
  const absolute: Record<number, { smol: number; analysis: number }> = {};
  let text1000 = '';
  for (const services of [250, 1000, 4000]) {
    const text = topologyText(services);
    const sanity = analyzeTopology(text);
    const errors = sanity.issues.filter((i) => i.severity === 'error');
    if (sanity.toml.errors.length > 0 || errors.length > 0)
      throw new Error(
        `generated topology has errors: ${errors[0]?.message ?? sanity.toml.errors[0]?.message}`,
      );
    // About 3 MB of text per sample at every size: 16 calls at 250 services, 4 at 1000, 1 at 4000.
    const batch = Math.max(1, Math.round(4000 / services));
    const rounds = 10;
    // At 1000 services, the phases of the analysis too (each on the previous phase's result), to show where
    // the time goes; they are informative, not targets.
    const doc = parseToml(text);
    const decoded = decodeTopology(doc, LATEST_VERSION);
    const phases: Record<string, () => unknown> =
      services === 1000
        ? {
            decode: () => decodeTopology(doc, LATEST_VERSION),
            graph: () => buildGraph(decoded.topology),
            hashes: () => serviceHashes({ ...decoded, version: LATEST_VERSION }),
          }
        : {};
    const t = race(
      {
        smol: () => smolParse(text),
        parse: () => parseToml(text),
        analysis: () => analyzeTopology(text),
        ...phases,
      },
      rounds,
      batch,
    );
    const kb = (text.length / 1024).toFixed(0);
    console.log(`${services} services (${kb} KB, ${text.split('\n').length} lines)`);
    for (const [name, label] of [
      ['smol', 'smol-toml parse (baseline)'],
      ['parse', 'parseToml'],
      ['analysis', 'analyzeTopology (full)'],
      ['decode', '  of which decodeTopology'],
      ['graph', '  of which buildGraph'],
      ['hashes', '  of which service hashes'],
    ] as const) {
      const r = t[name];
      if (r === undefined) continue;
      const ratio = r.best / t['smol']!.best;
      console.log(`  ${label.padEnd(28)} ${fmt(r.best)} [${fmt(r.median).trim()}]  ×${ratio.toFixed(2)}`);
    }
    perService[services] = t['analysis']!.best / t['smol']!.best;
    absolute[services] = { smol: t['smol']!.best / services, analysis: t['analysis']!.best / services };
    if (services === 1000) {
      text1000 = text;
      check(
        'analysis / smol-toml parse (1000 services)',
        t['analysis']!.best / t['smol']!.best,
        TARGETS.analysis,
      );
      check('parseToml / smol-toml parse (1000 services)', t['parse']!.best / t['smol']!.best, TARGETS.parse);
    }
  }
  // Linearity: the analysis/baseline ratio must not grow with the size. smol-toml itself is not perfectly
  // linear (the garbage collector copies its growing result too), so the absolute growth of both is shown.
  const grow = (k: 'smol' | 'analysis'): string => (absolute[4000]![k] / absolute[250]![k]).toFixed(2);
  console.log(
    `\nper-service time at 4000 vs 250 services: smol-toml ×${grow('smol')}, analyzeTopology ×${grow('analysis')}`,
  );
  check(
    'growth: ratio at 4000 / ratio at 250 services',
    perService[4000]! / perService[250]!,
    TARGETS.linearity,
  );

  const { latency: keystroke, blocked, baseline } = await keystrokeLatency(text1000, 20);
  console.log(
    `\nlanguage server, 1000 services: keystroke → diagnostics ${fmt(keystroke.best)} [${fmt(keystroke.median).trim()}]` +
      `  ×${(keystroke.best / baseline.best).toFixed(2)} of a smol-toml parse (${fmt(baseline.best).trim()} in the same rounds)` +
      `\n  longest event-loop block per keystroke ${fmt(blocked.best)} [${fmt(blocked.median).trim()}]`,
  );
  check(
    'server keystroke / smol-toml parse (1000 services)',
    keystroke.best / baseline.best,
    TARGETS.keystroke,
  );

  const smolBytes = retained(() => smolParse(text1000));
  const analysisBytes = retained(() => analyzeTopology(text1000));
  if (Number.isNaN(smolBytes)) {
    console.log('\nmemory: run with --expose-gc (npm run bench does) to measure retained heap');
  } else {
    const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MB`;
    console.log(
      `\nretained heap, 1000 services: smol-toml result ${mb(smolBytes)}, Analysis ${mb(analysisBytes)}` +
        `  ×${(analysisBytes / smolBytes).toFixed(2)} (text itself: ${mb(text1000.length * 2)})`,
    );
    check('memory: Analysis / smol-toml result (1000 services)', analysisBytes / smolBytes, TARGETS.memory);
  }

  console.log('\ntargets');
  let failed = 0;
  for (const r of results) {
    const ok = r.ratio <= r.target;
    if (!ok) failed++;
    console.log(
      `  ${ok ? 'PASS' : 'MISS'}  ${r.name.padEnd(52)} ×${r.ratio.toFixed(2)}  (target ≤ ×${r.target})`,
    );
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
