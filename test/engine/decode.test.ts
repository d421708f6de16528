// The decoder emulates serde + toml 1.1.2: byte-ordered key visits, missing fields after a table's keys at its
// header, serde's messages and spans; it collects every error and still builds a best-effort topology.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTopology, parseToml, type SupportedVersion } from '@nucleus-topology/engine';
import { marked } from './markers.ts';

function decode(text: string, version: SupportedVersion = '0.3.8') {
  return decodeTopology(parseToml(text), version);
}

const SVC = 'rootfs = "/nix/store/r"\ncommand = ["/bin/x"]\nmemory = "1G"\n';

describe('decode: serde order', () => {
  it('visits keys in byte order, not document order (the first error is the first sorted key)', () => {
    const m = marked(
      `name = "t"\n[services.web]\nrootfs = "/r"\nmemory = 1\ncommand = ["/bin/web"]\ncpus = ⟦"x"⟧\n`,
    );
    const d = decode(m.text);
    assert.equal(d.errors.length, 2, 'both errors are collected');
    assert.deepEqual(d.errors[0], {
      code: 'invalid-type',
      message: 'invalid type: string "x", expected f64',
      span: m.span,
    });
    assert.equal(d.errors[1]?.message, 'invalid type: integer `1`, expected a string');
  });

  it('a type error beats an unknown field that sorts after it', () => {
    const d = decode(
      `name = "t"\n[services.web]\nrootfs = "/r"\ncommand = []\nzzz_unknown = 1\nmemory = 1\n`,
    );
    assert.deepEqual(
      d.errors.map((e) => e.code),
      ['invalid-type', 'unknown-service-key'],
    );
  });

  it('services are visited in byte order, depth first', () => {
    const d = decode(`name = "t"\n[services.b]\nmemory = 1\n[services.A]\nmemory = 2\n`);
    // "A" < "b": A's type error, then A's missing fields, then b's.
    assert.deepEqual(
      d.errors.map((e) => e.message),
      [
        'invalid type: integer `2`, expected a string',
        'missing field `rootfs`',
        'missing field `command`',
        'invalid type: integer `1`, expected a string',
        'missing field `rootfs`',
        'missing field `command`',
      ],
    );
  });

  it('missing fields come after the table keys, in declaration order, at the whole header', () => {
    const m = marked(`name = "t"\n⟦[services.web]⟧\nmemory = "1G"\n`);
    const d = decode(m.text);
    assert.deepEqual(
      d.errors.map((e) => [e.message, e.span]),
      [
        ['missing field `rootfs`', m.span],
        ['missing field `command`', m.span],
      ],
    );
  });

  it('missing field spans: inline table → `{…}`, root → offset 0, implicit/dotted table → the key that created it', () => {
    const inline = marked(`name = "t"\n[services]\nweb = ⟦{ memory = "1G", command = [] }⟧\n`);
    assert.deepEqual(decode(inline.text).errors[0]?.span, inline.span);
    assert.deepEqual(decode('name = "t"\n').errors[0], {
      code: 'missing-field',
      message: 'missing field `services`',
      span: { start: 0, end: 0 },
    });
    const implicit = marked(`name = "t"\n[services.⟦web⟧.environment]\nA = "1"\n`);
    assert.deepEqual(decode(implicit.text).errors[0]?.span, implicit.span);
    const dotted = marked(`name = "t"\nservices.⟦web⟧.memory = "1G"\n`);
    assert.deepEqual(decode(dotted.text).errors[0]?.span, dotted.span);
    const aot = marked(
      `name = "t"\n[services.web]\n${SVC}⟦[[services.web.depends_on]]⟧\ncondition = "healthy"\n`,
    );
    assert.deepEqual(decode(aot.text).errors[0], {
      code: 'missing-field',
      message: 'missing field `service`',
      span: aot.span,
    });
  });
});

describe('decode: messages', () => {
  const cases: [string, string, string][] = [
    ['memory = ⟦512⟧', 'invalid type: integer `512`, expected a string', 'invalid-type'],
    ['pids = ⟦1.0⟧', 'invalid type: floating point `1.0`, expected u64', 'invalid-type'],
    ['pids = ⟦1e3⟧', 'invalid type: floating point `1000.0`, expected u64', 'invalid-type'],
    ['pids = ⟦-1⟧', 'invalid value: integer `-1`, expected u64', 'invalid-value'],
    ['pids = ⟦nan⟧', 'invalid type: floating point `NaN`, expected u64', 'invalid-type'],
    ['egress_tcp_ports = [443, ⟦65536⟧]', 'invalid value: integer `65536`, expected u16', 'invalid-value'],
    ['replicas = ⟦4294967296⟧', 'invalid value: integer `4294967296`, expected u32', 'invalid-value'],
    [
      'replicas = ⟦18446744073709551615⟧',
      'invalid value: integer `18446744073709551615`, expected u32',
      'invalid-value',
    ],
    ['cpus = ⟦"x"⟧', 'invalid type: string "x", expected f64', 'invalid-type'],
    ['cpus = ⟦true⟧', 'invalid type: boolean `true`, expected f64', 'invalid-type'],
    [
      'command = ⟦"/bin/web --flag"⟧',
      'invalid type: string "/bin/web --flag", expected a sequence',
      'invalid-type',
    ],
    ['command = ⟦{ a = "b" }⟧', 'invalid type: map, expected a sequence', 'invalid-type'],
    ['environment = ⟦["A=1"]⟧', 'invalid type: sequence, expected a map', 'invalid-type'],
    ['environment = { PORT = ⟦8080⟧ }', 'invalid type: integer `8080`, expected a string', 'invalid-type'],
    ['health_check = ⟦1979-05-27⟧', 'invalid type: map, expected a string', 'invalid-type'],
    [
      'nat_backend = ⟦"Userspace"⟧',
      'unknown variant `Userspace`, expected one of `auto`, `kernel`, `userspace`',
      'unknown-variant',
    ],
    ['nat_backend = ⟦1⟧', 'wanted string or table', 'invalid-type'],
    ['nat_backend = ⟦{}⟧', 'wanted exactly 1 element, found 0 elements', 'invalid-type'],
    [
      'nat_backend = { ⟦fast⟧ = {} }',
      'unknown variant `fast`, expected one of `auto`, `kernel`, `userspace`',
      'unknown-variant',
    ],
    ['nat_backend = { kernel = ⟦1⟧ }', 'expected table, found integer', 'invalid-type'],
    ['depends_on = [⟦"db"⟧]', 'invalid type: string "db", expected struct DependsOn', 'invalid-type'],
    ['depends_on = ⟦"db"⟧', 'invalid type: string "db", expected a sequence', 'invalid-type'],
    ['cpus = ⟦1e400⟧', 'floating-point number overflowed', 'number-overflow'],
  ];
  for (const [line, message, code] of cases) {
    it(line.replace(/[⟦⟧]/g, ''), () => {
      const key = line.split(' ')[0] as string;
      const base = SVC.split('\n')
        .filter((l) => !l.startsWith(`${key} `))
        .join('\n');
      const m = marked(`name = "t"\n[services.web]\n${base}${line}\n`);
      const d = decode(m.text);
      assert.deepEqual(d.errors[0], { code, message, span: m.span });
    });
  }

  it('Rust {:?} escaping in string Unexpected', () => {
    const d = decode(`name = "t"\n[services.web]\n${SVC}cpus = "q\\"uote\\ttab\\u00e9"\n`);
    assert.equal(d.errors[0]?.message, 'invalid type: string "q\\"uote\\ttab\u00e9", expected f64');
  });

  it('a struct given as an array is read positionally (serde visit_seq)', () => {
    const d = decode(
      `name = "t"\n[services.db]\n${SVC}[services.web]\n${SVC}depends_on = [["db", "healthy"]]\n`,
    );
    assert.deepEqual(d.errors, []);
    assert.deepEqual(d.topology.services.get('web')?.depends_on, [{ service: 'db', condition: 'healthy' }]);
    const short = decode(`name = "t"\n[services.web]\n${SVC}depends_on = [[]]\n`);
    assert.equal(short.errors[0]?.message, 'invalid length 0, expected struct DependsOn with 2 elements');
  });

  it('`nat_backend = { kernel = {} }` is the table form of an enum and is accepted', () => {
    const d = decode(`name = "t"\n[services.web]\n${SVC}nat_backend = { kernel = {} }\n`);
    assert.deepEqual(d.errors, []);
    assert.equal(d.topology.services.get('web')?.nat_backend, 'kernel');
  });

  it('a float overflow fails even in an ignored key, in serde order', () => {
    const m = marked(`name = "t"\nzz = ⟦1e400⟧\n[services.web]\n${SVC}`);
    const d = decode(m.text);
    assert.deepEqual(d.errors[0], {
      code: 'number-overflow',
      message: 'floating-point number overflowed',
      span: m.span,
    });
  });
});

describe('decode: numbers', () => {
  it('u64 beyond i64 is valid; an integer cpus becomes an f64 (round to nearest)', () => {
    const d = decode(
      `name = "t"\n[services.web]\n${SVC}pids = 18446744073709551615\ncpus = 9007199254740993\nhealth_interval = 0\n`,
    );
    assert.deepEqual(d.errors, []);
    const web = d.topology.services.get('web');
    assert.equal(web?.pids, 18446744073709551615n);
    assert.equal(web?.cpus, 9007199254740992);
    assert.equal(web?.health_interval, 0n);
  });
  it('cpus integer forms (hex, octal, underscores) and nan/inf', () => {
    for (const [lit, value] of [
      ['0x10', 16],
      ['0o777', 511],
      ['1_000', 1000],
      ['inf', Infinity],
      ['-inf', -Infinity],
    ] as const) {
      const d = decode(`name = "t"\n[services.web]\n${SVC}cpus = ${lit}\n`);
      assert.deepEqual(d.errors, [], lit);
      assert.equal(d.topology.services.get('web')?.cpus, value, lit);
    }
    assert.ok(
      Number.isNaN(
        decode(`name = "t"\n[services.web]\n${SVC}cpus = nan\n`).topology.services.get('web')?.cpus,
      ),
    );
  });
});

describe('decode: unknown keys', () => {
  it('unknown service keys are errors with did-you-mean and the version field list', () => {
    const m = marked(`name = "t"\n[services.web]\n${SVC}⟦healthcheck⟧ = "x"\n`);
    const d = decode(m.text);
    assert.equal(d.errors[0]?.code, 'unknown-service-key');
    assert.match(
      d.errors[0]?.message ?? '',
      /^unknown field `healthcheck`, expected one of `rootfs`, `command`, .*`runtime`$/,
    );
    const issue = d.issues.find((i) => i.code === 'unknown-service-key');
    assert.deepEqual(issue?.span, m.span);
    assert.deepEqual(issue?.data?.suggestions, ['health_check']);
    assert.equal(issue?.severity, 'error');
  });

  it('0.3.9-only keys: errors under 0.3.8 saying so, accepted under 0.3.9', () => {
    const text = `name = "t"\n[services.web]\n${SVC}egress_domains = ["example.com"]\n`;
    const v38 = decode(text, '0.3.8');
    assert.equal(v38.errors[0]?.code, 'newer-version-key');
    assert.match(
      v38.issues.find((i) => i.code === 'newer-version-key')?.message ?? '',
      /requires Nucleus 0\.3\.9/,
    );
    const v39 = decode(text, '0.3.9');
    assert.deepEqual(v39.errors, []);
    assert.deepEqual(v39.topology.services.get('web')?.egress_domains, ['example.com']);
  });

  it('`hooks` gets the dedicated message', () => {
    const m = marked(`name = "t"\n[services.web]\n${SVC}[services.web.⟦hooks⟧]\npoststart = []\n`);
    const d = decode(m.text, '0.3.9');
    assert.equal(d.errors[0]?.code, 'removed-hooks');
    assert.deepEqual(d.errors[0]?.span, m.span);
    assert.match(
      d.issues[0]?.message ?? '',
      /removed from topology services in Nucleus 0\.3\.5; use `nucleus create --hooks`/,
    );
  });

  it('unknown keys elsewhere are warnings (unnecessary) with suggestions, and not errors', () => {
    const text = marked(
      `name = "t"\n⟦version⟧ = "3"\n[networks.n]\n⟦driver⟧ = "bridge"\n[volumes.data]\n⟦type⟧ = "persistent"\n[services.db]\n${SVC}[services.web]\n${SVC}depends_on = [{ service = "db", ⟦condtion⟧ = "healthy" }]\n`,
    );
    const d = decode(text.text);
    assert.deepEqual(d.errors, []);
    const warnings = d.issues
      .filter((i) => i.code === 'ignored-key')
      .sort((a, b) => a.span.start - b.span.start);
    assert.deepEqual(
      warnings.map((w) => w.span),
      text.spans,
    );
    for (const w of warnings) {
      assert.equal(w.severity, 'warning');
      assert.deepEqual(w.tags, ['unnecessary']);
      assert.equal(w.nucleus?.phase, 'never');
      assert.match(w.message, /silently ignores/);
    }
    assert.deepEqual(warnings.find((w) => w.data?.name === 'type')?.data?.suggestions?.[0], 'volume_type');
    assert.deepEqual(warnings.find((w) => w.data?.name === 'condtion')?.data?.suggestions, ['condition']);
    assert.equal(d.topology.services.get('web')?.depends_on[0]?.condition, 'started');
  });
});

describe('decode: best effort', () => {
  it('wrong fields fall back to defaults; only services that decoded exactly are in exactServices', () => {
    const d = decode(`name = "t"\n[services.ok]\n${SVC}[services.bad]\n${SVC}pids = -5\ncpus = 2\n`);
    assert.deepEqual([...d.exactServices], ['ok']);
    const bad = d.topology.services.get('bad');
    assert.equal(bad?.pids, 512n);
    assert.equal(bad?.cpus, 2);
    assert.deepEqual([...(d.sources.services.get('bad')?.failed ?? [])], ['pids']);
  });

  it('a service broken by a TOML syntax error is not exact', () => {
    const d = decode(`name = "t"\n[services.ok]\n${SVC}[services.bad]\n${SVC}dns = ["1.1.1.1"\n`);
    assert.ok(d.exactServices.has('ok'));
    assert.ok(!d.exactServices.has('bad'));
  });

  it('a service that is not a table is still listed (with defaults) but not exact', () => {
    const m = marked(`name = "t"\n[services]\nweb = ⟦"x"⟧\n`);
    const d = decode(m.text);
    assert.deepEqual(d.errors[0], {
      code: 'invalid-type',
      message: 'invalid type: string "x", expected struct ServiceDef',
      span: m.span,
    });
    assert.ok(d.topology.services.has('web'));
    assert.equal(d.exactServices.size, 0);
  });

  it('environment maps iterate in byte order', () => {
    const d = decode(
      `name = "t"\n[services.web]\n${SVC}environment = { b = "1", B = "2", _x = "3", "😀" = "4", "ｆ" = "5" }\n`,
    );
    assert.deepEqual(
      [...(d.topology.services.get('web')?.environment.keys() ?? [])],
      ['B', '_x', 'b', 'ｆ', '😀'],
    );
  });
});
