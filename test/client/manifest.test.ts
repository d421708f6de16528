// The contributed commands as package.json declares them: one "Nucleus" category (the palette shows
// "Nucleus: Plan"), titles without the prefix, and the Services view's own commands hidden from the palette.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;
const { commands, menus } = manifest.contributes;

describe('package.json commands', () => {
  it('every command has the category Nucleus and a title without the "Nucleus:" prefix', () => {
    assert.ok(commands.length > 0);
    for (const c of commands) {
      assert.equal(c.category, 'Nucleus', c.command);
      assert.doesNotMatch(c.title, /^\s*Nucleus\s*:/i, c.command);
      assert.notEqual(c.title.trim(), '', c.command);
    }
  });

  it('the titles the palette shows read "Nucleus: Plan", "Nucleus: Apply Topology", …', () => {
    const title = (id: string) => {
      const c = commands.find((x) => x.command === id);
      return c === undefined ? undefined : `${c.category ?? ''}: ${c.title}`;
    };
    assert.equal(title('nucleus.plan'), 'Nucleus: Plan');
    assert.equal(title('nucleus.apply'), 'Nucleus: Apply Topology');
    assert.equal(title('nucleus.detectVersion'), 'Nucleus: Detect Version');
  });

  it("the Services view's item commands stay hidden from the palette", () => {
    const palette = new Map((menus['commandPalette'] ?? []).map((m) => [m.command, m.when]));
    const treeOnly = commands
      .map((c) => c.command)
      .filter((id) => /^nucleus\.(service|topology)\./.test(id) || id === 'nucleus.revealService');
    assert.equal(treeOnly.length, 9);
    for (const id of treeOnly) assert.equal(palette.get(id), 'false', id);
  });
});
