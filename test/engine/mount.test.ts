// Volume value rules (mount.rs / config.rs): service volume entries, destinations, host path policy, owners.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkBindMountSourcePolicy,
  normalizeContainerDestination,
  normalizeHostPath,
  normalizeVolumeDestination,
  parseVolumeMount,
  parseVolumeOwner,
} from '@nucleus-topology/engine';

const ok = <T>(value: T) => ({ ok: true, value });
const err = (error: string) => ({ ok: false, error });

describe('parseVolumeMount', () => {
  it('accepts VOL:DEST[:ro|rw] and normalizes DEST', () => {
    assert.deepEqual(parseVolumeMount('data:/srv'), ok({ volume: 'data', dest: '/srv', readOnly: false }));
    assert.deepEqual(parseVolumeMount('data:/srv:ro'), ok({ volume: 'data', dest: '/srv', readOnly: true }));
    assert.deepEqual(
      parseVolumeMount('data:/srv//x/./y/:rw'),
      ok({ volume: 'data', dest: '/srv/x/y', readOnly: false }),
    );
    // The parser itself does not reject a host path as VOL (validate() does).
    assert.deepEqual(parseVolumeMount('/abs:/srv'), ok({ volume: '/abs', dest: '/srv', readOnly: false }));
  });

  it('rejects with Nucleus messages (conformance 016–023)', () => {
    assert.deepEqual(
      parseVolumeMount('data'),
      err("Invalid volume mount 'data', expected VOLUME:DEST[:ro|rw]"),
    );
    assert.deepEqual(
      parseVolumeMount('data:/srv:ro:x'),
      err("Invalid volume mount 'data:/srv:ro:x', expected VOLUME:DEST[:ro|rw]"),
    );
    assert.deepEqual(
      parseVolumeMount('data:/srv:RO'),
      err("Invalid volume mount 'data:/srv:RO', expected VOLUME:DEST[:ro|rw]"),
    );
    assert.deepEqual(parseVolumeMount(':/srv'), err("Volume mount ':/srv' must name a topology volume"));
    assert.deepEqual(
      parseVolumeMount('data:srv/data'),
      err('Container destination must be absolute: "srv/data"'),
    );
    assert.deepEqual(
      parseVolumeMount('data:/'),
      err('Container destination must not be the root directory: "/"'),
    );
    assert.deepEqual(
      parseVolumeMount('data:/usr/local/share'),
      err(
        "Volume destination '/usr/local/share' is reserved for trusted container/runtime paths and cannot be overlaid",
      ),
    );
    // An empty DEST is relative.
    assert.deepEqual(parseVolumeMount('data:'), err('Container destination must be absolute: ""'));
  });
});

describe('container destinations', () => {
  it('normalizeContainerDestination', () => {
    assert.deepEqual(normalizeContainerDestination('/a//b/./c/'), ok('/a/b/c'));
    assert.deepEqual(normalizeContainerDestination('//x'), ok('/x'));
    assert.deepEqual(
      normalizeContainerDestination('/./.'),
      err('Container destination must not be the root directory: "/./."'),
    );
    assert.deepEqual(
      normalizeContainerDestination('/a/../b'),
      err('Container destination must not contain parent traversal: "/a/../b"'),
    );
    assert.deepEqual(
      normalizeContainerDestination('/..'),
      err('Container destination must not contain parent traversal: "/.."'),
    );
    assert.deepEqual(normalizeContainerDestination('/a/..b'), ok('/a/..b'));
    assert.deepEqual(
      normalizeContainerDestination('tab\there'),
      err('Container destination must be absolute: "tab\\there"'),
    );
    // Secret destinations may be reserved paths: only the volume variant checks prefixes.
    assert.deepEqual(normalizeContainerDestination('/run/secrets/x'), ok('/run/secrets/x'));
  });

  it('normalizeVolumeDestination: reserved prefixes are component-wise', () => {
    for (const reserved of [
      '/bin',
      '/boot',
      '/dev',
      '/etc',
      '/lib',
      '/lib64',
      '/nix',
      '/proc',
      '/run/secrets',
      '/sbin',
      '/sys',
      '/usr',
    ]) {
      assert.equal(normalizeVolumeDestination(reserved).ok, false, reserved);
      assert.equal(normalizeVolumeDestination(`${reserved}/x/`).ok, false, reserved);
      assert.deepEqual(normalizeVolumeDestination(`${reserved}x`), ok(`${reserved}x`));
    }
    assert.deepEqual(normalizeVolumeDestination('/usrlocal'), ok('/usrlocal'));
    assert.deepEqual(normalizeVolumeDestination('/run/other'), ok('/run/other'));
    assert.deepEqual(
      normalizeVolumeDestination('//etc/./ssl/'),
      err(
        "Volume destination '/etc/ssl' is reserved for trusted container/runtime paths and cannot be overlaid",
      ),
    );
  });
});

describe('persistent host paths', () => {
  it('normalizeHostPath is lexical', () => {
    assert.deepEqual(
      normalizeHostPath('/var/tmp/nucleus-conformance/vol/norm/x/../y/./z'),
      ok('/var/tmp/nucleus-conformance/vol/norm/y/z'),
    );
    assert.deepEqual(normalizeHostPath('/../../a'), ok('/a'));
    assert.deepEqual(normalizeHostPath('/a/b/../..'), ok('/'));
    assert.deepEqual(normalizeHostPath('data'), err('Bind mount source must be absolute: "data"'));
  });

  it('checkBindMountSourcePolicy (conformance 028, 029)', () => {
    assert.deepEqual(
      checkBindMountSourcePolicy('/etc/nucleus'),
      err(
        "Bind mount source '/etc/nucleus' is under sensitive host path '/etc' and cannot be mounted into containers",
      ),
    );
    assert.deepEqual(
      checkBindMountSourcePolicy('/var/tmp/nucleus-conformance/vol/../../../../etc/x'),
      err(
        "Bind mount source '/etc/x' is under sensitive host path '/etc' and cannot be mounted into containers",
      ),
    );
    assert.deepEqual(
      checkBindMountSourcePolicy('/srv/..'),
      err("Bind mount source '/' is a sensitive host path and cannot be mounted into containers"),
    );
    assert.deepEqual(
      checkBindMountSourcePolicy('/home'),
      err(
        "Bind mount source '/home' is under sensitive host path '/home' and cannot be mounted into containers",
      ),
    );
    assert.deepEqual(
      checkBindMountSourcePolicy('/var/run/x'),
      err(
        "Bind mount source '/var/run/x' is under sensitive host path '/var/run' and cannot be mounted into containers",
      ),
    );
    for (const allowed of [
      '/var/lib/x',
      '/srv',
      '/opt/a',
      '/mnt',
      '/tmp/x',
      '/data',
      '/etcetera',
      '/running',
      '/var/logs',
    ]) {
      assert.deepEqual(checkBindMountSourcePolicy(allowed), ok(allowed));
    }
  });

  it('normalized paths are absolute, have no empty, "." or ".." components, and are idempotent', () => {
    const segment = fc.constantFrom('', '.', '..', 'a', 'b', 'etc', 'x y', 'é');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (parts) => {
        const r = normalizeHostPath(`/${parts.join('/')}`);
        assert.ok(r.ok);
        const p = r.value;
        assert.ok(
          p === '/' ||
            !p
              .slice(1)
              .split('/')
              .some((c) => c === '' || c === '.' || c === '..'),
          p,
        );
        assert.deepEqual(normalizeHostPath(p), ok(p));
        const d = normalizeContainerDestination(`/${parts.join('/')}`);
        if (d.ok) assert.deepEqual(normalizeContainerDestination(d.value), d);
        else assert.ok(parts.includes('..') || parts.every((c) => c === '' || c === '.'));
      }),
    );
  });
});

describe('parseVolumeOwner', () => {
  it('conformance 035–041 and Rust u32 parsing', () => {
    assert.deepEqual(parseVolumeOwner('70:70'), ok({ uid: 70, gid: 70 }));
    assert.deepEqual(parseVolumeOwner('+1234:+5678'), ok({ uid: 1234, gid: 5678 }));
    assert.deepEqual(parseVolumeOwner('4294967295:0'), ok({ uid: 4294967295, gid: 0 }));
    assert.deepEqual(parseVolumeOwner('70'), err("Invalid volume owner '70', expected UID:GID"));
    assert.deepEqual(
      parseVolumeOwner('70:-1'),
      err("Invalid volume owner GID '-1' in '70:-1': invalid digit found in string"),
    );
    assert.deepEqual(
      parseVolumeOwner('4294967296:0'),
      err("Invalid volume owner UID '4294967296' in '4294967296:0': number too large to fit in target type"),
    );
    assert.deepEqual(
      parseVolumeOwner(':70'),
      err("Invalid volume owner UID '' in ':70': cannot parse integer from empty string"),
    );
    assert.deepEqual(
      parseVolumeOwner('1:2:3'),
      err("Invalid volume owner GID '2:3' in '1:2:3': invalid digit found in string"),
    );
    assert.deepEqual(
      parseVolumeOwner('+:1'),
      err("Invalid volume owner UID '+' in '+:1': invalid digit found in string"),
    );
    assert.deepEqual(
      parseVolumeOwner(' 1:1'),
      err("Invalid volume owner UID ' 1' in ' 1:1': invalid digit found in string"),
    );
    // Overflow is detected while scanning, before a later bad digit.
    assert.deepEqual(
      parseVolumeOwner('99999999999x:1'),
      err(
        "Invalid volume owner UID '99999999999x' in '99999999999x:1': number too large to fit in target type",
      ),
    );
  });
});
