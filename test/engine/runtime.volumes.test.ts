// Persistent volume preparation before `nucleus create` (§2.4 step 2): directories, modes, no symlinks, owner,
// Nucleus's messages.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { preparePersistentVolume, type VolumeDef } from '@nucleus-topology/engine';

const base = mkdtempSync(join(tmpdir(), 'nt-vol-'));
after(() => rmSync(base, { recursive: true, force: true }));
const vol = (path: string | null, owner: string | null = null): VolumeDef => ({
  volume_type: 'persistent',
  path,
  owner,
  size: null,
});
const isRoot = process.geteuid?.() === 0;

describe('preparePersistentVolume', () => {
  it('creates missing components: 0755 parents, 0700 leaf; returns the canonical path', () => {
    const old = process.umask(0o022);
    try {
      const path = join(base, 'a', 'b', 'leaf');
      const r = preparePersistentVolume('data', vol(`${path}/./`));
      assert.deepEqual(r, { ok: true, value: path });
      assert.equal(statSync(join(base, 'a')).mode & 0o777, 0o755);
      assert.equal(statSync(join(base, 'a', 'b')).mode & 0o777, 0o755);
      assert.equal(statSync(path).mode & 0o777, 0o700);
    } finally {
      process.umask(old);
    }
  });

  it('leaves existing directories as they are and normalizes `..` first', () => {
    const existing = join(base, 'existing');
    mkdirSync(existing, { mode: 0o750 });
    const r = preparePersistentVolume('data', vol(`${existing}/x/../`));
    assert.deepEqual(r, { ok: true, value: existing });
    assert.equal(statSync(existing).mode & 0o777, 0o750);
  });

  // openat(O_DIRECTORY | O_NOFOLLOW) on a symlink fails with ENOTDIR on Linux, for Nucleus as for us.
  it('never follows a symlink in the path', () => {
    mkdirSync(join(base, 'real'));
    symlinkSync(join(base, 'real'), join(base, 'link'));
    const path = join(base, 'link', 'data');
    const r = preparePersistentVolume('data', vol(path));
    assert.deepEqual(r, {
      ok: false,
      error: `Failed to open persistent volume directory component under "${path}" without following symlinks: Not a directory (os error 20)`,
    });
  });

  it('reports a file in the way with the OS error', () => {
    writeFileSync(join(base, 'file'), '');
    const path = join(base, 'file', 'data');
    const r = preparePersistentVolume('data', vol(path));
    assert.equal(r.ok, false);
    assert.match(
      (r as { error: string }).error,
      /^Failed to (create|open) persistent volume directory component under ".*" .*: Not a directory \(os error 20\)$/,
    );
  });

  it('rejects missing, relative and sensitive paths with validate-time texts (path quoted)', () => {
    assert.deepEqual(preparePersistentVolume('data', vol(null)), {
      ok: false,
      error: "Persistent volume 'data' must define path",
    });
    assert.deepEqual(preparePersistentVolume('data', vol('rel/dir')), {
      ok: false,
      error: `Persistent volume 'data' path must be absolute: "rel/dir"`,
    });
    assert.deepEqual(preparePersistentVolume('data', vol('/etc/x/../nucleus')), {
      ok: false,
      error:
        "Bind mount source '/etc/nucleus' is under sensitive host path '/etc' and cannot be mounted into containers",
    });
  });

  it('chowns the leaf when owner is set', { skip: !isRoot && 'needs root to chown' }, () => {
    const path = join(base, 'owned');
    const r = preparePersistentVolume('data', vol(path, '+1234:5678'));
    assert.deepEqual(r, { ok: true, value: path });
    const st = statSync(path);
    assert.deepEqual([st.uid, st.gid], [1234, 5678]);
  });
});
