// Custom LSP messages between the client and the server: method, params/result types, and who sends them when.
// Everything here is plain JSON: u64 values (hashes) travel as decimal strings, never as numbers.
// The typed objects below come from the server's vscode-jsonrpc; vscode-languageclient bundles another copy whose
// connection rejects foreign message types ("Unknown parameter structure"), so the client passes `.method`:
// `client.sendNotification(DidChangeRuntimeStateNotification.method, params)`.
import type { ContainerStatus, SupportedVersion } from '@nucleus-topology/engine';
import { NotificationType, RequestType, type Range } from 'vscode-languageserver-protocol';

/** `initializationOptions` the client passes in the `initialize` request. */
export interface InitializationOptions {
  /** The version printed by `nucleus --version` on this machine (e.g. "0.3.9"), or null when not found. */
  detectedVersion?: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Runtime state

/** One container of the topology as the client read it from Nucleus's state directory (spec §6.4). */
export interface RuntimeServiceState {
  /** Service name (the `<svc>` of `<topo>-<svc>`). */
  service: string;
  /** State file `status`: `creating`, `created`, `running` or `stopped`. */
  status: ContainerStatus;
  /** Whether the container is running per spec §6.3 (status not stopped and its pid still alive). */
  running: boolean;
  pid: number | null;
  /** The `config_hash` the container was started with (u64 as a decimal string), null when absent. */
  configHash: string | null;
  /** The state file's `memory_limit` (bytes), null = no limit; absent when not reported. */
  memoryLimit?: number | null;
  /** The state file's `cpu_limit` (millicores), null = no limit; absent when not reported. */
  cpuLimit?: number | null;
  /** The running argv, secret-looking arguments masked (engine maskArgv); absent when not reported. */
  command?: string[];
}

export interface TopologyRuntimeState {
  /** The topology name the state was read for (`name` of the file when the client read it). */
  topologyName: string;
  /** Containers found for services of the file; a service missing here is not running. */
  services: RuntimeServiceState[];
  /** Containers `<topo>-*` for services the file no longer declares (`compose up` would stop them). */
  orphans?: string[];
  /** Why the state could not be read (e.g. the state directory is not readable), when it could not. */
  error?: string;
}

export interface DidChangeRuntimeStateParams {
  /** The topology document's URI. */
  uri: string;
  /** The current state, or null when unknown (the server then shows no status lenses). */
  state: TopologyRuntimeState | null;
}

/**
 * Client → server, whenever the client (re)reads the runtime state of an open topology file (after open,
 * after apply/down, on a state-directory change): the server shows per-service status lenses and drift.
 */
export const DidChangeRuntimeStateNotification = new NotificationType<DidChangeRuntimeStateParams>(
  'nucleus/didChangeRuntimeState',
);

// ---------------------------------------------------------------------------------------------------------
// Detected Nucleus version

export interface DidDetectVersionParams {
  /** The version printed by `nucleus --version` (e.g. "0.3.9"), or null when nucleus was not found. */
  version: string | null;
}

/**
 * Client → server, when the client (re)detects the installed Nucleus (also passed once in
 * `initializationOptions.detectedVersion`): with `nucleus.version = auto`, the rules of that version apply.
 */
export const DidDetectVersionNotification = new NotificationType<DidDetectVersionParams>(
  'nucleus/didDetectVersion',
);

export interface DidInferVersionParams {
  /**
   * The Nucleus version the state directory's files were written by (engine inferVersionFromState: 0.3.9 files
   * carry fields 0.3.8 does not write), or null when unknown (no state files, or files that disagree).
   */
  version: SupportedVersion | null;
}

/**
 * Client → server, when the version inferred from the state directory changes (and after every server start): with
 * `nucleus.version = auto` and no version detected by `nucleus --version`, those rules apply (engine
 * resolveRuleVersion), as they do for the client's commands. Nothing is run to know it.
 */
export const DidInferVersionNotification = new NotificationType<DidInferVersionParams>(
  'nucleus/didInferVersion',
);

// ---------------------------------------------------------------------------------------------------------
// Analysis summary (for the topology view and commands)

export interface ServiceSummary {
  name: string;
  /** The service's `[services.<name>]` header (or its key when defined inline). */
  range: Range;
  /** 1-based position in the startup order, null when the service cannot be placed (cycle, unknown dependency). */
  startupIndex: number | null;
  /** What it waits for, in list order. */
  dependsOn: { service: string; condition: string }[];
  /** The services that depend on it. */
  dependents: string[];
  /** What `compose up` waits for after starting it: 'Healthy' when a dependent needs it healthy. */
  postStartWait: 'Started' | 'Healthy';
  /** Change hash (u64 decimal string) under `nucleusVersion`, null when the service's table is not exact. */
  hash: string | null;
}

export interface TopologySummary {
  uri: string;
  /** The document version this summary was computed from. */
  documentVersion: number;
  /** The Nucleus version whose rules were applied. */
  nucleusVersion: string;
  /** The topology `name`, null when missing. */
  name: string | null;
  /** The error `nucleus compose validate` would print first (without `Error: `), null when it passes. */
  nucleusError: { phase: string; message: string; range?: Range } | null;
  startupOrder: string[];
  services: ServiceSummary[];
  volumes: string[];
  networks: string[];
  problems: { errors: number; warnings: number; infos: number; hints: number };
}

export interface AnalysisParams {
  uri: string;
}

/**
 * Client → server, when the client needs the server's view of a topology (tree view, plan/apply commands
 * that want the graph and hashes the editor shows). Null when the document is not an open topology.
 */
export const AnalysisRequest = new RequestType<AnalysisParams, TopologySummary | null, void>(
  'nucleus/analysis',
);

export interface DidChangeAnalysisParams {
  uri: string;
  documentVersion: number;
}

/**
 * Server → client, right after the server published diagnostics for a new document version (or after a
 * settings change): the client refreshes what it shows from `nucleus/analysis`.
 */
export const DidChangeAnalysisNotification = new NotificationType<DidChangeAnalysisParams>(
  'nucleus/didChangeAnalysis',
);
