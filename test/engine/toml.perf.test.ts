// parseToml's speed against the baseline (smol-toml's parse) on a 1000-service topology, and linear growth.
// Bounds are generous (the machine is shared): they catch a quadratic path or a per-character allocation
// regression, not a few percent. `node … toml.perf.test.ts` prints the measured figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as smolParse } from 'smol-toml';
import { parseToml } from '@nucleus-topology/engine';

/** A realistic topology: `services` services of ~20 keys each, chained by depends_on. */
function topology(services: number): string {
  const out: string[] = ['name = "bench"', '', '[networks.internal]', 'subnet = "10.42.0.0/24"', ''];
  for (let i = 0; i < services; i++) {
    out.push(
      `[services.svc-${i}]`,
      `rootfs = "/nix/store/abc-svc-${i}"`,
      `command = ["/bin/server", "--port", "${8000 + i}", "--verbose"]`,
      'memory = "512M"',
      'cpus = 0.5',
      'pids = 1024',
      'networks = ["internal"]',
      `volumes = ["data:/var/lib/svc-${i}:ro"]`,
      `health_check = "curl -f http://localhost:${8000 + i}/health"`,
      'health_interval = 5',
      'user = "1000"',
      'group = "1000"',
      `environment = { RUST_LOG = "info", PORT = "${8000 + i}", NAME = "svc \\"${i}\\"" }`,
      'nat_backend = "kernel"',
      'egress_tcp_ports = [443, 5432]',
      'dns = ["10.42.0.1", "1.1.1.1"]',
      'replicas = 2',
      'runtime = "gvisor"  # comment',
      'additional_groups = ["video", "2000"]',
      `port_forwards = ["${9000 + i}:80"]`,
    );
    if (i > 0)
      out.push('', `[[services.svc-${i}.depends_on]]`, `service = "svc-${i - 1}"`, 'condition = "healthy"');
    out.push('');
  }
  return out.join('\n');
}

/**
 * Fastest of `runs` timings of each, interleaved so both see the same machine load (it is shared): the
 * minimum is the run least disturbed by other processes.
 */
function fastest(a: () => unknown, b: () => unknown, runs: number): [number, number] {
  for (let i = 0; i < 2; i++) {
    a();
    b();
  }
  let bestA = Infinity;
  let bestB = Infinity;
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    a();
    bestA = Math.min(bestA, performance.now() - t0);
    t0 = performance.now();
    b();
    bestB = Math.min(bestB, performance.now() - t0);
  }
  return [bestA, bestB];
}

test("a 1000-service topology parses about as fast as smol-toml, and time grows like smol-toml's", (t) => {
  const text = topology(1000);
  const doc = parseToml(text);
  assert.deepEqual(doc.errors, []);
  assert.equal(doc.headers.length, 1 + 1000 + 999);

  const [smol, ours] = fastest(
    () => smolParse(text),
    () => parseToml(text),
    12,
  );
  const big = topology(3000);
  const [smol3, ours3] = fastest(
    () => smolParse(big),
    () => parseToml(big),
    3,
  );
  t.diagnostic(
    `${text.split('\n').length} lines: smol-toml ${smol.toFixed(1)} ms, parseToml ${ours.toFixed(1)} ms ` +
      `(ratio ${(ours / smol).toFixed(2)}); 3x the services: smol-toml ${smol3.toFixed(1)} ms, ` +
      `parseToml ${ours3.toFixed(1)} ms (ratio ${(ours3 / smol3).toFixed(2)})`,
  );
  // A quadratic path would show as a ratio growing with the input.
  assert.ok(ours < smol * 3, `parseToml ${ours} ms vs smol-toml ${smol} ms`);
  assert.ok(ours3 < smol3 * 3, `3x input: parseToml ${ours3} ms vs smol-toml ${smol3} ms`);
});
