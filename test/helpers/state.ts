// Nucleus state files as the engine reads them (ObservedContainer, StateSnapshot), for tests that need a state
// directory without writing one: 0.3.8 fields by default, the 0.3.9 ones when asked.
import type { ContainerState, ObservedContainer, StateSnapshot } from '@nucleus-topology/engine';

export const NOW = 1_780_000_000_000;
let ids = 0;

/** The fields only 0.3.9 writes (spec §6.2), with the values a topology container gets. */
export const FIELDS_0_3_9: Partial<ContainerState> = {
  environment: {},
  workdir: '/workspace',
  rootfs_path: null,
  rootfs_mode: 'bind',
  rootfs_upperdir: null,
  rootfs_workdir: null,
};

/** One state file as read: running unless `running: false`; `liveness` defaults to what the reader says. */
export function observed(
  name: string,
  options: Partial<ContainerState> & { running?: boolean; liveness?: string } = {},
): ObservedContainer {
  const { running = true, liveness, ...fields } = options;
  const id = (++ids).toString(16).padStart(32, '0');
  const state: ContainerState = {
    id,
    name,
    pid: 2000 + ids,
    command: ['/bin/app'],
    started_at: NOW / 1000 - 90,
    memory_limit: 268435456,
    cpu_limit: 1000,
    using_gvisor: true,
    rootless: true,
    cgroup_path: `/sys/fs/cgroup/nucleus-${id}`,
    config_hash: null,
    creator_uid: 1000,
    process_uid: 0,
    process_gid: 0,
    additional_gids: [],
    start_ticks: '123',
    status: 'running',
    bundle_path: '/nix/store/x',
    annotations: {},
    ...fields,
  };
  return {
    file: `${id}.json`,
    state,
    running,
    liveness: liveness ?? (running ? 'running' : 'status stopped'),
  };
}

export function snapshotOf(
  containers: ObservedContainer[],
  extra: Partial<StateSnapshot> = {},
): StateSnapshot {
  return { dir: '/state', containers, problems: [], readAt: NOW, ...extra };
}
