// The `nucleus create` argument list (reconcile.rs build_service_run_command) and the secrets payload.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildRunArgs,
  secretsPayload,
  serviceHash,
  type RunArgsOptions,
  type Topology,
} from '@nucleus-topology/engine';
import { case002, CONFORMANCE_VOL as VOL, expected, svc, topo, vol } from './coreFixtures.js';

function run(t: Topology, service: string, options: Partial<RunArgsOptions> = {}) {
  const s = t.services.get(service);
  assert.ok(s !== undefined);
  const r = buildRunArgs(t, service, { hash: serviceHash(s, '0.3.8'), version: '0.3.8', ...options });
  return 'args' in r ? r.args : { error: r.error };
}

/** Every service's run args (hash computed by serviceHash) against the conformance vector. */
function checkCase(caseNumber: string, t: Topology): void {
  const exp = expected(caseNumber);
  for (const name of t.services.keys()) {
    assert.deepEqual(run(t, name), exp.run_args?.[name], `${caseNumber} ${name}`);
  }
}

describe('buildRunArgs: conformance', () => {
  it('002 full-valid (every flag family)', () => checkCase('002', case002()));

  it('secrets payload (002, 145)', () => {
    const web = case002().services.get('web');
    assert.ok(web !== undefined);
    assert.equal(secretsPayload(web), expected('002').secrets_payload?.['web']);
    const secrets = ['/run/keys/a:/run/secrets/a', 'rel:dest', 'no-colon', '/k/ü😀:/run/secrets/ü'];
    assert.equal(secretsPayload(svc({ secrets })), expected('145').secrets_payload?.['web']);
    checkCase('145', topo('t', [['web', svc({ secrets })]]));
  });

  it('025 destinations normalized, near-reserved allowed', () =>
    checkCase(
      '025',
      topo(
        't',
        [['web', svc({ volumes: ['data:/srv//x/./y/', 'data:/usrlocal', 'data:/run/other:ro'] })]],
        [['data', vol({ size: '16M' })]],
      ),
    ));

  it('031 persistent path normalized lexically', () =>
    checkCase(
      '031',
      topo(
        't',
        [['web', svc({ volumes: ['data:/srv/data'] })]],
        [['data', vol({ volume_type: 'persistent', path: `${VOL}/norm/x/../y/./z` })]],
      ),
    ));

  it('142 ephemeral size and ro combinations (":rw" never written)', () =>
    checkCase(
      '142',
      topo(
        't',
        [['web', svc({ volumes: ['sized:/a', 'sized:/b:ro', 'plain:/c', 'plain:/d:ro', 'plain:/e:rw'] })]],
        [
          ['sized', vol({ size: '64M' })],
          ['plain', vol()],
        ],
      ),
    ));

  it('143 persistent ro with owner', () =>
    checkCase(
      '143',
      topo(
        't',
        [['web', svc({ volumes: ['data:/var/lib/app:ro'] })]],
        [
          [
            'data',
            vol({
              volume_type: 'persistent',
              path: `${VOL}/ro-owner/data`,
              owner: '1000:1000',
              size: 'ignored',
            }),
          ],
        ],
      ),
    ));

  it('146 the builder rejects bad entries per service', () =>
    checkCase(
      '146',
      topo('t', [
        ['a', svc({ rootfs: '/nix/store/a', volumes: ['missing:/srv'] })],
        ['b', svc({ rootfs: '/nix/store/b', volumes: ['/abs:/srv'] })],
        ['c', svc({ rootfs: '/nix/store/c', volumes: ['bad'] })],
        ['d', svc({ rootfs: '/nix/store/d' })],
      ]),
    ));

  it('volume errors 013–029 (same text as validate for most)', () => {
    const one = (volumes: string[], defs: [string, ReturnType<typeof vol>][] = []) =>
      topo('t', [['web', svc({ volumes })]], defs);
    checkCase('013', one(['data:/srv']));
    checkCase('014', one(['/host/path:/srv']));
    checkCase('016', one(['data'], [['data', vol()]]));
    checkCase('017', one(['data:/srv:ro:x'], [['data', vol()]]));
    checkCase('019', one([':/srv'], [['data', vol()]]));
    checkCase('020', one(['data:srv/data'], [['data', vol()]]));
    checkCase('022', one(['data:/'], [['data', vol()]]));
    checkCase('023', one(['data:/usr/local/share'], [['data', vol()]]));
    checkCase('026', one(['data:/srv'], [['data', vol({ volume_type: 'persistent' })]]));
    checkCase(
      '028',
      one(['data:/srv'], [['data', vol({ volume_type: 'persistent', path: '/etc/nucleus' })]]),
    );
    checkCase(
      '029',
      one(['data:/srv'], [['data', vol({ volume_type: 'persistent', path: `${VOL}/../../../../etc/x` })]]),
    );
    // Unreferenced bad volumes do not matter to the builder.
    checkCase('034', one([], [['data', vol({ volume_type: 'tmpfs' })]]));
  });

  it('139/140 nat backend only with networks; 148 replicas ignored; 119 cpus Display', () => {
    checkCase(
      '139',
      topo('t', [
        [
          'web',
          svc({
            nat_backend: 'userspace',
            dns: ['1.1.1.1'],
            port_forwards: ['80:80'],
            egress_allow: ['0.0.0.0/0'],
          }),
        ],
      ]),
    );
    checkCase(
      '140',
      topo('t', [
        ['a', svc({ rootfs: '/nix/store/a', networks: ['n'] })],
        ['b', svc({ rootfs: '/nix/store/b', networks: ['n'], nat_backend: 'kernel' })],
        ['c', svc({ rootfs: '/nix/store/c', networks: ['n'], nat_backend: 'userspace' })],
        ['d', svc({ rootfs: '/nix/store/d', networks: ['n'], nat_backend: 'auto' })],
      ]),
    );
    checkCase('148', topo('t', [['web', svc({ replicas: 5 })]]));
    checkCase(
      '119',
      topo('t', [
        ['a', svc({ rootfs: '/nix/store/a', cpus: NaN })],
        ['b', svc({ rootfs: '/nix/store/b', cpus: Infinity })],
        ['c', svc({ rootfs: '/nix/store/c', cpus: -Infinity })],
        ['d', svc({ rootfs: '/nix/store/d', cpus: NaN })],
      ]),
    );
  });
});

describe('buildRunArgs: options and rules beyond the vectors', () => {
  it('--root goes right after "nucleus"; --secrets-fd takes the given fd', () => {
    const args = run(case002(), 'web', { root: '/run/nucleus', secretsFd: 7 });
    assert.ok(Array.isArray(args));
    assert.deepEqual(args.slice(0, 4), ['nucleus', '--root', '/run/nucleus', 'create']);
    assert.equal(args[args.indexOf('--secrets-fd') + 1], '7');
  });

  it('0.3.9 adds egress domains, UDP ports and the credential broker in spec order', () => {
    const t = topo('t', [
      [
        'web',
        svc({
          networks: ['n'],
          dns: ['10.0.42.1'],
          egress_allow: ['10.0.0.0/8'],
          egress_domains: ['example.com'],
          egress_tcp_ports: [443],
          egress_udp_ports: [53],
          credential_broker: '10.0.42.1:8080',
          credential_broker_no_proxy_env: true,
          port_forwards: ['80:80'],
        }),
      ],
    ]);
    const r = buildRunArgs(t, 'web', { hash: '1', version: '0.3.9' });
    assert.ok('args' in r);
    const from = r.args.indexOf('--dns');
    assert.deepEqual(r.args.slice(from, r.args.indexOf('--sd-notify')), [
      '--dns',
      '10.0.42.1',
      '--nat-backend',
      'auto',
      '--egress-allow',
      '10.0.0.0/8',
      '--egress-domain',
      'example.com',
      '--egress-tcp-port',
      '443',
      '--egress-udp-port',
      '53',
      '--credential-broker',
      '10.0.42.1:8080',
      '--credential-broker-no-proxy-env',
      '-p',
      '80:80',
    ]);
    const old = buildRunArgs(t, 'web', { hash: '1', version: '0.3.8' });
    assert.ok('args' in old);
    assert.ok(
      !old.args.some(
        (a) =>
          a.startsWith('--egress-domain') || a.startsWith('--egress-udp') || a.startsWith('--credential'),
      ),
    );
  });

  it('--credential-broker-no-proxy-env needs a broker; health flags need a health check', () => {
    const r = buildRunArgs(
      topo('t', [['web', svc({ credential_broker_no_proxy_env: true, health_interval: 5n })]]),
      'web',
      {
        hash: '1',
        version: '0.3.9',
      },
    );
    assert.ok('args' in r);
    assert.ok(!r.args.includes('--credential-broker-no-proxy-env'));
    assert.ok(!r.args.includes('--health-interval'));
  });

  it('environment in byte order, user/group/additional groups, gvisor only when exact', () => {
    const t = topo('t', [
      [
        'web',
        svc({
          environment: new Map([
            ['😀', '1'],
            ['～', '2'],
            ['A', 'x=y'],
          ]),
          user: 'u',
          runtime: 'gVisor',
        }),
      ],
    ]);
    const args = run(t, 'web');
    assert.ok(Array.isArray(args));
    assert.deepEqual(args.slice(args.indexOf('-e'), args.indexOf('--sd-notify')), [
      '-e',
      'A=x=y',
      '-e',
      '～=2',
      '-e',
      '😀=1',
      '--user',
      'u',
    ]);
    assert.deepEqual(args.slice(-3), ['--sd-notify', '--', '/bin/run']);
  });

  it('persistent-volume errors at up time quote the path with {:?}', () => {
    const withVolume = (def: ReturnType<typeof vol>) =>
      topo('t', [['web', svc({ volumes: ['data:/srv'] })]], [['data', def]]);
    assert.deepEqual(run(withVolume(vol({ volume_type: 'persistent', path: 'rel/"x"' })), 'web'), {
      error: `Configuration error: Persistent volume 'data' path must be absolute: "rel/\\"x\\""`,
    });
    assert.deepEqual(run(withVolume(vol({ volume_type: 'persistent', path: '/srv/../..' })), 'web'), {
      error:
        "Configuration error: Bind mount source '/' is a sensitive host path and cannot be mounted into containers",
    });
    assert.deepEqual(run(withVolume(vol({ volume_type: 'persistent', path: '/srv/a\0b' })), 'web'), {
      error: 'Configuration error: Persistent volume path contains NUL byte: "/srv/a\\0b"',
    });
    assert.deepEqual(
      run(withVolume(vol({ volume_type: 'persistent', path: '/srv/x', owner: '1:x' })), 'web'),
      {
        error: "Configuration error: Invalid volume owner GID 'x' in '1:x': invalid digit found in string",
      },
    );
    assert.deepEqual(run(withVolume(vol({ volume_type: 'tmpfs' })), 'web'), {
      error: "Configuration error: Volume 'data' for service 'web' has unsupported type 'tmpfs'",
    });
  });

  it('canonicalPath: result used and re-checked; a thrown message becomes the error', () => {
    const t = topo(
      't',
      [['web', svc({ volumes: ['data:/srv:ro'] })]],
      [['data', vol({ volume_type: 'persistent', path: '/srv/./link' })]],
    );
    const seen: string[] = [];
    const args = run(t, 'web', { canonicalPath: (p) => (seen.push(p), '/mnt/real') });
    assert.deepEqual(seen, ['/srv/link']);
    assert.ok(Array.isArray(args));
    assert.equal(args[args.indexOf('--volume') + 1], '/mnt/real:/srv:ro');
    assert.deepEqual(run(t, 'web', { canonicalPath: () => '/etc/shadow-dir' }), {
      error:
        "Configuration error: Bind mount source '/etc/shadow-dir' is under sensitive host path '/etc' and cannot be mounted into containers",
    });
    assert.deepEqual(
      run(t, 'web', {
        canonicalPath: () => {
          throw new Error(
            'Failed to canonicalize persistent volume \'data\' at "/srv/link": No such file or directory (os error 2)',
          );
        },
      }),
      {
        error:
          'Configuration error: Failed to canonicalize persistent volume \'data\' at "/srv/link": No such file or directory (os error 2)',
      },
    );
  });

  it('unknown service', () => {
    assert.deepEqual(buildRunArgs(topo('t', []), 'x', { hash: '0', version: '0.3.9' }), {
      error: "Configuration error: Service 'x' not found in topology",
    });
  });
});
