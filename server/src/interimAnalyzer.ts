// TEMPORARY stand-in for the engine's analyzeTopology until it lands: an empty analysis of the text.
import type { Analysis, AnalyzeOptions } from '@nucleus-topology/engine';
import { LATEST_VERSION } from '@nucleus-topology/engine';

export function analyzeTopology(text: string, options: AnalyzeOptions): Analysis {
  return {
    version: options.version ?? LATEST_VERSION,
    toml: {
      text,
      root: { kind: 'table', entries: new Map(), origin: 'root', span: { start: 0, end: text.length } },
      errors: [],
      headers: [],
      comments: [],
    },
    topology: null,
    exactServices: new Set(),
    issues: [],
    nucleusError: null,
    graph: null,
    hashes: new Map(),
  };
}
