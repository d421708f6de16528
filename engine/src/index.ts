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
export { parseMemory } from './values/memory.js';
export type { HealthCheckResult } from './values/healthCheck.js';
export * from './runtime/index.js';
export { parseToml, formatTomlError, lineColumn, findNode } from './toml/parse.js';
export { analyzeTopology, serviceHashes } from './analyze.js';
export type { DetailedAnalysis } from './analyze.js';
export { decodeTopology, defaultService, serdeSpan } from './decode.js';
export type {
  DecodeResult,
  DecodeError,
  DecodeSources,
  TableSource,
  ServiceSource,
  DependsOnSource,
} from './decode.js';
export { findEntry, findTableSpan, findKeySpan, serviceAt, stringCharSpan } from './locate.js';
export {
  buildSymbolIndex,
  symbolIndexOf,
  symbolKey,
  symbolAt,
  referencesTo,
  SYMBOL_TABLES,
} from './references.js';
export type { SymbolKind, SymbolDefinition, SymbolReference, SymbolAt, SymbolIndex } from './references.js';
export { cursorContext, headerBefore } from './cursor.js';
export type { CursorContext, StringAtCursor } from './cursor.js';
export { LineIndex, decodeUtf8Strict } from './text.js';
export type { Position } from './text.js';
export {
  topologySchemas,
  serviceSchemas,
  serviceFields,
  topologyFields,
  networkFields,
  volumeFields,
  dependsOnFields,
  tableFields,
  tableKind,
  fieldDoc,
  topologyJsonSchema,
  jsonSchemaFiles,
  SCHEMA_VERSIONS,
} from './schema.js';
export type { FieldDoc, FieldInfo, FieldKind, FieldMeta, TableKind } from './schema.js';
export { ruleCatalog, ruleCatalogMarkdown, ruleInfo, rulePhase } from './rules/catalog.js';
export type { RuleInfo } from './rules/catalog.js';
export { suggestNames } from './rules/suggest.js';
export { runCli } from './cli/main.js';
export type { CliIo, CliCommand } from './cli/commands.js';
export { inspectTopology } from './cli/inspect.js';
export type { InspectResult, InspectDiagnostic } from './cli/inspect.js';
export { formatCheckLines } from './cli/check.js';
