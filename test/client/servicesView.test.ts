// The Services view's pure parts: what the language server is told per open document (same overview as the tree,
// Nucleus's own prefix rule for orphans), the words on the tree items, and which menu actions package.json offers
// for each contextValue (its `when` clauses evaluated against the values the tree sets).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  buildRuntimeOverview,
  type ContainerState,
  type ObservedContainer,
  type OverviewTopologyInput,
  type ServiceOverview,
  type StateSnapshot,
} from '@nucleus-topology/engine';
import {
  describeService,
  describeTopology,
  formatBytes,
  runtimeStateForServer,
  serviceContextValue,
  topologyContextValue,
} from '@nucleus-topology/client';

const NOW = 1_780_000_000_000;
let n = 0;

function container(name: string, fields: Partial<ContainerState> = {}, running = true): ObservedContainer {
  const id = (++n).toString(16).padStart(32, '0');
  return {
    file: `${id}.json`,
    running,
    liveness: running ? 'running' : 'status stopped',
    state: {
      id,
      name,
      pid: 100 + n,
      command: ['/bin/x'],
      started_at: NOW / 1000 - 61,
      memory_limit: null,
      cpu_limit: null,
      using_gvisor: true,
      rootless: true,
      cgroup_path: null,
      config_hash: '1',
      creator_uid: 0,
      process_uid: 0,
      process_gid: 0,
      additional_gids: [],
      start_ticks: '1',
      status: 'running',
      bundle_path: null,
      annotations: {},
      ...fields,
    },
  };
}

const topo = (name: string, services: string[]): OverviewTopologyInput => ({
  uri: `file:///w/${name}.topology.toml`,
  analysis: { name, services: services.map((s) => ({ name: s, hash: '1' })), errors: 0 },
});

describe('runtimeStateForServer', () => {
  const snapshot: StateSnapshot = {
    dir: '/state',
    containers: [
      container('app-web', {
        config_hash: '7',
        memory_limit: 268435456,
        cpu_limit: 500,
        command: ['/bin/web', '--token', 'hunter2'],
      }),
      container('app-gone', {}, false),
      container('app-db-x'),
      container('app-old'),
    ],
    problems: [],
    readAt: NOW,
  };
  const overview = buildRuntimeOverview([topo('app', ['web', 'api']), topo('app-db', ['x'])], snapshot, NOW);

  it('lists the containers of declared services; orphans follow Nucleus’s prefix rule', () => {
    assert.deepEqual(runtimeStateForServer(overview, snapshot, 'file:///w/app.topology.toml'), {
      topologyName: 'app',
      services: [
        {
          service: 'web',
          status: 'running',
          running: true,
          pid: snapshot.containers[0]?.state.pid,
          configHash: '7',
          // For the inlay hints: the limits, and the argv masked as the tree shows it.
          memoryLimit: 268435456,
          cpuLimit: 500,
          command: ['/bin/web', '--token', '••••••'],
        },
      ],
      // app-db-x is listed under app-db in the tree, but `compose up` of app would stop it: the lens says so
      orphans: ['app-db-x', 'app-old'],
    });
    assert.deepEqual(runtimeStateForServer(overview, snapshot, 'file:///w/app-db.topology.toml'), {
      topologyName: 'app-db',
      services: [
        {
          service: 'x',
          status: 'running',
          running: true,
          pid: snapshot.containers[2]?.state.pid,
          configHash: '1',
          memoryLimit: null,
          cpuLimit: null,
          command: ['/bin/x'],
        },
      ],
    });
  });

  it('null for a document the overview does not know; the directory error travels along', () => {
    assert.equal(runtimeStateForServer(overview, snapshot, 'file:///elsewhere.topology.toml'), null);
    const broken: StateSnapshot = {
      dir: '/state',
      containers: [],
      problems: [],
      error: 'EACCES',
      readAt: NOW,
    };
    const state = runtimeStateForServer(
      buildRuntimeOverview([topo('app', ['web'])], broken, NOW),
      broken,
      'file:///w/app.topology.toml',
    );
    assert.deepEqual(state, { topologyName: 'app', services: [], error: 'EACCES' });
  });
});

describe('tree item words', () => {
  const snapshot: StateSnapshot = {
    dir: '/s',
    containers: [
      container('s-a'),
      container('s-b', { config_hash: '2' }),
      container('s-c', { status: 'created' }),
      container('s-d', {}, false),
      container('s-extra'),
      container('lonely'),
    ],
    problems: [],
    readAt: NOW,
  };
  const overview = buildRuntimeOverview([topo('s', ['a', 'b', 'c', 'd', 'e'])], snapshot, NOW);
  const rows = new Map<string, ServiceOverview>(
    [...(overview.topologies[0]?.services ?? []), ...overview.others].map((r) => [r.container, r]),
  );
  const row = (c: string) => rows.get(c) as ServiceOverview;

  it('descriptions: pid, uptime, drift; starting; stale; not started; not in file', () => {
    assert.equal(describeService(row('s-a')), `pid ${row('s-a').pid} · up 1m1s · in sync`);
    assert.equal(describeService(row('s-b')), `pid ${row('s-b').pid} · up 1m1s · changed`);
    assert.equal(describeService(row('s-c')), `starting · pid ${row('s-c').pid} · up 1m1s · in sync`);
    assert.equal(describeService(row('s-d')), 'stopped (stale state file)');
    assert.equal(describeService(row('s-e')), 'not started');
    assert.equal(describeService(row('s-extra')), `pid ${row('s-extra').pid} · up 1m1s · not in file`);
    assert.equal(describeService(row('lonely')), `pid ${row('lonely').pid} · up 1m1s`);
    assert.equal(describeTopology(overview.topologies[0] as never), '3/5 running · 1 changed');
  });

  it('contextValues', () => {
    assert.equal(serviceContextValue(row('s-a')), 'service running declared');
    assert.equal(serviceContextValue(row('s-c')), 'service starting declared');
    assert.equal(serviceContextValue(row('s-d')), 'service stopped declared');
    assert.equal(serviceContextValue(row('s-e')), 'service notStarted declared');
    assert.equal(serviceContextValue(row('s-extra')), 'service running undeclared');
    assert.equal(serviceContextValue(row('lonely')), 'service running other');
    assert.equal(topologyContextValue(overview.topologies[0] as never), 'topology running');
  });

  it('sizes', () => {
    assert.deepEqual([536870912, 1610612736, 512, 1024].map(formatBytes), [
      '512 MiB',
      '1.5 GiB',
      '512 B',
      '1 KiB',
    ]);
  });
});

describe('package.json menus of the Services view', () => {
  interface MenuEntry {
    command: string;
    when: string;
    group?: string;
  }
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    contributes: { menus: Record<string, MenuEntry[]>; commands: { command: string; enablement?: string }[] };
  };
  const entries = manifest.contributes.menus['view/item/context'] ?? [];

  /** Evaluates the `when` terms this view uses (`&&` of view ==, viewItem =~, isWorkspaceTrusted). */
  function matches(when: string, contextValue: string, trusted: boolean): boolean {
    return when.split(' && ').every((term) => {
      if (term === 'view == nucleus.services') return true;
      if (term === 'isWorkspaceTrusted') return trusted;
      const m = /^viewItem =~ \/(.*)\/$/.exec(term);
      assert.ok(m, `unexpected when term: ${term}`);
      return new RegExp(m[1] as string).test(contextValue);
    });
  }
  const offered = (contextValue: string, inline: boolean, trusted = true) =>
    [
      ...new Set(
        entries
          .filter(
            (e) => (e.group ?? '').startsWith('inline') === inline && matches(e.when, contextValue, trusted),
          )
          .map((e) => e.command.replace(/^nucleus\./, '')),
      ),
    ].sort();

  it('service actions by status and kind (context menu)', () => {
    const all = ['service.attach', 'service.logs', 'service.restart', 'service.reveal', 'service.stop'];
    const notRunning = ['service.logs', 'service.restart', 'service.reveal'];
    const notDeclared = ['service.attach', 'service.logs', 'service.stop'];
    const cases: [contextValue: string, expected: string[]][] = [
      ['service running declared', all],
      ['service starting declared', all],
      ['service notStarted declared', notRunning],
      ['service stopped declared', notRunning],
      ['service running undeclared', notDeclared],
      ['service running other', notDeclared],
      ['service stopped other', ['service.logs']],
    ];
    for (const [contextValue, expected] of cases) {
      assert.deepEqual(offered(contextValue, false), expected, contextValue);
    }
  });

  it('inline icons, and topology actions (Down inline only when something runs)', () => {
    assert.deepEqual(offered('service running declared', true), [
      'service.attach',
      'service.logs',
      'service.restart',
      'service.stop',
    ]);
    assert.deepEqual(offered('topology running', true), ['topology.apply', 'topology.down', 'topology.plan']);
    assert.deepEqual(offered('topology', true), ['topology.apply', 'topology.plan']);
    assert.deepEqual(offered('topology', false), ['topology.apply', 'topology.down', 'topology.plan']);
    assert.deepEqual(offered('others', false), []);
    assert.deepEqual(offered('message', false), []);
  });

  it('nothing is offered in Restricted Mode, and the commands are disabled there', () => {
    for (const cv of ['service running declared', 'service running other', 'topology running']) {
      assert.deepEqual([...offered(cv, false, false), ...offered(cv, true, false)], [], cv);
    }
    const viewCommands = manifest.contributes.commands.filter((c) =>
      /^nucleus\.(service|topology)\./.test(c.command),
    );
    assert.equal(viewCommands.length, 8);
    for (const c of viewCommands) assert.equal(c.enablement, 'isWorkspaceTrusted', c.command);
  });
});
