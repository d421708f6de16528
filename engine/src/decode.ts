// TomlDocument → Topology as Nucleus's serde structs + toml 1.1.2 decode it: keys visited in byte order, depth
// first, missing fields after a table's keys, serde's exact messages. Collects every error (in serde order, so
// the first one is what Nucleus prints) and still builds a best-effort Topology.

import type {
  DependsOn,
  Issue,
  NatBackend,
  NetworkDef,
  ServiceDef,
  SupportedVersion,
  Topology,
  VolumeDef,
} from './model.js';
import { compareBytes } from './order.js';
import { issue } from './rules/catalog.js';
import { didYouMean, suggestNames } from './rules/suggest.js';
import { rustDebugStr } from './rustFmt.js';
import { formatF64Display } from './hash.js';
import {
  type FieldInfo,
  dependsOnFields,
  networkFields,
  serviceFields,
  topologyFields,
  volumeFields,
} from './schema.js';
import type { Span, TomlDocument, TomlEntry, TomlNode, TomlTable } from './toml/ast.js';

/** One serde error, in the order serde would meet it. */
export interface DecodeError {
  code:
    | 'missing-field'
    | 'invalid-type'
    | 'invalid-value'
    | 'unknown-variant'
    | 'number-overflow'
    | 'unknown-service-key'
    | 'newer-version-key'
    | 'removed-hooks';
  /** serde/toml's message, exactly as Nucleus prints it after the source excerpt. */
  message: string;
  /** The span toml 1.1.2 attaches (what its caret excerpt underlines). */
  span: Span;
}

/** Where a `[services.X]` (or network/volume) came from in the text. */
export interface TableSource {
  name: string;
  /** The `X = …` entry of the parent map. */
  entry: TomlEntry;
  /** The table, or null when the value is not a table. */
  table: TomlTable | null;
  /** Keys whose value did not decode (the decoded value is then the default); '*' = the whole table. */
  failed: Set<string>;
}

export interface DependsOnSource {
  /** The entry node (inline table, `[[…]]` table or array). */
  node: TomlNode;
  /** The `service = …` entry, when written as a table. */
  service?: TomlEntry;
  /** The `condition = …` entry, when written. */
  condition?: TomlEntry;
}

export interface ServiceSource extends TableSource {
  /** Aligned with the decoded `depends_on` list (entries that failed to decode are not in either). */
  dependsOn: DependsOnSource[];
}

export interface DecodeSources {
  root: TomlTable;
  /** Top-level entries by key (name, networks, volumes, services, unknown ones). */
  top: Map<string, TomlEntry>;
  /** Top-level keys that did not decode. */
  failedTop: Set<string>;
  networks: Map<string, TableSource>;
  volumes: Map<string, TableSource>;
  services: Map<string, ServiceSource>;
}

export interface DecodeResult {
  topology: Topology;
  /** Services whose whole subtree decoded without error and without a TOML syntax error inside. */
  exactServices: Set<string>;
  /** serde errors in serde's visiting order: errors[0] is the one Nucleus reports (after syntax errors). */
  errors: DecodeError[];
  /** Issues for every error and every ignored key. */
  issues: Issue[];
  sources: DecodeSources;
}

const I64_MIN = -(2n ** 63n);
const U64_MAX = 2n ** 64n - 1n;
const U32_MAX = 2n ** 32n - 1n;
const U16_MAX = 2n ** 16n - 1n;
const I128_MIN = -(2n ** 127n);
const I128_MAX = 2n ** 127n - 1n;
const U128_MAX = 2n ** 128n - 1n;

/**
 * The `failed` set of every table with no failed key (nearly all): one shared empty set, never added to (the
 * decoder gives a table its own set at its first failure), instead of an empty set kept per table.
 */
const NO_FAILURES = new Set<string>();

const NAT_BACKENDS = ['auto', 'kernel', 'userspace'] as const;

const V039_ONLY = new Set([
  'egress_domains',
  'egress_udp_ports',
  'credential_broker',
  'credential_broker_no_proxy_env',
]);

/** serde's `WithDecimalPoint`: Rust Display of the float, plus `.0` when finite and without a decimal point. */
function serdeFloat(x: number): string {
  const s = formatF64Display(x);
  return Number.isFinite(x) && !s.includes('.') ? `${s}.0` : s;
}

/** A short human name of a TOML value's type, for editor messages. */
function humanType(node: TomlNode): string {
  switch (node.kind) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'float':
      return 'a float';
    case 'boolean':
      return 'a boolean';
    case 'datetime':
      return 'a date/time';
    case 'array':
      return 'an array';
    case 'table':
      return 'a table';
  }
}

function byKey(a: TomlEntry, b: TomlEntry): number {
  return compareBytes(a.key, b.key);
}

function byUnits(a: TomlEntry, b: TomlEntry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Keys without a unit ≥ U+D800 compare the same in UTF-16 and in UTF-8 byte order. */
function hasHighUnits(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) >= 0xd800) return true;
  return false;
}

/**
 * A table's entries in the order serde visits them: ascending UTF-8 byte order of the keys (BTreeMap).
 * Written into `into` (from index 0; entries past the returned count are stale) when given and the table
 * is small, else into a new array. Returns the list and sets {@link sortedCount}.
 */
function sortedEntries(table: TomlTable, into?: TomlEntry[]): TomlEntry[] {
  const n = table.entries.size;
  sortedCount = n;
  if (into === undefined || n > 24) {
    const list = [...table.entries.values()];
    if (n < 2) return list;
    for (let i = 0; i < n; i++) {
      if (hasHighUnits((list[i] as TomlEntry).key)) return list.sort(byKey);
    }
    return n > 24 ? list.sort(byUnits) : insertionSort(list, n);
  }
  let i = 0;
  let native = true;
  for (const e of table.entries.values()) {
    into[i++] = e;
    if (native && hasHighUnits(e.key)) native = false;
  }
  if (native) return insertionSort(into, n);
  // Rare (keys beyond U+D7FF): sort a copy exactly.
  const list = into.slice(0, n).sort(byKey);
  for (let k = 0; k < n; k++) into[k] = list[k] as TomlEntry;
  return into;
}

/** Entry count of the last {@link sortedEntries} result. */
let sortedCount = 0;

/** Sorts list[0, n) by native string order, in place: tables are small, and Array#sort copies. */
function insertionSort(list: TomlEntry[], n: number): TomlEntry[] {
  for (let i = 1; i < n; i++) {
    const e = list[i] as TomlEntry;
    const key = e.key;
    let j = i - 1;
    while (j >= 0 && (list[j] as TomlEntry).key > key) {
      list[j + 1] = list[j] as TomlEntry;
      j--;
    }
    list[j + 1] = e;
  }
  return list;
}

const FIELD_INDEX = new WeakMap<readonly FieldInfo[], Map<string, FieldInfo>>();
const REQUIRED_COUNT = new WeakMap<readonly FieldInfo[], number>();

function requiredCount(fields: readonly FieldInfo[]): number {
  let n = REQUIRED_COUNT.get(fields);
  if (n === undefined) {
    n = fields.filter((f) => f.required).length;
    REQUIRED_COUNT.set(fields, n);
  }
  return n;
}

function fieldIndex(fields: readonly FieldInfo[]): Map<string, FieldInfo> {
  let index = FIELD_INDEX.get(fields);
  if (!index) {
    index = new Map(fields.map((f) => [f.key, f]));
    FIELD_INDEX.set(fields, index);
  }
  return index;
}

/** The span toml 1.1.2 gives a value: a header table's `[…]` header, the root's offset 0, else the node's span. */
function serdeSpan(node: TomlNode): Span {
  if (node.kind === 'table') {
    if (node.origin === 'root') return { start: 0, end: 0 };
    if ((node.origin === 'header' || node.origin === 'array-header') && node.header) return node.header;
    return node.span;
  }
  if (node.kind === 'array' && node.ofTables) {
    const first = node.items[0];
    if (first && first.kind === 'table' && first.header) return first.header;
  }
  return node.span;
}

interface Ctx {
  /** Path of the table being decoded, for messages: ['services', 'web']. */
  readonly path: (string | number)[];
  /** Human label of the value: "`memory` of service `web`". */
  readonly label: string;
}

// Labels and paths are only rendered when an error needs them: decoding a large valid file builds no message
// text. The contexts of fields, list items and map keys are reused from one value to the next (mutable `key`
// or `index`), which is safe because every consumer renders what it needs at once and keeps no context.

/** A named table: "Service `web`" (its label) whose fields are "`memory` of service `web`". */
class TableCtx implements Ctx {
  private cachedPath: (string | number)[] | undefined;
  constructor(
    /** 'Service', 'Network', 'Volume'. */
    private readonly kind: string,
    /** 'services', 'networks', 'volumes'. */
    private readonly section: string,
    private name: string,
  ) {}
  /** Reuses this context for the next table of the same kind. */
  reset(name: string): void {
    this.name = name;
    this.cachedPath = undefined;
  }
  get path(): (string | number)[] {
    return (this.cachedPath ??= [this.section, this.name]);
  }
  get label(): string {
    return `${this.kind} \`${this.name}\``;
  }
  /** How a field names its owner: "service `web`". */
  get owner(): string {
    return `${this.kind.toLowerCase()} \`${this.name}\``;
  }
}

/** Entry `index` of `depends_on` of a service: "Entry 2 of `depends_on` of service `web`". */
class DependsOnCtx implements Ctx {
  index = 0;
  constructor(
    public parent: Ctx,
    public service: string,
  ) {}
  get path(): (string | number)[] {
    return [...this.parent.path, 'depends_on', this.index];
  }
  get label(): string {
    return `Entry ${this.index + 1} of \`depends_on\` of service \`${this.service}\``;
  }
  get owner(): string {
    return `entry ${this.index + 1} of \`depends_on\` of service \`${this.service}\``;
  }
}

/** `key` of an owner: "`memory` of service `web`". */
class FieldCtx implements Ctx {
  key = '';
  constructor(private readonly table: TableCtx | DependsOnCtx) {}
  get path(): (string | number)[] {
    return this.table.path;
  }
  get label(): string {
    return `\`${this.key}\` of ${this.table.owner}`;
  }
}

/** The i-th element of a list: "Entry 2 of `command` of service `web`". */
class ItemCtx implements Ctx {
  index = 0;
  constructor(public parent: Ctx) {}
  get path(): (string | number)[] {
    return this.parent.path;
  }
  get label(): string {
    return `Entry ${this.index + 1} of ${this.parent.label}`;
  }
}

/** A key of a free-form map: "`PORT` in `environment` of service `web`". */
class KeyCtx implements Ctx {
  key = '';
  constructor(public parent: Ctx) {}
  get path(): (string | number)[] {
    return this.parent.path;
  }
  get label(): string {
    return `\`${this.key}\` in ${this.parent.label}`;
  }
}

function tableLabel(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the top level';
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return `[${out}]`;
}

const NO_CTX: Ctx = { path: [], label: '' };

class Decoder {
  readonly errors: DecodeError[] = [];
  private readonly itemCtx = new ItemCtx(NO_CTX);
  /** Reusable entry lists for sortedEntries, one per table nesting level (see takeList). */
  private readonly lists: TomlEntry[][] = [];
  private listDepth = 0;
  private readonly keyCtx = new KeyCtx(NO_CTX);
  readonly issues: Issue[] = [];
  /** The source of the service (or network/volume) being decoded: its `failed` set receives failed keys. */
  private failed: TableSource | null = null;
  private failedKey = '';

  constructor(
    readonly doc: TomlDocument,
    readonly version: SupportedVersion,
  ) {}

  /** The entry list of the next nesting level; give it back with {@link giveList} when done with it. */
  private takeList(): TomlEntry[] {
    let list = this.lists[this.listDepth];
    if (list === undefined) {
      list = [];
      this.lists[this.listDepth] = list;
    }
    this.listDepth++;
    return list;
  }

  private giveList(): void {
    this.listDepth--;
  }

  // ---- error plumbing

  private fail(): void {
    this.markFailed(this.failedKey);
  }

  private error(err: DecodeError, problem: string, data?: Issue['data']): void {
    this.errors.push(err);
    this.fail();
    const input: Parameters<typeof issue>[1] = {
      span: this.visibleSpan(err.span),
      problem,
      nucleusMessage: err.message,
    };
    if (data) input.data = data;
    this.issues.push(issue(err.code, input));
  }

  /** The root's serde span is empty at offset 0; the editor underlines the first line instead. */
  private visibleSpan(span: Span): Span {
    if (span.start !== span.end) return span;
    const text = this.doc.text;
    let end = text.indexOf('\n', span.start);
    if (end < 0) end = text.length;
    if (end > span.start && text.charCodeAt(end - 1) === 13) end--;
    return { start: span.start, end: Math.max(end, Math.min(span.start + 1, text.length)) };
  }

  /** Floats/integers that toml cannot convert fail in deserialize_any, whatever the target type. Returns true if it failed. */
  private overflow(node: TomlNode, ctx: Ctx): boolean {
    if (node.kind === 'float' && !Number.isFinite(node.value) && !Number.isNaN(node.value)) {
      const literal = this.doc.text.slice(node.span.start, node.span.end);
      if (!literal.includes('inf')) {
        this.error(
          { code: 'number-overflow', message: 'floating-point number overflowed', span: node.span },
          `${ctx.label} is too large for a 64-bit float`,
        );
        return true;
      }
    }
    if (node.kind === 'integer' && (node.value < I128_MIN || node.value > U128_MAX)) {
      this.error(
        { code: 'number-overflow', message: 'integer number overflowed', span: node.span },
        `${ctx.label} is too large for a 128-bit integer`,
      );
      return true;
    }
    return false;
  }

  /** serde's `Unexpected` display of a value (what "invalid type: …" names). */
  private unexpected(node: TomlNode): string {
    switch (node.kind) {
      case 'string':
        return `string ${rustDebugStr(node.value)}`;
      case 'integer': {
        const v = node.value;
        if (v >= I64_MIN && v <= U64_MAX) return `integer \`${v}\``;
        // toml tries i64, u64, i128, then u128; serde's default visit_i128/visit_u128 name the type.
        return `integer \`${v}\` as ${v <= I128_MAX ? 'i128' : 'u128'}`;
      }
      case 'float':
        return `floating point \`${serdeFloat(node.value)}\``;
      case 'boolean':
        return `boolean \`${node.value}\``;
      case 'datetime':
      case 'table':
        return 'map';
      case 'array':
        return 'sequence';
    }
  }

  private invalidType(node: TomlNode, expecting: string, ctx: Ctx, want: string): void {
    if (this.overflow(node, ctx)) return;
    this.error(
      {
        code: 'invalid-type',
        message: `invalid type: ${this.unexpected(node)}, expected ${expecting}`,
        span: serdeSpan(node),
      },
      `${ctx.label} must be ${want}, not ${humanType(node)}`,
    );
  }

  /** Walks a value Nucleus ignores (IgnoredAny still goes through deserialize_any, so overflows fail). */
  private ignored(node: TomlNode, ctx: Ctx): void {
    if (node.kind === 'array') for (const item of node.items) this.ignored(item, ctx);
    else if (node.kind === 'table') for (const e of sortedEntries(node)) this.ignored(e.value, ctx);
    else this.overflow(node, ctx);
  }

  // ---- scalar decoders (return undefined on error)

  string(node: TomlNode, ctx: Ctx): string | undefined {
    if (node.kind === 'string') return node.value;
    this.invalidType(node, 'a string', ctx, 'a string');
    return undefined;
  }

  bool(node: TomlNode, ctx: Ctx): boolean | undefined {
    if (node.kind === 'boolean') return node.value;
    this.invalidType(node, 'a boolean', ctx, 'a boolean (`true` or `false`)');
    return undefined;
  }

  f64(node: TomlNode, ctx: Ctx): number | undefined {
    if (node.kind === 'float') {
      if (this.overflow(node, ctx)) return undefined;
      return node.value;
    }
    if (node.kind === 'integer') {
      if (this.overflow(node, ctx)) return undefined;
      // visit_i64 / visit_u64 convert with `as f64` (round to nearest, ties to even), like Number(bigint).
      if (node.value >= I64_MIN && node.value <= U64_MAX) return Number(node.value);
    }
    this.invalidType(node, 'f64', ctx, 'a number');
    return undefined;
  }

  /** u16/u32/u64 as serde's primitive visitors check them. */
  unsigned(node: TomlNode, bits: 16 | 32 | 64, ctx: Ctx): bigint | undefined {
    const max = bits === 16 ? U16_MAX : bits === 32 ? U32_MAX : U64_MAX;
    if (node.kind === 'integer') {
      if (this.overflow(node, ctx)) return undefined;
      const v = node.value;
      if (v >= I64_MIN && v <= U64_MAX) {
        if (v >= 0n && v <= max) return v;
        const rust = `u${bits}`;
        this.error(
          {
            code: 'invalid-value',
            message: `invalid value: integer \`${v}\`, expected ${rust}`,
            span: node.span,
          },
          `${ctx.label} is out of range for ${rust} (0 to ${max})`,
        );
        return undefined;
      }
    }
    this.invalidType(node, `u${bits}`, ctx, `an integer from 0 to ${max}`);
    return undefined;
  }

  natBackend(node: TomlNode, ctx: Ctx): NatBackend | undefined {
    if (node.kind === 'string' && (NAT_BACKENDS as readonly string[]).includes(node.value))
      return node.value as NatBackend;
    const variants = NAT_BACKENDS;
    const unknownVariant = (name: string, span: Span): undefined => {
      const suggestions = suggestNames(name, variants);
      this.error(
        {
          code: 'unknown-variant',
          message: `unknown variant \`${name}\`, expected one of \`auto\`, \`kernel\`, \`userspace\``,
          span,
        },
        `${ctx.label} must be "auto", "kernel" or "userspace" (lowercase)${didYouMean(suggestions)}`,
        { suggestions: suggestions.map((s) => `"${s}"`), name },
      );
      return undefined;
    };
    const custom = (message: string, span: Span): undefined => {
      this.error(
        { code: 'invalid-type', message, span },
        `${ctx.label} must be "auto", "kernel" or "userspace"`,
      );
      return undefined;
    };
    if (node.kind === 'string') {
      return (variants as readonly string[]).includes(node.value)
        ? (node.value as NatBackend)
        : unknownVariant(node.value, node.span);
    }
    if (node.kind === 'table') {
      // toml's table-as-enum form: `{ kernel = {} }`.
      const span = serdeSpan(node);
      if (node.entries.size === 0) return custom('wanted exactly 1 element, found 0 elements', span);
      if (node.entries.size > 1) return custom('wanted exactly 1 element, more than 1 element', span);
      const only = node.entries.values().next().value as TomlEntry;
      if (!(variants as readonly string[]).includes(only.key)) return unknownVariant(only.key, only.keySpan);
      const v = only.value;
      const vspan = serdeSpan(v);
      if (v.kind === 'array')
        return v.items.length === 0 ? (only.key as NatBackend) : custom('expected empty array', vspan);
      if (v.kind === 'table')
        return v.entries.size === 0 ? (only.key as NatBackend) : custom('expected empty table', vspan);
      const typeStr = v.kind === 'float' ? 'float' : v.kind;
      return custom(`expected table, found ${typeStr}`, vspan);
    }
    return custom('wanted string or table', node.span);
  }

  // ---- sequences and maps

  /** A `Vec<T>`: decodes every element (all errors collected); undefined if any failed. */
  list<T>(
    node: TomlNode,
    ctx: Ctx,
    what: string,
    item: (n: TomlNode, c: Ctx) => T | undefined,
  ): T[] | undefined {
    if (node.kind !== 'array') {
      this.invalidType(node, 'a sequence', ctx, `an array of ${what}`);
      return undefined;
    }
    const items = node.items;
    const n = items.length;
    // Exact size: pushing into [] would reserve 17 slots for these mostly short lists, kept in the topology.
    const out = new Array<T>(n);
    // Lists hold scalars, so one context serves every list (no list is decoded inside another).
    const itemCtx = this.itemCtx;
    itemCtx.parent = ctx;
    let ok = true;
    for (let i = 0; i < n; i++) {
      itemCtx.index = i;
      const v = item(items[i] as TomlNode, itemCtx);
      if (v === undefined) ok = false;
      else out[i] = v;
    }
    return ok ? out : undefined;
  }

  stringList(node: TomlNode, ctx: Ctx): string[] | undefined {
    return this.list(node, ctx, 'strings', this.stringItem);
  }

  stringMap(node: TomlNode, ctx: Ctx): Map<string, string> | undefined {
    if (node.kind !== 'table') {
      this.invalidType(node, 'a map', ctx, 'a table of strings');
      return undefined;
    }
    const out = new Map<string, string>();
    const keyCtx = this.keyCtx;
    keyCtx.parent = ctx;
    let ok = true;
    const list = sortedEntries(node, this.takeList());
    const n = sortedCount;
    for (let i = 0; i < n; i++) {
      const e = list[i] as TomlEntry;
      keyCtx.key = e.key;
      const v = this.string(e.value, keyCtx);
      if (v === undefined) ok = false;
      else out.set(e.key, v);
    }
    this.giveList();
    return ok ? out : undefined;
  }

  // ---- structs

  /**
   * A serde-derived struct: from a table (keys in byte order, unknown keys per `onUnknown`, then missing
   * required fields at the table's span), or from an array (serde's positional visit_seq).
   * `decodeField` returns false when the value failed.
   */
  struct(
    node: TomlNode,
    rustName: string,
    fields: readonly FieldInfo[],
    ctx: Ctx,
    decodeField: (field: FieldInfo, value: TomlNode, entry: TomlEntry | null) => void,
    onUnknown: (entry: TomlEntry) => void,
    /** True for a service/network/volume table: missing fields are recorded as its failed keys. */
    ownsFailed = false,
  ): boolean {
    if (node.kind === 'table') {
      const byName = fieldIndex(fields);
      let requiredSeen = 0;
      // Tables nest (a service's depends_on entries): one reusable list per nesting level.
      const pooled = this.takeList();
      const list = sortedEntries(node, pooled);
      const n = sortedCount;
      for (let i = 0; i < n; i++) {
        const e = list[i] as TomlEntry;
        const f = byName.get(e.key);
        if (f) {
          if (f.required) requiredSeen++;
          decodeField(f, e.value, e);
        } else onUnknown(e);
      }
      this.giveList();
      const span = serdeSpan(node);
      for (const f of requiredSeen < requiredCount(fields) ? fields : []) {
        if (f.required && !node.entries.has(f.key)) {
          if (ownsFailed) this.failedKey = f.key;
          this.error(
            { code: 'missing-field', message: `missing field \`${f.key}\``, span },
            `Missing required key \`${f.key}\` ${ctx.path.length === 0 ? 'at the top level' : `in ${tableLabel(ctx.path)}`}`,
            { name: f.key, tablePath: ctx.path.map(String) },
          );
        }
      }
      return true;
    }
    if (node.kind === 'array') {
      // serde's derived visit_seq: fields by position; a missing required one is an invalid length.
      const n = fields.length;
      for (let i = 0; i < n; i++) {
        const f = fields[i] as FieldInfo;
        const item = node.items[i];
        if (item) decodeField(f, item, null);
        else if (f.required) {
          if (ownsFailed) this.failedKey = f.key;
          this.error(
            {
              code: 'invalid-type',
              message: `invalid length ${i}, expected struct ${rustName} with ${n} element${n === 1 ? '' : 's'}`,
              span: serdeSpan(node),
            },
            `${ctx.label} must be a table, not an array`,
          );
          break;
        }
      }
      return true;
    }
    this.invalidType(node, `struct ${rustName}`, ctx, 'a table');
    return false;
  }

  // ---- the topology

  decode(): DecodeResult {
    const root = this.doc.root;
    const sources: DecodeSources = {
      root,
      top: new Map(),
      failedTop: new Set(),
      networks: new Map(),
      volumes: new Map(),
      services: new Map(),
    };
    const topology: Topology = { name: '', networks: new Map(), volumes: new Map(), services: new Map() };
    const topFields = topologyFields();
    const rootCtx: Ctx = { path: [], label: 'The file' };
    const markTop = (key: string) => sources.failedTop.add(key);

    this.struct(
      root,
      'TopologyConfig',
      topFields,
      rootCtx,
      (field, value, entry) => {
        if (entry) sources.top.set(entry.key, entry);
        const label = `\`${field.key}\``;
        switch (field.key) {
          case 'name': {
            const v = this.string(value, { path: [], label: 'The topology `name`' });
            if (v !== undefined) topology.name = v;
            else markTop('name');
            break;
          }
          case 'networks':
            this.map(value, { path: ['networks'], label }, (name, e) => {
              const network: NetworkDef = { subnet: '10.42.0.0/24', encrypted: false };
              sources.networks.set(name, this.plainTable(name, e, 'Network', networkFields(), network));
              topology.networks.set(name, network);
            });
            break;
          case 'volumes':
            this.map(value, { path: ['volumes'], label }, (name, e) => {
              const volume: VolumeDef = { volume_type: 'ephemeral', path: null, owner: null, size: null };
              sources.volumes.set(name, this.plainTable(name, e, 'Volume', volumeFields(), volume));
              topology.volumes.set(name, volume);
            });
            break;
          case 'services':
            this.map(value, { path: ['services'], label }, (name, e) => {
              sources.services.set(name, this.service(name, e));
              topology.services.set(name, this.svc);
            });
            break;
        }
        if (field.key !== 'name' && value.kind !== 'table') markTop(field.key);
      },
      (entry) => {
        sources.top.set(entry.key, entry);
        this.ignoredKey(entry, topFields, 'topology', [], 'at the top level');
      },
    );
    for (const f of topFields) if (f.required && !sources.top.has(f.key)) markTop(f.key);

    return {
      topology,
      exactServices: this.exactServices(sources),
      errors: this.errors,
      issues: this.issues,
      sources,
    };
  }

  /** A `BTreeMap<String, T>`: entries in byte order. */
  private map(node: TomlNode, ctx: Ctx, each: (name: string, entry: TomlEntry) => void): void {
    if (node.kind !== 'table') {
      this.invalidType(node, 'a map', ctx, 'a table');
      return;
    }
    for (const e of sortedEntries(node)) each(e.key, e);
  }

  private ignoredKey(
    entry: TomlEntry,
    fields: readonly FieldInfo[],
    aliasKind: string,
    path: (string | number)[],
    where: string,
  ): void {
    if (path.length === 2) this.failedKey = entry.key;
    const suggestions = suggestNames(
      entry.key,
      fields.map((f) => f.key),
      { aliasKind },
    );
    this.issues.push(
      issue('ignored-key', {
        span: entry.keySpan,
        problem: `Unknown key \`${entry.key}\` ${where}${didYouMean(suggestions)}`,
        tail:
          aliasKind === 'depends_on' && suggestions[0] === 'condition'
            ? 'Nucleus silently ignores unknown keys here, so the condition stays "started".'
            : aliasKind === 'volume' && suggestions[0] === 'volume_type'
              ? 'Nucleus silently ignores unknown keys here, so `volume_type` keeps its default "ephemeral".'
              : 'Nucleus silently ignores unknown keys here, so it has no effect.',
        tags: ['unnecessary'],
        data: { suggestions, name: entry.key, tablePath: path.map(String) },
      }),
    );
    this.ignored(entry.value, { path, label: `\`${entry.key}\`` });
  }

  /** Records `key` as failed in the table being decoded (its set is made at its first failure). */
  private markFailed(key: string): void {
    const src = this.failed;
    if (src === null) return;
    if (src.failed === NO_FAILURES) src.failed = new Set();
    src.failed.add(key);
  }

  private withFailed<T>(failed: TableSource, run: () => T): T {
    const prev = this.failed;
    const prevKey = this.failedKey;
    this.failed = failed;
    try {
      return run();
    } finally {
      this.failed = prev;
      this.failedKey = prevKey;
    }
  }

  /**
   * A `[networks.X]` or `[volumes.X]` table decoded into `value`, which holds the defaults: each key that
   * decodes overwrites its field.
   */
  private plainTable(
    name: string,
    entry: TomlEntry,
    kind: 'Network' | 'Volume',
    fields: readonly FieldInfo[],
    value: NetworkDef | VolumeDef,
  ): TableSource {
    const table = entry.value.kind === 'table' ? entry.value : null;
    const source: TableSource = { name, entry, table, failed: NO_FAILURES };
    const tableCtx = new TableCtx(kind, kind === 'Network' ? 'networks' : 'volumes', name);
    const ctx = new FieldCtx(tableCtx);
    const aliasKind = kind === 'Network' ? 'network' : 'volume';
    this.withFailed(source, () => {
      this.failedKey = '*';
      this.struct(
        entry.value,
        `${kind}Def`,
        fields,
        tableCtx,
        (f, v) => {
          this.failedKey = f.key;
          ctx.key = f.key;
          const decoded = this.fieldValue(f, v, ctx);
          // The field table guarantees that `kind` matches the field's type in NetworkDef / VolumeDef.
          if (decoded !== undefined) (value as unknown as Record<string, unknown>)[f.key] = decoded;
        },
        (e) => this.ignoredKey(e, fields, aliasKind, tableCtx.path, `in ${aliasKind} \`${name}\``),
        true,
      );
    });
    return source;
  }

  // The service being decoded (after service(): the one just decoded), read by the struct callbacks below.
  // Services do not nest, so one set of callbacks and contexts serves them all (no closures or contexts
  // per service).
  private svc: ServiceDef = pendingService();
  private svcSource: ServiceSource | null = null;
  private svcFields: readonly FieldInfo[] = [];
  private readonly svcTable = new TableCtx('Service', 'services', '');
  private readonly svcField = new FieldCtx(this.svcTable);
  private readonly onServiceField = (f: FieldInfo, v: TomlNode): void => {
    this.failedKey = f.key;
    this.svcField.key = f.key;
    this.serviceField(this.svc, this.svcSource as ServiceSource, f, v, this.svcField);
  };
  private readonly onServiceUnknown = (e: TomlEntry): void =>
    this.unknownServiceKey(e, this.svcFields, (this.svcSource as ServiceSource).name);

  private service(name: string, entry: TomlEntry): ServiceSource {
    const svc = pendingService();
    const table = entry.value.kind === 'table' ? entry.value : null;
    const source: ServiceSource = { name, entry, table, failed: NO_FAILURES, dependsOn: [] };
    this.svc = svc;
    this.svcSource = source;
    this.svcFields = serviceFields(this.version);
    this.svcTable.reset(name);
    const prev = this.failed;
    const prevKey = this.failedKey;
    this.failed = source;
    try {
      this.failedKey = '*';
      const isStruct = this.struct(
        entry.value,
        'ServiceDef',
        this.svcFields,
        this.svcTable,
        this.onServiceField,
        this.onServiceUnknown,
        true,
      );
      if (!isStruct) this.markFailed('*');
    } finally {
      this.failed = prev;
      this.failedKey = prevKey;
    }
    settleDefaults(svc);
    return source;
  }

  /** List items decoded as strings / u16 numbers (one function each, not a closure per list). */
  private readonly stringItem = (n: TomlNode, c: Ctx): string | undefined => this.string(n, c);
  private readonly u16Item = (n: TomlNode, c: Ctx): number | undefined => {
    const v = this.unsigned(n, 16, c);
    return v === undefined ? undefined : Number(v);
  };

  private serviceField(svc: ServiceDef, source: ServiceSource, f: FieldInfo, v: TomlNode, ctx: Ctx): void {
    if (f.kind === 'depends-on-list') {
      this.dependsOnList(svc, source, v, ctx);
      return;
    }
    const value = this.fieldValue(f, v, ctx);
    // The field table guarantees that `kind` matches the field's type in ServiceDef.
    if (value !== undefined) (svc as unknown as Record<string, unknown>)[f.key] = value;
  }

  /**
   * The value of a scalar, list or string-map field, decoded by its kind; undefined when it did not decode
   * (the error is reported) or when the kind is a table decoded elsewhere.
   */
  private fieldValue(f: FieldInfo, v: TomlNode, ctx: Ctx): ServiceDef[keyof ServiceDef] | undefined {
    let value: ServiceDef[keyof ServiceDef] | undefined;
    switch (f.kind) {
      case 'string':
      case 'optional-string':
        value = this.string(v, ctx);
        break;
      case 'string-list':
        value = this.stringList(v, ctx);
        break;
      case 'f64':
        value = this.f64(v, ctx);
        break;
      case 'u64':
        value = this.unsigned(v, 64, ctx);
        break;
      case 'u32': {
        const n = this.unsigned(v, 32, ctx);
        if (n !== undefined) value = Number(n);
        break;
      }
      case 'u16-list':
        value = this.list(v, ctx, 'integers from 0 to 65535', this.u16Item);
        break;
      case 'bool':
        value = this.bool(v, ctx);
        break;
      case 'string-map':
        value = this.stringMap(v, ctx);
        break;
      case 'nat-backend':
        value = this.natBackend(v, ctx);
        break;
      case 'depends-on-list':
      case 'network-map':
      case 'volume-map':
      case 'service-map':
      case 'hooks':
        break;
    }
    return value;
  }

  // The depends_on entry being decoded, read by its struct callbacks (one set per decoder, as for services).
  private readonly depCtx = new DependsOnCtx(NO_CTX, '');
  private readonly depField = new FieldCtx(this.depCtx);
  private dep: DependsOn = { service: '', condition: 'started' };
  private depServiceEntry: TomlEntry | undefined;
  private depConditionEntry: TomlEntry | undefined;
  private readonly onDependsOnField = (f: FieldInfo, v: TomlNode, entry: TomlEntry | null): void => {
    this.depField.key = f.key;
    const s = this.string(v, this.depField);
    if (f.key === 'service') {
      if (entry) this.depServiceEntry = entry;
      if (s !== undefined) this.dep.service = s;
    } else {
      if (entry) this.depConditionEntry = entry;
      if (s !== undefined) this.dep.condition = s;
    }
  };
  private readonly onDependsOnUnknown = (e: TomlEntry): void =>
    this.ignoredKey(
      e,
      dependsOnFields(),
      'depends_on',
      this.depCtx.path,
      `in a \`depends_on\` entry of service \`${this.depCtx.service}\``,
    );

  private dependsOnList(svc: ServiceDef, source: ServiceSource, node: TomlNode, ctx: Ctx): void {
    if (node.kind !== 'array') {
      this.invalidType(node, 'a sequence', ctx, 'an array of tables such as `[{ service = "db" }]`');
      return;
    }
    const fields = dependsOnFields();
    // Exact size (kept in the topology and the sources); shortened below if some entries fail.
    const count = node.items.length;
    const deps = new Array<DependsOn>(count);
    const srcs = new Array<DependsOnSource>(count);
    let kept = 0;
    const entryCtx = this.depCtx;
    entryCtx.parent = ctx;
    entryCtx.service = source.name;
    for (let i = 0; i < count; i++) {
      const item = node.items[i] as TomlNode;
      entryCtx.index = i;
      if (item.kind === 'string') {
        // The Docker Compose habit `depends_on = ["db"]`: say how to write it.
        this.error(
          {
            code: 'invalid-type',
            message: `invalid type: ${this.unexpected(item)}, expected struct DependsOn`,
            span: item.span,
          },
          `${entryCtx.label} must be a table such as \`{ service = ${JSON.stringify(item.value)} }\`, not a string`,
          { suggestions: [`{ service = ${JSON.stringify(item.value)} }`], name: item.value },
        );
        continue;
      }
      const dep: DependsOn = { service: '', condition: 'started' };
      this.dep = dep;
      this.depServiceEntry = undefined;
      this.depConditionEntry = undefined;
      const before = this.errors.length;
      this.struct(item, 'DependsOn', fields, entryCtx, this.onDependsOnField, this.onDependsOnUnknown);
      if (this.errors.length === before) {
        deps[kept] = dep;
        const serviceEntry = this.depServiceEntry;
        const conditionEntry = this.depConditionEntry;
        // Built in one go, with only the properties that apply.
        srcs[kept++] =
          serviceEntry !== undefined
            ? conditionEntry !== undefined
              ? { node: item, service: serviceEntry, condition: conditionEntry }
              : { node: item, service: serviceEntry }
            : conditionEntry !== undefined
              ? { node: item, condition: conditionEntry }
              : { node: item };
      }
    }
    if (kept < count) {
      deps.length = kept;
      srcs.length = kept;
    }
    svc.depends_on = deps;
    source.dependsOn = srcs;
  }

  private unknownServiceKey(entry: TomlEntry, fields: readonly FieldInfo[], service: string): void {
    const names = fields.map((f) => `\`${f.key}\``).join(', ');
    const message = `unknown field \`${entry.key}\`, expected one of ${names}`;
    const err = (code: DecodeError['code']): DecodeError => ({ code, message, span: entry.keySpan });
    this.failedKey = entry.key;
    if (entry.key === 'hooks') {
      this.error(
        err('removed-hooks'),
        `\`hooks\` were removed from topology services in Nucleus 0.3.5; use \`nucleus create --hooks\` administratively`,
        { name: 'hooks', tablePath: ['services', service] },
      );
    } else if (V039_ONLY.has(entry.key) && this.version !== '0.3.9') {
      this.error(
        err('newer-version-key'),
        `\`${entry.key}\` requires Nucleus 0.3.9; ${this.version} does not know it`,
        {
          name: entry.key,
          tablePath: ['services', service],
        },
      );
    } else {
      const suggestions = suggestNames(
        entry.key,
        fields.map((f) => f.key),
        { aliasKind: 'service' },
      );
      this.error(
        err('unknown-service-key'),
        `Unknown key \`${entry.key}\` in service \`${service}\`${didYouMean(suggestions)}; services reject unknown keys`,
        { suggestions, name: entry.key, tablePath: ['services', service] },
      );
    }
    this.markFailed(entry.key);
  }

  /** Services with no decode error and no TOML syntax error inside any of their sections. */
  private exactServices(sources: DecodeSources): Set<string> {
    const exact = new Set<string>();
    const syntax = this.doc.errors;
    let ranges: Map<string, Span[]> | null = null;
    if (syntax.length > 0) {
      ranges = new Map();
      for (const h of this.doc.headers) {
        if (h.path[0] !== 'services' || h.path.length < 2) continue;
        const name = h.path[1] as string;
        const list = ranges.get(name) ?? [];
        list.push({ start: h.span.start, end: h.bodyEnd });
        ranges.set(name, list);
      }
    }
    for (const [name, src] of sources.services) {
      if (src.failed.size > 0) continue;
      if (ranges) {
        const spans = [src.entry.span, ...(ranges.get(name) ?? [])];
        if (spans.some((s) => hasErrorIn(syntax, s.start, Math.max(s.end, s.start + 1)))) continue;
      }
      exact.add(name);
    }
    return exact;
  }
}

// Placeholders for the list and map fields of a service being decoded: most are written in the file, so
// their default (a fresh empty list or map) is only created for those that are not (settleDefaults).
const UNSET_LIST: never[] = [];
const UNSET_MAP = new Map<string, string>();

function pendingService(): ServiceDef {
  return {
    rootfs: '',
    command: UNSET_LIST,
    memory: '',
    cpus: 1.0,
    pids: 512n,
    networks: UNSET_LIST,
    volumes: UNSET_LIST,
    depends_on: UNSET_LIST,
    health_check: null,
    health_interval: 30n,
    egress_allow: UNSET_LIST,
    egress_domains: UNSET_LIST,
    egress_tcp_ports: UNSET_LIST,
    egress_udp_ports: UNSET_LIST,
    credential_broker: null,
    credential_broker_no_proxy_env: false,
    port_forwards: UNSET_LIST,
    environment: UNSET_MAP,
    user: null,
    group: null,
    additional_groups: UNSET_LIST,
    secrets: UNSET_LIST,
    dns: UNSET_LIST,
    nat_backend: 'auto',
    replicas: 1,
    runtime: 'native',
  };
}

/** Replaces the placeholders of {@link pendingService} that no key overwrote with their defaults. */
function settleDefaults(svc: ServiceDef): void {
  if (svc.command === UNSET_LIST) svc.command = [];
  if (svc.networks === UNSET_LIST) svc.networks = [];
  if (svc.volumes === UNSET_LIST) svc.volumes = [];
  if (svc.depends_on === UNSET_LIST) svc.depends_on = [];
  if (svc.egress_allow === UNSET_LIST) svc.egress_allow = [];
  if (svc.egress_domains === UNSET_LIST) svc.egress_domains = [];
  if (svc.egress_tcp_ports === UNSET_LIST) svc.egress_tcp_ports = [];
  if (svc.egress_udp_ports === UNSET_LIST) svc.egress_udp_ports = [];
  if (svc.port_forwards === UNSET_LIST) svc.port_forwards = [];
  if (svc.environment === UNSET_MAP) svc.environment = new Map();
  if (svc.additional_groups === UNSET_LIST) svc.additional_groups = [];
  if (svc.secrets === UNSET_LIST) svc.secrets = [];
  if (svc.dns === UNSET_LIST) svc.dns = [];
}

/**
 * Whether some error starts in [from, to). `errors` is in ascending start order (TomlDocument.errors), so a
 * binary search answers per range instead of a scan of every error per service.
 */
function hasErrorIn(errors: readonly { span: Span }[], from: number, to: number): boolean {
  let lo = 0;
  let hi = errors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((errors[mid] as { span: Span }).span.start < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < errors.length && (errors[lo] as { span: Span }).span.start < to;
}

/** A ServiceDef with every default (required fields empty). */
export function defaultService(): ServiceDef {
  const svc = pendingService();
  settleDefaults(svc);
  return svc;
}

/**
 * Decodes a parsed TOML document as Nucleus `version` would (`TopologyConfig::from_toml` after the TOML
 * parse). Works on documents with syntax errors too (best effort for the editor).
 */
export function decodeTopology(doc: TomlDocument, version: SupportedVersion): DecodeResult {
  return new Decoder(doc, version).decode();
}
