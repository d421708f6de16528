// The engine's public surface: the client, the server, the CLI and the tests import only this.
export * from './model.js';
export type * from './toml/ast.js';
export { compareBytes, byteSort, isByteSorted, sortedMap } from './order.js';
export { rustDebugStr, rustDebugList, rustEscapeDefault } from './rustFmt.js';
export { buildGraph, postStartWait, healthTimeoutSeconds } from './graph.js';
export { serviceJson, serviceHash, hashOfServiceJson, formatCpusJson, formatF64Display } from './hash.js';
export { buildRunArgs, secretsPayload } from './runArgs.js';
export type { RunArgsOptions, RunArgsResult } from './runArgs.js';
export {
  parseVolumeMount,
  normalizeContainerDestination,
  normalizeVolumeDestination,
  normalizeHostPath,
  checkBindMountSourcePolicy,
  parseVolumeOwner,
  RESERVED_VOLUME_DESTINATIONS,
  SENSITIVE_HOST_PATHS,
} from './values/mount.js';
export type { ValueResult, ServiceVolumeMount } from './values/mount.js';
export { validateHealthCheckCommand } from './values/healthCheck.js';
export type { HealthCheckResult } from './values/healthCheck.js';
export * from './runtime/index.js';
export { parseToml, formatTomlError, lineColumn, findNode } from './toml/parse.js';
