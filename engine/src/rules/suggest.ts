// Did-you-mean: the closest known names for a misspelled key or reference (aliases, case/separator-insensitive
// matches, then small edit distances).

/** Common names from other tools (Docker Compose, Kubernetes) for Nucleus keys, per table kind. */
export const KEY_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
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

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped at `max + 1`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prevPrev[j - 2] as number) + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[n] as number;
}

/**
 * The best replacements for `input` among `candidates`, best first (at most `limit`): an alias of
 * {@link KEY_ALIASES}[aliasKind], a case/separator-insensitive match, then candidates within an edit distance
 * of about a third of the name's length.
 */
export function suggestNames(
  input: string,
  candidates: Iterable<string>,
  options: { aliasKind?: string; limit?: number } = {},
): string[] {
  const list = Array.from(candidates).filter((c) => c !== input);
  const limit = options.limit ?? 3;
  const out: string[] = [];
  const alias = options.aliasKind ? KEY_ALIASES[options.aliasKind]?.[input.toLowerCase()] : undefined;
  if (alias !== undefined && list.includes(alias)) out.push(alias);
  const norm = normalize(input);
  for (const c of list) if (!out.includes(c) && normalize(c) === norm) out.push(c);
  const max = Math.max(1, Math.floor(input.length / 3));
  const scored: [string, number][] = [];
  for (const c of list) {
    if (out.includes(c)) continue;
    const d = Math.min(editDistance(input, c, max), editDistance(norm, normalize(c), max));
    if (d <= max) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  for (const [c] of scored) out.push(c);
  return out.slice(0, limit);
}

/** ` (did you mean `a`?)` / ` (did you mean `a` or `b`?)`, or '' without suggestions. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `\`${s}\``);
  const last = quoted.pop() as string;
  return ` (did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?)`;
}
