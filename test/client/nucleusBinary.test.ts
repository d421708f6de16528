// Finding nucleus without running it: the setting first (must be an executable file), else PATH (absolute
// entries only), Linux only; and reading `nucleus --version` from the test double.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { locateNucleus, parseNucleusVersion, runNucleusVersion } from '@nucleus-topology/client';

const DOUBLE = resolve(import.meta.dirname, '../double/nucleus');

test('PATH lookup: first executable file, skipping relative entries, directories and non-executables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'locate-'));
  try {
    mkdirSync(join(dir, 'a/nucleus'), { recursive: true }); // a directory named nucleus
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b/nucleus'), '#!/bin/sh\n'); // not executable
    mkdirSync(join(dir, 'c'));
    writeFileSync(join(dir, 'c/nucleus'), '#!/bin/sh\n');
    chmodSync(join(dir, 'c/nucleus'), 0o755);
    const envPath = ['', '.', 'relative/bin', join(dir, 'a'), join(dir, 'b'), join(dir, 'c')].join(':');
    assert.deepEqual(locateNucleus({ settingPath: undefined, envPath, platform: 'linux' }), {
      found: true,
      path: join(dir, 'c/nucleus'),
      source: 'PATH',
    });
    const missing = locateNucleus({ settingPath: undefined, envPath: join(dir, 'b'), platform: 'linux' });
    assert.equal(missing.found, false);
    assert.equal(!missing.found && missing.reason, 'not-on-path');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the setting wins over PATH and must be an absolute executable file', () => {
  const yes = () => true;
  assert.deepEqual(
    locateNucleus({
      settingPath: '/opt/nucleus',
      envPath: '/usr/bin',
      platform: 'linux',
      isExecutableFile: yes,
    }),
    {
      found: true,
      path: '/opt/nucleus',
      source: 'setting',
    },
  );
  const bad = locateNucleus({
    settingPath: '/opt/nucleus',
    envPath: '/usr/bin',
    platform: 'linux',
    isExecutableFile: () => false,
  });
  assert.equal(!bad.found && bad.reason, 'setting-invalid');
  const relative = locateNucleus({
    settingPath: 'nucleus',
    envPath: '/usr/bin',
    platform: 'linux',
    isExecutableFile: yes,
  });
  assert.equal(relative.found, false);
});

test('not Linux: not found, whatever PATH holds', () => {
  const r = locateNucleus({
    settingPath: undefined,
    envPath: '/usr/bin',
    platform: 'darwin',
    isExecutableFile: () => true,
  });
  assert.equal(!r.found && r.reason, 'unsupported-platform');
});

test('version lines', () => {
  assert.equal(parseNucleusVersion('nucleus 0.3.8\n'), '0.3.8');
  assert.equal(parseNucleusVersion('nucleus v0.3.9-rc.1\n'), '0.3.9-rc.1');
  assert.equal(parseNucleusVersion('error: unknown flag\n'), undefined);
});

test('runNucleusVersion reads the test double', async () => {
  assert.deepEqual(await runNucleusVersion(DOUBLE), { version: '0.3.8' });
  const missing = await runNucleusVersion('/nonexistent/nucleus');
  assert.ok('error' in missing);
});
