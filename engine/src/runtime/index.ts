// The runtime part of the engine's public surface: state directory, state files, plan, apply/down, status, nucleus CLI.
export { parseJson, JsonParseError } from '../json.js';
export type { JsonValue, JsonObject, ParseJsonOptions } from '../json.js';
export { resolveStateDir } from './stateDir.js';
export type {
  StateDirChoice,
  StateDirCandidate,
  StateDirSource,
  StateDirHost,
  ResolveStateDirOptions,
} from './stateDir.js';
export {
  readStateDir,
  decodeContainerState,
  isStateFileName,
  parseStartTicks,
  checkLiveness,
  resolveContainer,
} from './state.js';
export type {
  ContainerState,
  ContainerStatus,
  Liveness,
  LivenessCheck,
  ObservedContainer,
  StateFileProblem,
  StateSnapshot,
  ReadStateOptions,
  ProcStatReader,
} from './state.js';
export { computePlan, planFingerprint, planToJson } from './plan.js';
export type { Plan, PlanStep, PlanWarning, PlanWarningCode, PlanOptions, PlanInput } from './plan.js';
export { applyTopology, downTopology, defaultLogDir, serviceLogFile } from './apply.js';
export type {
  ApplyEvent,
  ApplyOptions,
  ApplyResult,
  ApplyStatus,
  ApplyStepResult,
  ApplyTiming,
  DownResult,
  DownStatus,
  RuntimeOptions,
} from './apply.js';
export { createNucleusCli } from './nucleusCli.js';
export type { NucleusCli, NucleusCliOptions, CliRun, CreateProcess } from './nucleusCli.js';
export { computeTopologyStatus, formatUptime } from './status.js';
export {
  serviceRuntimeStatus,
  driftLabel,
  fileErrorCount,
  analysisErrorCount,
  runningConfigDifferences,
  formatMemoryValue,
  cpusToMillicores,
} from './drift.js';
export type {
  ServiceDrift,
  ServiceRuntimeStatus,
  ObservedRun,
  FileSide,
  RunningConfig,
  ConfigDifference,
} from './drift.js';
export { inferVersionFromState, resolveRuleVersion, stateFileVersion } from './version.js';
export type { RuleVersion, RuleVersionInput, RuleVersionSource } from './version.js';
export type { TopologyStatus, ServiceStatus, OtherContainer, Drift } from './status.js';
export { preparePersistentVolume } from './volumes.js';
export {
  buildRuntimeOverview,
  overviewAnalysisOf,
  isSecretLookingKey,
  isSecretLookingValue,
  maskArgv,
  maskEntries,
  MASKED,
} from './overview.js';
export type {
  ContainerDetails,
  OverviewAnalysis,
  OverviewDrift,
  OverviewTopologyInput,
  RuntimeOverview,
  ServiceOverview,
  ServiceRunStatus,
  TopologyOverview,
} from './overview.js';
export { restartService } from './restart.js';
export type { RestartOptions, RestartResult, RestartStatus } from './restart.js';
