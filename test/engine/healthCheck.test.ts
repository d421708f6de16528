// Health-check allow-list (reconcile.rs validate_health_check_command) against conformance 130–137.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { validateHealthCheckCommand } from '@nucleus-topology/engine';
import { expected } from './coreFixtures.js';

const asConformance = (cmd: string): true | string => {
  const r = validateHealthCheckCommand(cmd);
  return r.ok ? true : `Configuration error: ${r.error}`;
};

describe('validateHealthCheckCommand', () => {
  it('accepts the allow-list, including a lone space', () => {
    assert.deepEqual(validateHealthCheckCommand('pg_isready -U myapp'), { ok: true });
    assert.deepEqual(validateHealthCheckCommand('curl http://a.b:80/x?y=1@z'), { ok: true });
    assert.deepEqual(validateHealthCheckCommand(' '), { ok: true });
  });

  it('rejects empty', () => {
    assert.deepEqual(validateHealthCheckCommand(''), {
      ok: false,
      error: 'Health check command must not be empty',
      index: 0,
      char: '',
    });
  });

  it('reports the first unsafe char with escape_default and U+XXXX, and its UTF-16 offset', () => {
    assert.deepEqual(validateHealthCheckCommand('ok;then|pipe&bg'), {
      ok: false,
      error: "Health check command contains unsafe character ';' (code point U+003B): ok;then|pipe&bg",
      index: 2,
      char: ';',
    });
    const emoji = validateHealthCheckCommand('a😀\t');
    assert.equal(emoji.ok, false);
    if (!emoji.ok) {
      assert.equal(
        emoji.error,
        "Health check command contains unsafe character '\\u{1f600}' (code point U+1F600): a😀\t",
      );
      assert.equal(emoji.index, 1);
      assert.equal(emoji.char, '😀');
    }
    assert.equal(
      asConformance('a\tb'),
      "Configuration error: Health check command contains unsafe character '\\t' (code point U+0009): a\tb",
    );
    assert.equal(asConformance('a\rb').toString().includes("'\\r' (code point U+000D)"), true);
    assert.equal(asConformance('a\nb').toString().includes("'\\n' (code point U+000A)"), true);
    assert.equal(
      asConformance('\u{10ffff}').toString().includes("'\\u{10ffff}' (code point U+10FFFF)"),
      true,
    );
  });

  for (const c of ['130', '131', '133', '134', '136', '137']) {
    it(`conformance ${c}`, () => {
      const exp = expected(c).health_check_valid ?? {};
      assert.ok(Object.keys(exp).length > 0);
      for (const [service, want] of Object.entries(exp)) {
        // The message ends with the command itself, so the conformance text gives the input back.
        const cmd = want === true ? null : want.slice(want.indexOf('): ') + 3);
        if (cmd !== null) assert.equal(asConformance(cmd), want, service);
      }
    });
  }

  it('index/char point at the first character outside the allow-list', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (cmd) => {
        const r = validateHealthCheckCommand(cmd);
        const chars = Array.from(cmd);
        const bad = chars.findIndex((ch) => !/^[a-zA-Z0-9 \-_./:@=?]$/.test(ch));
        if (bad < 0) return assert.deepEqual(r, { ok: true });
        assert.equal(r.ok, false);
        if (r.ok) return;
        assert.equal(r.char, chars[bad]);
        assert.equal(r.index, chars.slice(0, bad).join('').length);
        assert.ok(r.error.endsWith(`): ${cmd}`));
      }),
      { numRuns: 2000 },
    );
  });
});
