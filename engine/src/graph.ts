// The dependency graph exactly as Nucleus's dag.rs builds it (Kahn, FIFO queue, byte-ordered roots), plus
// cycle analysis for the editor and the post-start wait rules of reconcile.rs.

import type { DependencyEdge, DependencyGraph, PostStartWait, ServiceDef, Topology } from './model.js';
import { byteSort, isByteSorted } from './order.js';
import { rustDebugList } from './rustFmt.js';

const U64_MAX = (1n << 64n) - 1n;

/**
 * `DependencyGraph::resolve` + `shutdown_order()` (spec §3), never throwing.
 *
 * - `services` are in byte order; `edges[s]` in `depends_on` list order and `dependents[d]` in key order of
 *   the dependent, duplicates kept (a duplicate edge counts twice in the in-degree, as in Rust).
 * - A dependency on an undefined service sets `error` to the message dag.rs returns for the first one it meets
 *   (services in key order, entries in list order). Such edges are left out of `edges`/`dependents` and the
 *   order is computed over the remaining edges, so the editor still gets a best-effort order.
 * - When some services cannot be placed, `cycle` lists them (`unplaced`, key order, as in the message) and
 *   the actual `cycles`; `error` is the cycle message unless an undefined-service error came first (as in
 *   Rust, which returns on that before sorting).
 */
export function buildGraph(topology: Topology): DependencyGraph {
  const keys = Array.from(topology.services.keys());
  const services = isByteSorted(keys) ? keys : byteSort(keys);
  const n = services.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(services[i] as string, i);

  // Pass 1: resolve every edge to indices (-1 = undefined service) and count them per service, so every
  // list below is allocated once at its exact size (these lists are kept in the Analysis).
  let total = 0;
  for (let i = 0; i < n; i++)
    total += (topology.services.get(services[i] as string) as ServiceDef).depends_on.length;
  const target = new Int32Array(total);
  const outCount = new Int32Array(n);
  const inCount = new Int32Array(n);
  let error: string | undefined;
  for (let i = 0, e = 0; i < n; i++) {
    const name = services[i] as string;
    for (const dep of (topology.services.get(name) as ServiceDef).depends_on) {
      const t = index.get(dep.service);
      if (t === undefined) {
        error ??= `Service '${name}' depends on undefined service '${dep.service}'`;
        target[e++] = -1;
        continue;
      }
      target[e++] = t;
      outCount[i] = (outCount[i] as number) + 1;
      inCount[t] = (inCount[t] as number) + 1;
    }
  }

  // Pass 2: the lists. dependentIdx/dependsIdx are index-based mirrors of `dependents` and the successor
  // lists used by the sort and Tarjan (duplicates kept: a duplicate edge counts twice in the in-degree).
  const edges = new Map<string, DependencyEdge[]>();
  const dependents = new Map<string, string[]>();
  const ownEdges: DependencyEdge[][] = new Array<DependencyEdge[]>(n);
  const dependentNames: string[][] = new Array<string[]>(n);
  const dependentIdx: number[][] = new Array<number[]>(n);
  const dependsIdx: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) {
    ownEdges[i] = new Array<DependencyEdge>(outCount[i] as number);
    dependentNames[i] = new Array<string>(inCount[i] as number);
    dependentIdx[i] = new Array<number>(inCount[i] as number);
    dependsIdx[i] = new Array<number>(outCount[i] as number);
    edges.set(services[i] as string, ownEdges[i] as DependencyEdge[]);
    dependents.set(services[i] as string, dependentNames[i] as string[]);
  }
  const inDegree = new Int32Array(n);
  const filled = new Int32Array(n);
  for (let i = 0, e = 0; i < n; i++) {
    const name = services[i] as string;
    const own = ownEdges[i] as DependencyEdge[];
    const succ = dependsIdx[i] as number[];
    let k = 0;
    for (const dep of (topology.services.get(name) as ServiceDef).depends_on) {
      const t = target[e++] as number;
      if (t < 0) continue;
      // The decoded entry itself (same shape): a copy per edge would be kept with every analysis.
      own[k] = dep;
      succ[k] = t;
      k++;
      const slot = filled[t] as number;
      (dependentNames[t] as string[])[slot] = name;
      (dependentIdx[t] as number[])[slot] = i;
      filled[t] = slot + 1;
    }
    inDegree[i] = k;
  }

  // Kahn's algorithm with a FIFO queue: roots in key order, newly freed services join the back.
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (inDegree[i] === 0) queue[tail++] = i;
  const placed = new Uint8Array(n);
  const startupOrder: string[] = [];
  while (head < tail) {
    const node = queue[head++] as number;
    placed[node] = 1;
    startupOrder.push(services[node] as string);
    for (const m of dependentIdx[node] as number[]) {
      const d = (inDegree[m] as number) - 1;
      inDegree[m] = d;
      if (d === 0) queue[tail++] = m;
    }
  }

  const graph: DependencyGraph = {
    services,
    startupOrder,
    shutdownOrder: startupOrder.slice().reverse(),
    edges,
    dependents,
  };

  if (startupOrder.length < n) {
    const unplacedIdx: number[] = [];
    for (let i = 0; i < n; i++) if (placed[i] === 0) unplacedIdx.push(i);
    const unplaced = unplacedIdx.map((i) => services[i] as string);
    const message = `Circular dependency detected among services: ${rustDebugList(unplaced)}`;
    const cycles = findCycles(unplacedIdx, placed, dependsIdx).map((c) =>
      c.map((i) => services[i] as string),
    );
    graph.cycle = { unplaced, cycles, message };
    error ??= message;
  }
  if (error !== undefined) graph.error = error;
  return graph;
}

/**
 * The elementary cycles behind the unplaced services, one per strongly connected component that has a cycle
 * (size > 1, or a self-dependency). Each cycle starts at the component's first service in key order and is
 * the shortest path back to it, following `depends_on` in list order: `cycle[i]` depends on `cycle[i + 1]`,
 * and the last element depends on the first. Cycles are returned in key order of their first service.
 * Unplaced services outside every such component are merely downstream of one (bystanders).
 */
function findCycles(
  unplacedIdx: readonly number[],
  placed: Uint8Array,
  dependsIdx: readonly number[][],
): number[][] {
  const n = placed.length;
  // Successors restricted to unplaced services, deduplicated (duplicates matter for in-degrees, not for SCCs).
  const succ = new Map<number, number[]>();
  for (const v of unplacedIdx) {
    const list: number[] = [];
    const seen = new Set<number>();
    for (const w of dependsIdx[v] as number[]) {
      if (placed[w] === 0 && !seen.has(w)) {
        seen.add(w);
        list.push(w);
      }
    }
    succ.set(v, list);
  }

  // Iterative Tarjan (a 1000-service chain would overflow a recursive one).
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const root of unplacedIdx) {
    if (order[root] !== -1) continue;
    const frames: { v: number; next: number }[] = [{ v: root, next: 0 }];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { v: number; next: number };
      const adj = succ.get(frame.v) as number[];
      if (frame.next < adj.length) {
        const w = adj[frame.next++] as number;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push({ v: w, next: 0 });
        } else if (onStack[w] === 1 && (order[w] as number) < (low[frame.v] as number)) {
          low[frame.v] = order[w] as number;
        }
        continue;
      }
      frames.pop();
      const v = frame.v;
      if (low[v] === order[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        components.push(comp);
      }
      const parent = frames[frames.length - 1];
      if (parent !== undefined && (low[v] as number) < (low[parent.v] as number))
        low[parent.v] = low[v] as number;
    }
  }

  const compOf = new Int32Array(n).fill(-1);
  components.forEach((comp, c) => {
    for (const v of comp) compOf[v] = c;
  });
  const parentOf = new Int32Array(n);
  const visited = new Int32Array(n).fill(-1);
  const cycles: number[][] = [];
  components.forEach((comp, c) => {
    // Indices follow key order, so the smallest index is the first service in key order.
    let start = comp[0] as number;
    for (const v of comp) if (v < start) start = v;
    if (comp.length === 1 && !(succ.get(start) as number[]).includes(start)) return;
    // BFS inside the component for the shortest way back to `start`.
    const bfs = [start];
    visited[start] = c;
    for (let h = 0; h < bfs.length; h++) {
      const u = bfs[h] as number;
      for (const w of succ.get(u) as number[]) {
        if (w === start) {
          const path: number[] = [];
          for (let x = u; x !== start; x = parentOf[x] as number) path.push(x);
          path.push(start);
          cycles.push(path.reverse());
          return;
        }
        if (compOf[w] === c && visited[w] !== c) {
          visited[w] = c;
          parentOf[w] = u;
          bfs.push(w);
        }
      }
    }
  });
  cycles.sort((a, b) => (a[0] as number) - (b[0] as number));
  return cycles;
}

/**
 * reconcile.rs `post_start_wait`: `Healthy` when some dependent of `service` has an edge to it with
 * condition exactly `"healthy"`, else `Started`.
 */
export function postStartWait(graph: DependencyGraph, service: string): PostStartWait {
  for (const dependent of graph.dependents.get(service) ?? []) {
    const edges = graph.edges.get(dependent);
    if (edges?.some((e) => e.service === service && e.condition === 'healthy')) return 'Healthy';
  }
  return 'Started';
}

/** `wait_for_healthy` timeout in seconds: max(3 × interval + 10, 20) with u64 saturating arithmetic. */
export function healthTimeoutSeconds(interval: bigint): bigint {
  let t = interval * 3n;
  if (t > U64_MAX) t = U64_MAX;
  t += 10n;
  if (t > U64_MAX) t = U64_MAX;
  return t < 20n ? 20n : t;
}
