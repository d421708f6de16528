// Domain types shared by every layer: the decoded topology, issues, graph, analysis and plan.
// Plain data only; the functions that produce them live in their own modules.

import type { Span, TomlDocument } from './toml/ast.js';

/**
 * The shapes of `[services.X]` the engine knows:
 * - '0.3.8': 22 service fields;
 * - '0.3.9': 26 fields (egress_domains, egress_udp_ports, credential_broker, credential_broker_no_proxy_env);
 * - '0.3.4': the legacy shape (≤ 0.3.4) where services still had `hooks`; used to explain old files, never to run them.
 */
export type NucleusVersion = '0.3.4' | '0.3.8' | '0.3.9';

/** Versions whose rules the engine applies and whose hashes it computes. */
export const SUPPORTED_VERSIONS = ['0.3.8', '0.3.9'] as const;
export type SupportedVersion = (typeof SUPPORTED_VERSIONS)[number];
export const LATEST_VERSION: SupportedVersion = '0.3.9';
/**
 * The version the CLI assumes when neither `--nucleus-version` nor the installed `nucleus --version` says
 * otherwise: 0.3.8, the release whose behaviour the conformance vectors capture. (The editor instead follows
 * the detected version, else the newest.)
 */
export const CLI_DEFAULT_VERSION: SupportedVersion = '0.3.8';

export function isSupportedVersion(value: unknown): value is SupportedVersion {
  return (SUPPORTED_VERSIONS as readonly unknown[]).includes(value);
}

export type DependencyCondition = 'started' | 'healthy';
export type NatBackend = 'auto' | 'kernel' | 'userspace';

export interface DependsOn {
  service: string;
  /** As written; validate() only accepts 'started' | 'healthy' (default 'started'). */
  condition: string;
}

/** A `[services.X]` table as Nucleus deserializes it, defaults applied. Field order = hash JSON order. */
export interface ServiceDef {
  rootfs: string;
  command: string[];
  memory: string;
  /** f64; may be NaN, ±Infinity, -0. */
  cpus: number;
  /** u64. */
  pids: bigint;
  networks: string[];
  volumes: string[];
  depends_on: DependsOn[];
  health_check: string | null;
  /** u64. */
  health_interval: bigint;
  egress_allow: string[];
  /** 0.3.9 only (always [] under 0.3.8). */
  egress_domains: string[];
  /** u16 values. */
  egress_tcp_ports: number[];
  /** 0.3.9 only. */
  egress_udp_ports: number[];
  /** 0.3.9 only. */
  credential_broker: string | null;
  /** 0.3.9 only. */
  credential_broker_no_proxy_env: boolean;
  port_forwards: string[];
  /** Keys in byte order. */
  environment: Map<string, string>;
  user: string | null;
  group: string | null;
  additional_groups: string[];
  secrets: string[];
  dns: string[];
  nat_backend: NatBackend;
  /** u32. */
  replicas: number;
  runtime: string;
}

export interface NetworkDef {
  subnet: string;
  encrypted: boolean;
}

export interface VolumeDef {
  /** As written; validate() only accepts 'persistent' | 'ephemeral' (default 'ephemeral'). */
  volume_type: string;
  path: string | null;
  owner: string | null;
  size: string | null;
}

/** A decoded topology. Maps iterate in ascending UTF-8 byte order of their keys, as Rust's BTreeMap. */
export interface Topology {
  name: string;
  networks: Map<string, NetworkDef>;
  volumes: Map<string, VolumeDef>;
  services: Map<string, ServiceDef>;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** When Nucleus itself notices a problem. */
export type NucleusPhase =
  | 'parse' // every compose command fails while reading the file
  | 'validate' // compose validate/plan/up/down
  | 'graph' // dependency resolution after validate()
  | 'up' // only when compose up launches or waits for the service
  | 'never'; // Nucleus accepts it silently

export interface RelatedLocation {
  span: Span;
  message: string;
}

/** One problem found in a topology file, located in its text. */
export interface Issue {
  /** Stable kebab-case code, e.g. 'unknown-volume', 'dependency-cycle'. */
  code: string;
  severity: Severity;
  /** What is wrong, what Nucleus answers and when. */
  message: string;
  span: Span;
  related?: RelatedLocation[];
  /** 'unnecessary' for keys Nucleus ignores. */
  tags?: ('unnecessary' | 'deprecated')[];
  /** When Nucleus itself would complain, and with which text (without the `Error: ` prefix). */
  nucleus?: { phase: NucleusPhase; message?: string };
  /** Machine-readable facts for quick fixes (did-you-mean candidates, the offending name, …). */
  data?: IssueData;
}

export interface IssueData {
  /** Did-you-mean replacement(s) for the text at `span`, best first. */
  suggestions?: string[];
  /** Name of the service / volume / network / key the issue is about. */
  name?: string;
  /** Path of the table the issue is in, e.g. ['services', 'web']. */
  tablePath?: string[];
  [key: string]: unknown;
}

/** The single error `nucleus compose validate` would print first (spec §2.2 order), if any. */
export interface NucleusError {
  phase: 'parse' | 'validate' | 'graph';
  /** The text after `Error: `, e.g. `Configuration error: Topology must have at least one service`. */
  message: string;
  span?: Span;
}

export interface DependencyEdge {
  service: string;
  condition: string;
}

export interface DependencyGraph {
  /** Service names in byte order. */
  services: string[];
  startupOrder: string[];
  shutdownOrder: string[];
  /** edges[s]: what s depends on, in list order (duplicates kept). */
  edges: Map<string, DependencyEdge[]>;
  /** dependents[d]: the services that depend on d, in key order of the dependent (duplicates kept). */
  dependents: Map<string, string[]>;
  /**
   * Nucleus's error when resolution fails, as `DependencyGraph::resolve` words it (without the
   * `Configuration error: ` prefix): `Service 'web' depends on undefined service 'db'` or the cycle message.
   * When set, startupOrder/shutdownOrder hold what could be placed.
   */
  error?: string;
  /** Set when the sort could not place every service. */
  cycle?: {
    /** Every unplaced service in key order, as Nucleus lists them. */
    unplaced: string[];
    /** The actual cycles (each a list of services, first repeated implicitly), without bystanders. */
    cycles: string[][];
    /** Nucleus's message. */
    message: string;
  };
}

export type PostStartWait = 'Started' | 'Healthy';

export type PlanAction = 'NoChange' | 'Start' | 'Restart' | 'Stop';

export interface AnalyzeOptions {
  /** The Nucleus version whose rules apply. Default: LATEST_VERSION. */
  version?: SupportedVersion;
  /** Compute hashes, run args and the graph (default true). The editor may skip them for speed. */
  details?: boolean;
}

/** Everything the engine knows about one topology text; computed once per document version. */
export interface Analysis {
  version: SupportedVersion;
  toml: TomlDocument;
  /**
   * The decoded topology, best effort: present even when some fields are wrong (wrong values fall back to
   * their defaults and are reported in `issues`), so the editor can still offer outline, hover and lenses.
   * Null only when the root is unusable.
   */
  topology: Topology | null;
  /** Services whose table decoded exactly as Nucleus would (no shape error): their hash is meaningful. */
  exactServices: Set<string>;
  /** All problems, in document order. */
  issues: Issue[];
  /** The one error Nucleus would print first, or null when `compose validate` passes. */
  nucleusError: NucleusError | null;
  /** The dependency graph (null when the topology could not be decoded). */
  graph: DependencyGraph | null;
  /** Change hash per service (u64 decimal string), for services in `exactServices`. */
  hashes: Map<string, string>;
}
