// Runtime reading side: BigInt-safe JSON, state file decoding, directory reading, liveness, name resolution and
// the choice of the state directory.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  checkLiveness,
  decodeContainerState,
  isStateFileName,
  JsonParseError,
  parseJson,
  parseStartTicks,
  readStateDir,
  resolveContainer,
  resolveStateDir,
  type ContainerState,
  type StateDirHost,
} from '@nucleus-topology/engine';

const FIXTURES = new URL('../fixtures/plan/', import.meta.url).pathname;
const tmpRoot = mkdtempSync(join(tmpdir(), 'nt-state-'));
after(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe('parseJson', () => {
  it('keeps integers beyond 2^53 exact and small ones as numbers', () => {
    const v = parseJson('{"a": 18446744073709551615, "b": 9007199254740993, "c": 42, "d": -1.5e2}');
    assert.deepEqual(v, { a: 18446744073709551615n, b: 9007199254740993n, c: 42, d: -150 });
  });
  it("bigints: 'all' distinguishes integers from floats", () => {
    assert.deepEqual(parseJson('[1, 1.0, 0, -0]', { bigints: 'all' }), [1n, 1, 0n, 0n]);
  });
  it('decodes escapes and surrogate pairs', () => {
    assert.equal(parseJson('"a\\n\\u00e9\\ud83d\\ude00\\/"'), 'a\né😀/');
  });
  it('is strict', () => {
    for (const bad of [
      '[1,]',
      '{"a":1,}',
      '01',
      '1.',
      '.5',
      '+1',
      '"\t"',
      '"\\x"',
      '"\\ud800"',
      '"\\udc00"',
      'NaN',
      "'a'",
      '{a:1}',
      '[1] x',
      '',
      '\ufeff1',
      '1e400',
    ]) {
      assert.throws(() => parseJson(bad), JsonParseError, bad);
    }
  });
  it('rejects duplicate keys only when asked', () => {
    assert.deepEqual(parseJson('{"a":1,"a":2}'), { a: 2 });
    assert.throws(() => parseJson('{"a":1,"a":2}', { rejectDuplicateKeys: true }), /duplicate key "a"/);
  });
  it('keeps __proto__ as an own key', () => {
    const v = parseJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });
  it('reports line and column', () => {
    try {
      parseJson('{\n  "a": tru\n}');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof JsonParseError);
      assert.equal(e.line, 2);
      assert.equal(e.column, 8);
    }
  });
  it('limits nesting depth instead of overflowing the stack', () => {
    assert.throws(() => parseJson('['.repeat(100_000)), /recursion limit/);
  });
});

describe('decodeContainerState', () => {
  it('decodes a state file written by Nucleus, config_hash exact', () => {
    const text = readFileSync(join(FIXTURES, '16-duplicate-container-names/state/d1.json'), 'utf8');
    const r = decodeContainerState(text);
    assert.ok('state' in r);
    assert.equal(r.state.config_hash, '14959766302051270254');
    assert.equal(r.state.name, 't-web');
    assert.equal(r.state.status, 'running');
    assert.equal(typeof r.state.start_ticks, 'string');
    assert.deepEqual(r.state.annotations, {});
  });
  it('applies serde defaults: status stopped, config_hash null, start_ticks 0', () => {
    const r = decodeContainerState(
      '{"id":"x","name":"n","pid":1,"command":[],"started_at":0,"using_gvisor":false,"rootless":false}',
    );
    assert.ok('state' in r);
    assert.equal(r.state.status, 'stopped');
    assert.equal(r.state.config_hash, null);
    assert.equal(r.state.start_ticks, '0');
    assert.equal(r.state.memory_limit, null);
  });
  it('keeps 0.3.9 fields', () => {
    const r = decodeContainerState(
      '{"id":"x","name":"n","pid":1,"command":[],"environment":{"A":"1"},"workdir":"/workspace","started_at":0,"using_gvisor":false,"rootless":false,"rootfs_mode":"bind","rootfs_path":null}',
    );
    assert.ok('state' in r);
    assert.deepEqual(r.state.environment, { A: '1' });
    assert.equal(r.state.workdir, '/workspace');
    assert.equal(r.state.rootfs_path, null);
  });
  it('says what is wrong with a foreign or corrupt file', () => {
    const cases: [string, RegExp][] = [
      ['[1,2]', /expected a JSON object/],
      ['{"hello": "world"}', /missing field `id`/],
      ['{"id":"x","name":"n","pid":-1}', /field `pid`: expected u32, found integer `-1`/],
      ['{"id":"x","name":"n","pid":1.0}', /field `pid`: expected u32, found floating point/],
      [
        '{"id":"x","name":"n","pid":1,"command":[],"started_at":0,"using_gvisor":false,"rootless":false,"status":"paused"}',
        /unknown variant/,
      ],
      [
        '{"id":"x","name":"n","pid":1,"command":[],"started_at":0,"using_gvisor":false,"rootless":false,"config_hash":18446744073709551616}',
        /config_hash.*expected u64/,
      ],
      ['{"id": "x", "id": "y"}', /duplicate key/],
      ['{"id": ', /not valid JSON/],
    ];
    for (const [text, re] of cases) {
      const r = decodeContainerState(text);
      assert.ok('error' in r, text);
      assert.match(r.error, re, text);
    }
  });
});

describe('readStateDir', () => {
  it('reads every *.json, skips unusable files with a message, never throws', async () => {
    const dir = join(tmpRoot, 'mixed');
    mkdirSync(dir);
    const good = readFileSync(
      join(FIXTURES, '02-all-match/state/0000000000000000000000000000000a.json'),
      'utf8',
    );
    writeFileSync(join(dir, 'good.json'), good);
    writeFileSync(join(dir, 'corrupt.json'), '{"id": "x", ');
    writeFileSync(join(dir, 'foreign.json'), '{"kind": "something else"}');
    writeFileSync(join(dir, 'pending.json.tmp'), good);
    writeFileSync(join(dir, '.json'), good);
    writeFileSync(join(dir, 'notes.txt'), 'x');
    mkdirSync(join(dir, 'adir.json'));
    symlinkSync(join(dir, 'good.json'), join(dir, 'link.json'));
    const snap = await readStateDir(dir, { liveness: () => ({ running: true, reason: 'test' }) });
    assert.equal(snap.error, undefined);
    assert.deepEqual(
      snap.containers.map((c) => c.file),
      ['good.json'],
    );
    const problems = Object.fromEntries(snap.problems.map((p) => [p.file, p.message]));
    assert.deepEqual(Object.keys(problems).sort(), [
      'adir.json',
      'corrupt.json',
      'foreign.json',
      'link.json',
    ]);
    assert.match(problems['corrupt.json'] as string, /not valid JSON/);
    assert.match(problems['foreign.json'] as string, /not a container state: missing field `id`/);
    assert.match(problems['link.json'] as string, /symlink/);
  });
  it('treats a missing directory as empty and reports an unreadable one', async () => {
    const missing = await readStateDir(join(tmpRoot, 'nope'));
    assert.deepEqual([missing.containers, missing.problems, missing.error], [[], [], undefined]);
    const file = join(tmpRoot, 'plainfile');
    writeFileSync(file, '');
    const notDir = await readStateDir(file);
    assert.match(notDir.error ?? '', /Failed to read state directory/);
  });
  it('isStateFileName follows Rust Path::extension', () => {
    assert.deepEqual(['a.json', '.json', 'a.json.tmp', 'a.JSON', '..json', 'a.b.json'].map(isStateFileName), [
      true,
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});

function state(fields: Partial<ContainerState>): ContainerState {
  return {
    id: '0123456789abcdef0123456789abcdef',
    name: 't-web',
    pid: 100,
    command: [],
    started_at: 0,
    memory_limit: null,
    cpu_limit: null,
    using_gvisor: false,
    rootless: false,
    cgroup_path: null,
    config_hash: null,
    creator_uid: 0,
    process_uid: 0,
    process_gid: 0,
    additional_gids: [],
    start_ticks: '555',
    status: 'running',
    bundle_path: null,
    annotations: {},
    ...fields,
  };
}

describe('liveness (§6.3)', () => {
  const stat = (ticks: string) =>
    `100 (we ird) name) S 1 100 100 0 -1 4194304 1 0 0 0 0 0 0 0 20 0 1 0 ${ticks} 1000 10 18446744073709551615`;
  it('parses field 22 after the last )', () => {
    assert.equal(parseStartTicks(stat('555')), '555');
    assert.equal(parseStartTicks('garbage'), null);
    assert.equal(parseStartTicks('1 (x) S 1'), null);
  });
  it('checks status, pid, start_ticks', async () => {
    const reader = (t: string | null) => () => Promise.resolve(t === null ? null : stat(t));
    assert.deepEqual(await checkLiveness(state({}), reader('555')), { running: true, reason: 'running' });
    assert.equal((await checkLiveness(state({ status: 'created' }), reader('555'))).running, true);
    assert.equal((await checkLiveness(state({ status: 'creating' }), reader('555'))).running, true);
    assert.deepEqual(await checkLiveness(state({ status: 'stopped' }), reader('555')), {
      running: false,
      reason: 'status stopped',
    });
    assert.deepEqual(await checkLiveness(state({}), reader(null)), {
      running: false,
      reason: 'pid 100 gone',
    });
    assert.match((await checkLiveness(state({ start_ticks: '0' }), reader('0'))).reason, /start_ticks is 0/);
    assert.match((await checkLiveness(state({}), reader('562'))).reason, /reused/);
  });
  it('works against the real /proc', async () => {
    const ticks = parseStartTicks(readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
    assert.ok(ticks !== null && ticks !== '0');
    assert.equal((await checkLiveness(state({ pid: process.pid, start_ticks: ticks }))).running, true);
    const wrong = (BigInt(ticks) + 7n).toString();
    assert.equal((await checkLiveness(state({ pid: process.pid, start_ticks: wrong }))).running, false);
  });
});

describe('resolveContainer', () => {
  const e = (id: string, name: string) => ({ state: state({ id, name }) });
  const entries = [e('aaaa1111', 'x-web'), e('aaaa2222', 'x-db'), e('bbbb', 'x-db'), e('cccc', 'aaaa1111')];
  it('exact id first, then unique name, then unique prefix', () => {
    assert.equal(
      (resolveContainer(entries, 'aaaa1111') as { ok: { state: ContainerState } }).ok.state.name,
      'x-web',
    );
    assert.equal(
      (resolveContainer(entries, 'x-web') as { ok: { state: ContainerState } }).ok.state.id,
      'aaaa1111',
    );
    assert.equal((resolveContainer(entries, 'bb') as { ok: { state: ContainerState } }).ok.state.id, 'bbbb');
  });
  it("gives Nucleus's errors", () => {
    assert.deepEqual(resolveContainer(entries, 'x-db'), {
      error: "Ambiguous container reference: Name 'x-db' matches 2 containers; use container ID instead",
      kind: 'ambiguous',
    });
    assert.deepEqual(resolveContainer(entries, 'aaaa'), {
      error: "Ambiguous container reference: 'aaaa' matches 2 containers",
      kind: 'ambiguous',
    });
    assert.deepEqual(resolveContainer(entries, 'zz'), {
      error: 'Container not found: zz',
      kind: 'not-found',
    });
  });
});

describe('resolveStateDir (§6.1)', () => {
  type Entry = { kind: 'dir' | 'symlink' | 'file'; mode?: number; uid?: number; writable?: boolean };
  const fakeHost = (
    uid: number,
    env: Record<string, string>,
    fs: Record<string, Entry>,
  ): Partial<StateDirHost> => ({
    uid,
    env,
    passwdHome: () => '/home/pw',
    lstat: (p) => {
      const e = fs[p];
      return e ? { kind: e.kind, mode: e.mode ?? 0o700, uid: e.uid ?? uid } : null;
    },
    stat: (p) => {
      const e = fs[p];
      return e ? { kind: e.kind === 'symlink' ? 'dir' : e.kind } : null;
    },
    writable: (p) => fs[p]?.writable !== false,
  });

  it('--root and NUCLEUS_STATE_DIR are used exactly', () => {
    const host = fakeHost(1000, { NUCLEUS_STATE_DIR: '/s' }, { '/': { kind: 'dir' }, '/r': { kind: 'dir' } });
    assert.equal(resolveStateDir({ root: '/r', host }).dir, '/r');
    const env = resolveStateDir({ host });
    assert.deepEqual([env.dir, env.source, env.exists], ['/s', 'env', false]);
  });
  it('uid 0 uses /var/run/nucleus', () => {
    const host = fakeHost(0, { XDG_RUNTIME_DIR: '/run/user/0' }, { '/var/run': { kind: 'dir' } });
    assert.deepEqual(
      [resolveStateDir({ host }).dir, resolveStateDir({ host }).source],
      ['/var/run/nucleus', 'uid-0'],
    );
  });
  it('takes the first usable candidate and says why the others were rejected', () => {
    const host = fakeHost(
      1000,
      { XDG_RUNTIME_DIR: '/run/user/1000', HOME: '/home/u' },
      {
        '/run/user/1000/nucleus': { kind: 'symlink' },
        '/home/u/.local/share/nucleus': { kind: 'dir', uid: 0, mode: 0o755 },
        '/home/u/.nucleus': { kind: 'dir' },
      },
    );
    const choice = resolveStateDir({ host });
    assert.equal(choice.dir, '/home/u/.nucleus');
    assert.equal(choice.source, 'home');
    assert.equal(choice.exists, true);
    assert.deepEqual(
      choice.candidates.map((c) => c.verdict),
      ['rejected', 'rejected', 'usable'],
    );
    assert.match(choice.candidates[0]?.reason ?? '', /symlink/);
    assert.match(choice.candidates[1]?.reason ?? '', /owned by uid 0/);
  });
  it('ignores a relative XDG_RUNTIME_DIR/XDG_DATA_HOME and an empty HOME', () => {
    const host = fakeHost(
      1000,
      { XDG_RUNTIME_DIR: 'rel', XDG_DATA_HOME: 'rel2', HOME: '' },
      { '/home/pw': { kind: 'dir' } },
    );
    const choice = resolveStateDir({ host });
    assert.deepEqual(
      choice.candidates.map((c) => c.path),
      ['/home/pw/.local/share/nucleus'],
    );
    assert.equal(choice.exists, false);
    assert.equal(choice.candidates[0]?.verdict, 'would-create');
  });
  it('falls back to /tmp/nucleus-<uid> and fails when nothing is usable', () => {
    const ro = { kind: 'dir' as const, writable: false };
    const host = fakeHost(1000, { HOME: '/h' }, { '/h': ro, '/tmp': { kind: 'dir' } });
    assert.equal(resolveStateDir({ host }).dir, '/tmp/nucleus-1000');
    const none = resolveStateDir({ host: fakeHost(1000, { HOME: '/h' }, { '/h': ro, '/tmp': ro }) });
    assert.equal(none.dir, null);
    assert.match(none.error ?? '', /\/tmp\/nucleus-1000: cannot be created/);
  });
  it('reads the real file system without creating anything', () => {
    const base = join(tmpRoot, 'sd');
    mkdirSync(base);
    symlinkSync(tmpRoot, join(base, 'link'));
    const viaLink = resolveStateDir({ root: join(base, 'link') });
    assert.equal(viaLink.dir, null);
    assert.match(viaLink.error ?? '', /symlink/);
    const missing = resolveStateDir({ root: join(base, 'new', 'deeper') });
    assert.deepEqual([missing.dir, missing.exists], [join(base, 'new', 'deeper'), false]);
    assert.throws(() => readFileSync(join(base, 'new')), /ENOENT/);
  });
});
