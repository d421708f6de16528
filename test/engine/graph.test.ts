// Dependency graph (dag.rs): byte order, FIFO Kahn, undefined/cycle errors, cycle analysis, post-start waits.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  buildGraph,
  compareBytes,
  healthTimeoutSeconds,
  postStartWait,
  rustDebugList,
  rustDebugStr,
  type DependencyGraph,
  type ServiceDef,
} from '@nucleus-topology/engine';
import { deps, expected, svc, topo } from './coreFixtures.js';

const byUtf8 = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function assertGraphMatches(graph: DependencyGraph, caseNumber: string): void {
  const exp = expected(caseNumber);
  assert.deepEqual(graph.services, exp.services);
  const g = exp.graph;
  assert.ok(g !== null);
  if ('error' in g) {
    assert.equal(`Configuration error: ${graph.error ?? '<none>'}`, g.error);
  } else {
    assert.equal(graph.error, undefined);
    assert.deepEqual(graph.startupOrder, g.startup_order);
    assert.deepEqual(graph.shutdownOrder, g.shutdown_order);
  }
}

describe('compareBytes', () => {
  it('orders by UTF-8 bytes, not UTF-16 units', () => {
    assert.deepEqual(['😀', '～', 'ﬀ', 'a', '_x', 'A', '0a', '-y'].sort(compareBytes), [
      '-y',
      '0a',
      'A',
      '_x',
      'a',
      'ﬀ',
      '～',
      '😀',
    ]);
    assert.ok(compareBytes('😀', '\uffff') > 0);
    assert.ok(compareBytes('\ud7ff', '😀') < 0);
    assert.ok(compareBytes('a', 'ab') < 0);
    assert.equal(compareBytes('x😀', 'x😀'), 0);
  });

  it('agrees with Buffer.compare on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        assert.equal(Math.sign(compareBytes(a, b)), Math.sign(byUtf8(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rustDebugStr', () => {
  it('escapes like Rust {:?}', () => {
    assert.equal(rustDebugStr('q"uote'), '"q\\"uote"');
    assert.equal(rustDebugStr('tab\there'), '"tab\\there"');
    assert.equal(rustDebugStr("it's \\ \r\n\0"), '"it\'s \\\\ \\r\\n\\0"');
    assert.equal(rustDebugStr('é😀日本'), '"é😀日本"');
    assert.equal(rustDebugStr('\u0001\u007f\u00a0\u200b\u2028'), '"\\u{1}\\u{7f}\\u{a0}\\u{200b}\\u{2028}"');
    // Grapheme-extending chars (combining marks, ZWJ) are escaped anywhere in the string by `Debug for str`.
    assert.equal(rustDebugStr('e\u0301'), '"e\\u{301}"');
    assert.equal(rustDebugStr('a\u200db'), '"a\\u{200d}b"');
    assert.equal(rustDebugList(['a', 'b"']), '["a", "b\\""]');
    assert.equal(rustDebugList([]), '[]');
  });
});

describe('buildGraph', () => {
  it('spec §3 worked example: FIFO queue, not alphabetical', () => {
    const g = buildGraph(
      topo('t', [
        ['cache', deps('db')],
        ['web', deps('db', 'cache')],
        ['worker', deps('db')],
        ['db', svc()],
      ]),
    );
    assert.deepEqual(g.services, ['cache', 'db', 'web', 'worker']);
    assert.deepEqual(g.startupOrder, ['db', 'cache', 'worker', 'web']);
    assert.deepEqual(g.shutdownOrder, ['web', 'worker', 'cache', 'db']);
    assert.deepEqual(g.dependents.get('db'), ['cache', 'web', 'worker']);
    assert.deepEqual(g.dependents.get('cache'), ['web']);
    assert.deepEqual(g.edges.get('web'), [
      { service: 'db', condition: 'started' },
      { service: 'cache', condition: 'started' },
    ]);
    assert.equal(g.error, undefined);
    assert.equal(g.cycle, undefined);
  });

  it('keeps duplicate edges (counted twice)', () => {
    const g = buildGraph(
      topo('t', [
        ['web', deps('db', ['db', 'healthy'])],
        ['db', svc()],
      ]),
    );
    assert.deepEqual(g.startupOrder, ['db', 'web']);
    assert.deepEqual(g.dependents.get('db'), ['web', 'web']);
    assert.equal(g.edges.get('web')?.length, 2);
  });

  it('conformance 064: b → z → a (freed services join the back of the queue)', () => {
    assertGraphMatches(
      buildGraph(
        topo('t', [
          ['a', deps('z')],
          ['b', svc()],
          ['z', svc()],
        ]),
      ),
      '064',
    );
  });

  it('conformance 070: byte-order roots', () => {
    const names = ['b', 'B', 'a', 'A', '_x', '9', '0a', 'Z_', 'z'];
    const g = buildGraph(
      topo('t', [...names.map((n): [string, ServiceDef] => [n, svc()]), ['-y', deps('z')]]),
    );
    assertGraphMatches(g, '070');
  });

  it('conformance 008: undefined dependency', () => {
    const g = buildGraph(topo('t', [['web', deps('db')]]));
    assertGraphMatches(g, '008');
    assert.equal(g.error, "Service 'web' depends on undefined service 'db'");
    assert.deepEqual(g.startupOrder, ['web']);
    assert.deepEqual(g.edges.get('web'), []);
  });

  it('reports the first undefined dependency in key/list order, even with a cycle', () => {
    const g = buildGraph(
      topo('t', [
        ['b', deps('zz', 'a')],
        ['a', deps('b', 'yy')],
      ]),
    );
    assert.equal(g.error, "Service 'a' depends on undefined service 'yy'");
    assert.deepEqual(g.cycle?.cycles, [['a', 'b']]);
  });

  it('conformance 058: cycle message lists bystanders, cycles do not', () => {
    const g = buildGraph(
      topo('t', [
        ['a', deps('b')],
        ['b', deps('a')],
        ['c', svc()],
        ['d', deps('a')],
        ['e', deps('c')],
      ]),
    );
    assertGraphMatches(g, '058');
    assert.deepEqual(g.startupOrder, ['c', 'e']);
    assert.deepEqual(g.cycle?.unplaced, ['a', 'b', 'd']);
    assert.deepEqual(g.cycle?.cycles, [['a', 'b']]);
    assert.equal(g.cycle?.message, g.error);
  });

  it('conformance 056: self-dependency is a cycle of one', () => {
    const g = buildGraph(topo('t', [['a', deps('a')]]));
    assertGraphMatches(g, '056');
    assert.deepEqual(g.cycle?.cycles, [['a']]);
  });

  it('conformance 055: three-node cycle, path follows depends_on', () => {
    const g = buildGraph(
      topo('t', [
        ['a', deps('c')],
        ['b', deps('a')],
        ['c', deps('b')],
      ]),
    );
    assertGraphMatches(g, '055');
    assert.deepEqual(g.cycle?.cycles, [['a', 'c', 'b']]);
  });

  it('conformance 059: Rust {:?} escaping in the cycle message', () => {
    const g = buildGraph(
      topo('t', [
        ['é', deps('😀')],
        ['😀', deps('q"uote')],
        ['q"uote', deps('tab\there')],
        ['tab\there', deps('é')],
      ]),
    );
    assertGraphMatches(g, '059');
    assert.deepEqual(g.services, ['q"uote', 'tab\there', 'é', '😀']);
  });

  it('gives one shortest cycle per strongly connected component', () => {
    // SCC {a,b,c,d}: a→b→c→a and a→d→a; the BFS from a finds a→d→a (length 2) first.
    const g = buildGraph(
      topo('t', [
        ['a', deps('b', 'd')],
        ['b', deps('c')],
        ['c', deps('a')],
        ['d', deps('a')],
        ['x', deps('x', 'a')],
      ]),
    );
    assert.deepEqual(g.cycle?.cycles, [['a', 'd'], ['x']]);
    assert.deepEqual(g.cycle?.unplaced, ['a', 'b', 'c', 'd', 'x']);
  });

  it('handles a 5000-service chain and cycle without recursion limits', () => {
    const n = 5000;
    const name = (i: number): string => `s${String(i).padStart(5, '0')}`;
    const chain = Array.from({ length: n }, (_, i): [string, ServiceDef] => [
      name(i),
      i === 0 ? svc() : deps(name(i - 1)),
    ]);
    assert.equal(buildGraph(topo('t', chain)).startupOrder.length, n);
    const ring = Array.from({ length: n }, (_, i): [string, ServiceDef] => [
      name(i),
      deps(name((i + 1) % n)),
    ]);
    const g = buildGraph(topo('t', ring));
    assert.equal(g.cycle?.cycles.length, 1);
    assert.equal(g.cycle?.cycles[0]?.length, n);
  });
});

describe('postStartWait / healthTimeoutSeconds', () => {
  it('Healthy iff a dependent waits for exactly "healthy"', () => {
    const g = buildGraph(
      topo('t', [
        ['db', svc({ health_check: 'pg_isready' })],
        ['cache', svc()],
        ['web', deps(['db', 'healthy'], ['cache', 'Healthy'])],
      ]),
    );
    assert.equal(postStartWait(g, 'db'), 'Healthy');
    assert.equal(postStartWait(g, 'cache'), 'Started');
    assert.equal(postStartWait(g, 'web'), 'Started');
    assert.equal(postStartWait(g, 'missing'), 'Started');
  });

  it('conformance 002 post_start_wait', () => {
    const g = buildGraph(
      topo('myapp', [
        ['postgres', svc()],
        ['web', deps(['postgres', 'healthy'])],
        ['worker', deps('postgres', ['web', 'started'])],
      ]),
    );
    assertGraphMatches(g, '002');
    const exp = expected('002').post_start_wait ?? {};
    for (const s of g.services) assert.equal(postStartWait(g, s), exp[s]);
  });

  it('timeout = max(3 × interval + 10, 20), saturating u64', () => {
    assert.equal(healthTimeoutSeconds(0n), 20n);
    assert.equal(healthTimeoutSeconds(3n), 20n);
    assert.equal(healthTimeoutSeconds(5n), 25n);
    assert.equal(healthTimeoutSeconds(10n), 40n);
    assert.equal(healthTimeoutSeconds(30n), 100n);
    assert.equal(healthTimeoutSeconds(2n ** 64n - 1n), 2n ** 64n - 1n);
    assert.equal(healthTimeoutSeconds(2n ** 63n - 1n), 2n ** 64n - 1n);
    assert.equal(healthTimeoutSeconds((2n ** 64n - 11n) / 3n), ((2n ** 64n - 11n) / 3n) * 3n + 10n);
  });
});

// ---- properties -------------------------------------------------------------------------------------

const NAMES = [
  'a',
  'b',
  'c',
  'db',
  'web',
  'A',
  'Z_',
  '_x',
  '-y',
  '0a',
  '9',
  'é',
  'ﬀ',
  '～',
  '😀',
  'a.b',
  'a-b',
  'ab',
];

/** The plain textbook algorithm of spec §3, written independently (Buffer byte order, quadratic scans). */
function referenceKahn(services: Map<string, string[]>): { order: string[]; unplaced: string[] } {
  const names = Array.from(services.keys()).sort(byUtf8);
  const indeg = new Map(names.map((n) => [n, (services.get(n) ?? []).length]));
  const queue = names.filter((n) => indeg.get(n) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const n = queue.shift() as string;
    order.push(n);
    for (const m of names) {
      for (const d of services.get(m) ?? []) {
        if (d !== n) continue;
        const left = (indeg.get(m) as number) - 1;
        indeg.set(m, left);
        if (left === 0) queue.push(m);
      }
    }
  }
  return { order, unplaced: names.filter((n) => !order.includes(n)) };
}

function toTopology(services: Map<string, string[]>) {
  return topo(
    't',
    Array.from(services, ([n, ds]): [string, ServiceDef] => [n, deps(...ds)]),
  );
}

/** Random DAG: a node may only depend on nodes earlier in a random permutation (duplicates allowed). */
const dagArb = fc
  .shuffledSubarray(NAMES, { minLength: 1 })
  .chain((perm) =>
    fc
      .tuple(
        ...perm.map((_, i) => fc.array(fc.nat({ max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 4 })),
      )
      .map((lists) => new Map(perm.map((n, i) => [n, (lists[i] as number[]).map((j) => perm[j] as string)]))),
  );

/** Random directed graph over some names (cycles likely). */
const graphArb = fc
  .shuffledSubarray(NAMES, { minLength: 1, maxLength: 10 })
  .chain((names) =>
    fc
      .tuple(...names.map(() => fc.array(fc.constantFrom(...names), { maxLength: 3 })))
      .map((lists) => new Map(names.map((n, i) => [n, lists[i] as string[]]))),
  );

function reaches(services: Map<string, string[]>, from: string, targets: Set<string>): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (targets.has(n)) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(services.get(n) ?? []));
  }
  return false;
}

describe('graph properties', () => {
  it('random DAGs: topological, equal to the reference Kahn, shutdown = reverse', () => {
    fc.assert(
      fc.property(dagArb, (services) => {
        const g = buildGraph(toTopology(services));
        const ref = referenceKahn(services);
        assert.equal(g.error, undefined);
        assert.deepEqual(g.startupOrder, ref.order);
        assert.deepEqual(g.shutdownOrder, ref.order.slice().reverse());
        assert.deepEqual(g.services, Array.from(services.keys()).sort(byUtf8));
        const pos = new Map(g.startupOrder.map((n, i) => [n, i]));
        for (const [n, ds] of services)
          for (const d of ds) assert.ok((pos.get(d) as number) < (pos.get(n) as number));
      }),
      { numRuns: 500 },
    );
  });

  it('random graphs: unplaced = not placed; cycles are real, one per cyclic SCC; every unplaced node reaches one', () => {
    fc.assert(
      fc.property(graphArb, (services) => {
        const g = buildGraph(toTopology(services));
        const ref = referenceKahn(services);
        assert.deepEqual(g.startupOrder, ref.order);
        if (ref.unplaced.length === 0) {
          assert.equal(g.cycle, undefined);
          assert.equal(g.error, undefined);
          return;
        }
        const cycle = g.cycle;
        assert.ok(cycle !== undefined);
        assert.deepEqual(cycle.unplaced, ref.unplaced);
        assert.equal(g.error, `Circular dependency detected among services: ${rustDebugList(ref.unplaced)}`);
        assert.equal(cycle.message, g.error);
        assert.ok(cycle.cycles.length > 0);
        const onCycle = new Set<string>();
        const unplaced = new Set(ref.unplaced);
        for (const c of cycle.cycles) {
          assert.equal(new Set(c).size, c.length, 'elementary');
          c.forEach((n, i) => {
            const next = c[(i + 1) % c.length] as string;
            assert.ok(services.get(n)?.includes(next), `${n} depends on ${next}`);
            assert.ok(unplaced.has(n));
            onCycle.add(n);
          });
        }
        // One cycle per strongly connected component that has a cycle, starting at its smallest name.
        const scc = (n: string) =>
          ref.unplaced.filter(
            (m) => reaches(services, n, new Set([m])) && reaches(services, m, new Set([n])),
          );
        const cyclic = new Map<string, string[]>();
        for (const n of ref.unplaced) {
          const comp = scc(n);
          if (comp.length > 1 || services.get(n)?.includes(n))
            cyclic.set(comp.sort(byUtf8)[0] as string, comp);
        }
        assert.deepEqual(
          cycle.cycles.map((c) => c[0]),
          Array.from(cyclic.keys()).sort(byUtf8),
        );
        for (const c of cycle.cycles) {
          const comp = cyclic.get(c[0] as string) as string[];
          for (const n of c) assert.ok(comp.includes(n));
        }
        for (const n of ref.unplaced)
          assert.ok(reaches(services, n, onCycle), `${n} on or downstream of a cycle`);
      }),
      { numRuns: 500 },
    );
  });
});
