// docs/rules.md, the rule reference generated from the catalog: the committed file is what
// scripts/generate-rules-doc.mjs writes now, and it documents every rule of the catalog with its facts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleCatalog, type RuleInfo } from '@nucleus-topology/engine';

const ROOT = join(import.meta.dirname, '..', '..');
const committed = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');

/** The text under `### \`code\`` up to the next heading. */
function section(code: string): string | undefined {
  const start = committed.indexOf(`\n### \`${code}\`\n`);
  if (start < 0) return undefined;
  const next = committed.indexOf('\n#', start + 1);
  return committed.slice(start, next < 0 ? undefined : next);
}

describe('docs/rules.md', () => {
  it('is up to date (run npm run generate)', () => {
    const generated = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/generate-rules-doc.mjs', '--stdout'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(committed, generated, 'docs/rules.md is stale: run npm run generate');
  });

  it('has one section per rule with its title, severity, phase and doc', () => {
    const rules: readonly RuleInfo[] = ruleCatalog();
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      const text = section(rule.code);
      assert.ok(text !== undefined, `no section for ${rule.code}`);
      assert.ok(text.includes(`**${rule.title}**: ${rule.severity}, `), `${rule.code}: title and severity`);
      assert.ok(text.includes(rule.doc), `${rule.code}: doc paragraph`);
      for (const phase of [rule.phase, ...Object.values(rule.phaseByVersion ?? {})]) {
        assert.ok(text.includes(phase), `${rule.code}: phase ${phase}`);
      }
    }
    const headings = committed.match(/^### `/gm) ?? [];
    assert.equal(headings.length, rules.length, 'one heading per rule, no leftovers');
  });

  it('lists each rule in the table of every phase it has under some version', () => {
    for (const rule of ruleCatalog()) {
      for (const phase of new Set([rule.phase, ...Object.values(rule.phaseByVersion ?? {})])) {
        const heading = committed.indexOf(`\n## ${phase}: `);
        assert.ok(heading >= 0, `no section for phase ${phase}`);
        const end = committed.indexOf('\n## ', heading + 1);
        const part = committed.slice(heading, end < 0 ? undefined : end);
        assert.ok(part.includes(`| [\`${rule.code}\`](#${rule.code}) | ${rule.severity} |`), rule.code);
      }
    }
  });
});
