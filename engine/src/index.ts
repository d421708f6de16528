// The engine's public surface: the client, the server, the CLI and the tests import only this.
export * from './model.js';
export type * from './toml/ast.js';
export { compareBytes, sortedMap } from './order.js';
export { rustDebugStr, rustDebugList } from './rustFmt.js';
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
} from './values/mount.js';
export type { ValueResult, ServiceVolumeMount } from './values/mount.js';
export { validateHealthCheckCommand } from './values/healthCheck.js';
export { parseMemory } from './values/memory.js';
export type { HealthCheckResult } from './values/healthCheck.js';
export * from './runtime/index.js';
export { parseToml, formatTomlError, lineColumn, findNode } from './toml/parse.js';
export { analyzeTopology, serviceHashes } from './analyze.js';
export type { DetailedAnalysis } from './analyze.js';
export { decodeTopology, defaultService } from './decode.js';
export type {
  DecodeResult,
  DecodeError,
  DecodeSources,
  TableSource,
  ServiceSource,
  DependsOnSource,
} from './decode.js';
export { findTableSpan, findKeySpan, serviceAt, stringCharSpan } from './locate.js';
export { buildSymbolIndex, symbolIndexOf, symbolKey, symbolAt, referencesTo } from './references.js';
export type { SymbolKind, SymbolDefinition, SymbolReference, SymbolAt, SymbolIndex } from './references.js';
export { cursorContext } from './cursor.js';
export type { CursorContext, StringAtCursor } from './cursor.js';
export { LineIndex } from './text.js';
export type { Position } from './text.js';
export {
  topologySchemas,
  serviceFields,
  tableFields,
  tableKind,
  fieldDoc,
  jsonSchemaFiles,
} from './schema.js';
export type { FieldDoc, FieldInfo, FieldKind, FieldMeta, TableKind } from './schema.js';
export { ruleCatalog } from './rules/catalog.js';
export type { RuleInfo } from './rules/catalog.js';
export { runCli } from './cli/main.js';
export type { CliIo, CliCommand } from './cli/commands.js';
