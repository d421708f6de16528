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
    const reserved = (dest: string) =>
      err(
        `Volume destination '${dest}' is reserved for trusted container/runtime paths and cannot be overlaid`,
      );
    // Spot checks of the spec's list: a one-component entry, a two-component one (whose parent is free),
    // and an entry that is another one plus characters (`/lib` and `/lib64`).
    assert.deepEqual(normalizeVolumeDestination('/etc'), reserved('/etc'));
    assert.deepEqual(normalizeVolumeDestination('/run/secrets'), reserved('/run/secrets'));
    assert.deepEqual(normalizeVolumeDestination('/run/other'), ok('/run/other'));
    assert.deepEqual(normalizeVolumeDestination('/lib'), reserved('/lib'));
    assert.deepEqual(normalizeVolumeDestination('/lib64'), reserved('/lib64'));
    assert.deepEqual(normalizeVolumeDestination('/lib65'), ok('/lib65'));
    assert.deepEqual(normalizeVolumeDestination('/usrlocal'), ok('/usrlocal'));
    for (const allowed of ['/srv', '/data', '/var/lib/pg', '/opt/app', '/home/app', '/tmp/x', '/mnt']) {
      assert.deepEqual(normalizeVolumeDestination(allowed), ok(allowed));
    }
    // The check runs on the normalized path and names it.
    assert.deepEqual(normalizeVolumeDestination('//etc/./ssl/'), reserved('/etc/ssl'));
    // Component-wise: anything under a reserved destination is reserved; adding characters to its last
    // component (`/etcx`) gives a different, free path.
    const start = fc.constantFrom('/usr', '/nix', '/proc', '/run/secrets', '/sys', '/srv', '/data', '/run');
    const segment = fc.constantFrom('x', 'local', 'share', 'a b', 'é');
    fc.assert(
      fc.property(start, fc.array(segment, { minLength: 1, maxLength: 4 }), (base, parts) => {
        const under = `${base}/${parts.join('/')}`;
        const baseIsReserved = !normalizeVolumeDestination(base).ok;
        assert.deepEqual(normalizeVolumeDestination(under), baseIsReserved ? reserved(under) : ok(under));
        const sibling = `${base}${parts.join('/')}`;
        if (baseIsReserved) assert.deepEqual(normalizeVolumeDestination(sibling), ok(sibling));
      }),
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
