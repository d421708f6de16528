// Did-you-mean: the closest known names for a misspelled key or reference (aliases, case/separator-insensitive
// matches, then small edit distances).

/** Common names from other tools (Docker Compose, Kubernetes) for Nucleus keys, per table kind. */
const KEY_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  topology: {
    project: 'name',
    topology: 'name',
    service: 'services',
    network: 'networks',
    volume: 'volumes',
  },
  service: {
    image: 'rootfs',
    root: 'rootfs',
    cmd: 'command',
    args: 'command',
    entrypoint: 'command',
    mem: 'memory',
    mem_limit: 'memory',
    memory_limit: 'memory',
    cpu: 'cpus',
    cpu_limit: 'cpus',
    pids_limit: 'pids',
    network: 'networks',
    volume: 'volumes',
    mounts: 'volumes',
    depends: 'depends_on',
    dependencies: 'depends_on',
    requires: 'depends_on',
    healthcheck: 'health_check',
    health: 'health_check',
    health_cmd: 'health_check',
    interval: 'health_interval',
    env: 'environment',
    env_vars: 'environment',
    ports: 'port_forwards',
    port: 'port_forwards',
    publish: 'port_forwards',
    groups: 'additional_groups',
    group_add: 'additional_groups',
    secret: 'secrets',
    nat: 'nat_backend',
    replica: 'replicas',
    scale: 'replicas',
    egress: 'egress_allow',
  },
  volume: {
    type: 'volume_type',
    kind: 'volume_type',
    source: 'path',
    host_path: 'path',
    hostpath: 'path',
    uid: 'owner',
    gid: 'owner',
    user: 'owner',
    tmpfs_size: 'size',
  },
  network: {
    cidr: 'subnet',
    ip_range: 'subnet',
    encrypt: 'encrypted',
    encryption: 'encrypted',
  },
  depends_on: {
    name: 'service',
    target: 'service',
    when: 'condition',
    state: 'condition',
  },
};

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_\s.]/g, '');
}

// Rows of the edit-distance table, reused between calls (the function is not reentrant).
let rowPrevPrev = new Int32Array(64);
let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped at `max + 1`. */
function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rowCur.length < n + 1) {
    rowPrevPrev = new Int32Array(n + 1);
    rowPrev = new Int32Array(n + 1);
    rowCur = new Int32Array(n + 1);
  }
  let prevPrev = rowPrevPrev;
  let prev = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= n; j++) {
    prevPrev[j] = 0;
    prev[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prevPrev[j - 2] as number) + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const oldPrevPrev = prevPrev;
    prevPrev = prev;
    prev = cur;
    cur = oldPrevPrev;
  }
  return prev[n] as number;
}

/**
 * Did-you-mean over a fixed set of names, prepared once (normalized forms) so that many lookups against
 * the same set (every unknown `depends_on` target of a large file against its service names) stay linear
 * and mostly skip the edit distance.
 */
export class NameSuggester {
  private readonly names: string[];
  private readonly normalized: string[];

  constructor(candidates: Iterable<string>) {
    this.names = Array.from(candidates);
    this.normalized = this.names.map(normalize);
  }

  /**
   * The best replacements for `input`, best first (at most `limit`): an alias of
   * {@link KEY_ALIASES}[aliasKind], a case/separator-insensitive match, then names within an edit distance
   * of about a third of the input's length.
   */
  suggest(input: string, options: { aliasKind?: string; limit?: number } = {}): string[] {
    const names = this.names;
    const normalized = this.normalized;
    const limit = options.limit ?? 3;
    const out: string[] = [];
    const alias = options.aliasKind ? KEY_ALIASES[options.aliasKind]?.[input.toLowerCase()] : undefined;
    if (alias !== undefined && alias !== input && names.includes(alias)) out.push(alias);
    const norm = normalize(input);
    for (let i = 0; i < names.length; i++) {
      const c = names[i] as string;
      if (c !== input && !out.includes(c) && normalized[i] === norm) out.push(c);
    }
    const max = Math.max(1, Math.floor(input.length / 3));
    const scored: [string, number][] = [];
    for (let i = 0; i < names.length; i++) {
      const c = names[i] as string;
      const nc = normalized[i] as string;
      // Neither distance can be within `max` when both lengths differ by more (editDistance says so too).
      if (Math.abs(c.length - input.length) > max && Math.abs(nc.length - norm.length) > max) continue;
      if (c === input || out.includes(c)) continue;
      const d = Math.min(editDistance(input, c, max), editDistance(norm, nc, max));
      if (d <= max) scored.push([c, d]);
    }
    scored.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    for (const [c] of scored) out.push(c);
    return out.slice(0, limit);
  }
}

/**
 * The best replacements for `input` among `candidates`, best first (at most `limit`): see
 * {@link NameSuggester.suggest} (use a NameSuggester to look up many inputs in the same names).
 */
export function suggestNames(
  input: string,
  candidates: Iterable<string>,
  options: { aliasKind?: string; limit?: number } = {},
): string[] {
  return new NameSuggester(candidates).suggest(input, options);
}

/** ` (did you mean `a`?)` / ` (did you mean `a` or `b`?)`, or '' without suggestions. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `\`${s}\``);
  const last = quoted.pop() as string;
  return ` (did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?)`;
}
