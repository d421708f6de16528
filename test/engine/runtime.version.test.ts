// Which Nucleus version's rules apply: the version state files were written by (0.3.9 files carry fields 0.3.8 does
// not write, spec §6.2), and the one resolution the server, the editor's commands and the CLI share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLI_DEFAULT_VERSION,
  decodeContainerState,
  inferVersionFromState,
  LATEST_VERSION,
  resolveRuleVersion,
  stateFileVersion,
} from '@nucleus-topology/engine';
import { FIELDS_0_3_9, observed, snapshotOf } from '../helpers/state.js';

describe('inferVersionFromState', () => {
  it('0.3.8 files: 0.3.8; 0.3.9 files: 0.3.9; running or stale alike', () => {
    assert.equal(
      inferVersionFromState(snapshotOf([observed('a-x'), observed('a-y', { running: false })])),
      '0.3.8',
    );
    assert.equal(
      inferVersionFromState(
        snapshotOf([observed('a-x', FIELDS_0_3_9), observed('b-y', { ...FIELDS_0_3_9, running: false })]),
      ),
      '0.3.9',
    );
  });

  it('unknown without state files, or when they disagree', () => {
    assert.equal(inferVersionFromState(snapshotOf([])), null);
    assert.equal(inferVersionFromState(snapshotOf([observed('a-x'), observed('a-y', FIELDS_0_3_9)])), null);
  });

  it('any one field only 0.3.9 writes is enough (rootfs_path: null counts: it was written)', () => {
    for (const [key, value] of Object.entries(FIELDS_0_3_9)) {
      assert.equal(stateFileVersion(observed('a-x', { [key]: value }).state), '0.3.9', key);
    }
  });

  it('from the files as Nucleus writes them (decoded like any state file)', () => {
    const base = {
      id: '3f9c2a7e8b1d4c6f9a0e5b7d2c4f6a8e',
      name: 'shop-api',
      pid: 41237,
      command: ['/bin/api'],
      started_at: 1780000000,
      memory_limit: 536870912,
      cpu_limit: 500,
      using_gvisor: true,
      rootless: true,
      cgroup_path: null,
      config_hash: 1,
      creator_uid: 0,
      process_uid: 1000,
      process_gid: 1000,
      additional_gids: [],
      start_ticks: 88123456,
      status: 'running',
      bundle_path: null,
      annotations: {},
    };
    const v038 = decodeContainerState(JSON.stringify(base, null, 2));
    const v039 = decodeContainerState(
      JSON.stringify(
        {
          ...base,
          environment: { A: '1' },
          workdir: '/workspace',
          rootfs_path: null,
          rootfs_mode: 'bind',
          rootfs_upperdir: null,
          rootfs_workdir: null,
        },
        null,
        2,
      ),
    );
    assert.ok('state' in v038 && 'state' in v039);
    assert.equal(stateFileVersion(v038.state), '0.3.8');
    assert.equal(stateFileVersion(v039.state), '0.3.9');
  });
});

describe('resolveRuleVersion', () => {
  it('explicit setting > detected by nucleus --version > inferred from state files > newest supported', () => {
    const all = { detected: 'nucleus 0.3.9', inferred: '0.3.9' as const };
    assert.deepEqual(resolveRuleVersion({ ...all, setting: '0.3.8' }), {
      version: '0.3.8',
      source: 'setting',
    });
    assert.deepEqual(resolveRuleVersion({ setting: 'auto', detected: '0.3.8', inferred: '0.3.9' }), {
      version: '0.3.8',
      source: 'detected',
    });
    const inferred = resolveRuleVersion({ setting: 'auto', detected: null, inferred: '0.3.8' });
    assert.deepEqual([inferred.version, inferred.source], ['0.3.8', 'state']);
    assert.match(inferred.note ?? '', /written by Nucleus 0\.3\.8/);
    const none = resolveRuleVersion({});
    assert.deepEqual([none.version, none.source], [LATEST_VERSION, 'default']);
    assert.match(none.note ?? '', /unknown; assuming 0\.3\.9 hash rules/);
  });

  it('a detected version without rules here is passed over (and said so)', () => {
    const future = resolveRuleVersion({ detected: 'nucleus 0.4.0', inferred: '0.3.9' });
    assert.deepEqual(
      [future.version, future.source, future.unsupportedDetected],
      ['0.3.9', 'state', '0.4.0'],
    );
    const old = resolveRuleVersion({ detected: '0.3.7' });
    assert.deepEqual([old.version, old.source], [LATEST_VERSION, 'default']);
    assert.match(old.note ?? '', /nucleus 0\.3\.7 is not a version this tool knows/);
  });

  it("the CLI's fallback stays 0.3.8 (docs/cli.md)", () => {
    assert.equal(CLI_DEFAULT_VERSION, '0.3.8');
    assert.deepEqual(resolveRuleVersion({ detected: null, fallback: CLI_DEFAULT_VERSION }).version, '0.3.8');
    assert.equal(resolveRuleVersion({ detected: '0.3.9', fallback: CLI_DEFAULT_VERSION }).version, '0.3.9');
  });
});
