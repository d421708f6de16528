// The TOML reader: parses text into a TomlDocument (ast.ts) exactly as Nucleus's Rust `toml` 1.1.2 reads it —
// TOML 1.1 grammar, validation, error wording and spans of toml_parser/toml — plus spans on every node and
// line-based recovery so that a half-typed file still yields its tables and keys.
//
// Structure follows the crate: the token grammar (toml_parser's parser/document.rs) drives a builder that
// mirrors toml's de/parser (document.rs, inline_table.rs). Both run in one pass here.
import type {
  Span,
  TomlArray,
  TomlComment,
  TomlDateTime,
  TomlDocument,
  TomlEntry,
  TomlHeader,
  TomlNode,
  TomlTable,
} from './ast.js';
import { parseDateTime } from './datetime.js';
import { ErrorSink, firstReported, lit, msg, type StagedError } from './errors.js';
import {
  decodeUnquotedScalar,
  S_DATETIME,
  S_FALSE,
  S_FLOAT,
  S_INT_BIN,
  S_INT_DEC,
  S_INT_HEX,
  S_INT_OCT,
  NOT_QUOTED,
  S_STRING,
  S_TRUE,
  scalarText,
} from './scalars.js';
import {
  ATOM,
  BASIC_STRING,
  COMMA,
  COMMENT,
  DOT,
  EOF,
  EQUALS,
  LBRACE,
  LBRACKET,
  lex,
  LITERAL_STRING,
  ML_BASIC_STRING,
  ML_LITERAL_STRING,
  NEWLINE,
  RBRACE,
  RBRACKET,
  type Tokens,
  WHITESPACE,
} from './scanner.js';
import {
  decodeBasicString,
  decodeKey,
  decodeLiteralString,
  decodeMlBasicString,
  decodeMlLiteralString,
} from './strings.js';

export { formatTomlError, lineColumn } from './errors.js';

/** Nesting limit of arrays and inline tables (the crate's RecursionGuard, default features). */
const MAX_DEPTH = 80;

// Table flags of the crate's DeTable.
const IMPLICIT = 1;
const DOTTED = 2;
const INLINE = 4;

// Inline table states.
const NEEDS_KEY = 0;
const NEEDS_EQUALS = 1;
const NEEDS_VALUE = 2;
const NEEDS_COMMA = 3;
const STATE_EXPECTED = [['key'], [lit('=')], ['value'], [lit(',')]] as const;

// Outcomes of reading one key segment.
const SEGMENT = 0;
const NOT_A_KEY = 1;
const NO_TOKENS = 2;
type KeySegment = typeof SEGMENT | typeof NOT_A_KEY | typeof NO_TOKENS;

// Line shapes for recovery inside an unclosed array or inline table.
const SHAPE_OTHER = 0;
const SHAPE_KEYVAL = 1;
const SHAPE_HEADER = 2;

const DUPLICATE_KEY = 'duplicate key';
const MISSING_COMMA_ARRAY = msg('missing comma between array elements', [lit(',')]);
const UNCLOSED_ARRAY = msg('unclosed array', [lit(']')]);
const UNCLOSED_INLINE = msg('unclosed inline table', [lit('}')]);
const MISSING_INLINE_COMMA = msg('missing comma between key-value pairs', [lit(',')]);
const MISSING_ASSIGNMENT = msg('missing assignment between key-value pairs', [lit('=')]);
const UNEXPECTED_KEY_OR_VALUE = msg('unexpected key or value', [lit('\n'), lit('#')]);
const DEPTH = 'cannot recurse further; max recursion depth met';
const U128_MAX = (1n << 128n) - 1n;
/** Placeholder while an array's items are collected (never exposed: replaced before the array returns). */
const EMPTY_ITEMS: TomlNode[] = [];
const I128_MIN = -(1n << 127n);

/**
 * A decoded key: one entry per dotted segment. `fake` when a segment was missing (`a. = 1`, `[]`).
 * KeyPaths are reused from key to key, so their arrays only grow: the key is their first `n` entries.
 */
interface KeyPath {
  keys: string[];
  /** Span of each segment, as numbers: most become an entry's key span, made only when read. */
  starts: number[];
  ends: number[];
  n: number;
  fake: boolean;
}

/**
 * The TomlEntry of a one-segment `key = value` line, the bulk of a document: its `keySpan` and `span` (key to
 * the end of the value) are made when read, from numbers, rather than stored as two span objects per entry
 * (a large share of a document's heap, which the garbage collector copies on every analysis). Entries with
 * spans of their own (headers, tables made by a header or a dotted key, dotted keys) are plain objects.
 */
class KeyValueEntry implements TomlEntry {
  constructor(
    public key: string,
    public value: TomlNode,
    private readonly keyStart: number,
    private readonly keyEnd: number,
  ) {}

  get keySpan(): Span {
    return { start: this.keyStart, end: this.keyEnd };
  }

  get span(): Span {
    return { start: this.keyStart, end: this.value.span.end };
  }
}

/** Bigints of the small integers met so far (ports, limits, intervals): one object per value, not per literal. */
const SMALL_INTEGERS: (bigint | undefined)[] = [];
const SMALL_DIGITS = 5;

/** The shared bigint of a literal of at most 5 decimal digits (no sign), else undefined. */
function smallInteger(digits: string): bigint | undefined {
  const len = digits.length;
  if (len === 0 || len > SMALL_DIGITS) return undefined;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = digits.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  let value = SMALL_INTEGERS[n];
  if (value === undefined) {
    value = BigInt(n);
    SMALL_INTEGERS[n] = value;
  }
  return value;
}

function newKeyPath(): KeyPath {
  return { keys: [], starts: [], ends: [], n: 0, fake: false };
}

/** A TomlDocument plus what Nucleus itself would report (see {@link TomlDocument.nucleusError}). */
export function parseToml(text: string): TomlDocument {
  const tokens = lex(text, true, true);
  const parser = new Parser(text, tokens, false);
  parser.run();
  let first = firstReported(parser.sink.items);
  if (parser.deviated || tokens.cutStrings) {
    // Recovery took a different path than the crate (an unclosed array, inline table or multi-line string):
    // replay the crate's own path to know which error Nucleus reports.
    const faithful = new Parser(text, tokens.cutStrings ? lex(text) : tokens, true);
    faithful.run();
    first = firstReported(faithful.sink.items);
  }
  const errors = parser.sink.items.slice().sort((a, b) => a.span.start - b.span.start);
  const doc: TomlDocument = {
    text,
    root: parser.root,
    errors,
    headers: parser.headers,
    comments: parser.comments,
  };
  if (first !== undefined) doc.nucleusError = first;
  return doc;
}

class Parser {
  readonly sink = new ErrorSink();
  readonly headers: TomlHeader[] = [];
  readonly comments: TomlComment[] = [];
  readonly root: TomlTable;
  /** Set when editor recovery diverged from the crate's error path (see parseToml). */
  deviated = false;

  private readonly k: Uint8Array;
  private readonly st: Uint32Array;
  private readonly en: Uint32Array;
  private readonly count: number;
  private pos = 0;
  private depth = 0;
  /** Unwinding out of arrays/inline tables to resume at the start of a line (editor recovery). */
  private aborting = false;
  private readonly flags = new Map<TomlTable, number>();

  // Key segments being collected: kind, start, end, fake.
  private segKind: number[] = [];
  private segStart: number[] = [];
  private segEnd: number[] = [];
  private segFake: boolean[] = [];
  private segN = 0;
  /** Items of the arrays being parsed (nested arrays stack theirs above their parent's). */
  private readonly itemStack: TomlNode[] = [];
  /** Height of {@link itemStack} (the array itself is never shortened, which would free its storage). */
  private itemTop = 0;
  /** The key being read at each inline-table depth (a key lives until its value is parsed and inserted). */
  private readonly inlinePaths: KeyPath[] = [];
  /** Reused for top-level keys and headers (inline tables, parsed inside values, get their own). */
  private readonly docPath: KeyPath = newKeyPath();

  /** The table `key = value` lines go to. */
  private current: TomlTable;
  /** Header-defined table / array of tables whose span ends with the current section. */
  private sectionSpan: Span | null = null;
  private sectionArraySpan: Span | null = null;
  private sectionLastToken = -1;
  private lastHeader: TomlHeader | null = null;
  /** Errors the crate reports when the section ends (array-of-tables conflicts). */
  private deferred: StagedError[] = [];
  /** `[[a.b]]` arrays, whose items grow by push (trimmed to their length when the document ends). */
  private readonly tableArrays: TomlArray[] = [];

  constructor(
    private readonly text: string,
    tokens: Tokens,
    private readonly faithful: boolean,
  ) {
    this.k = tokens.kind;
    this.st = tokens.start;
    this.en = tokens.end;
    this.count = tokens.count;
    this.root = { kind: 'table', span: { start: 0, end: text.length }, entries: new Map(), origin: 'root' };
    this.current = this.root;
  }

  // ---------------------------------------------------------------------------------------------------
  // Document

  run(): void {
    const k = this.k;
    loop: while (this.pos < this.count) {
      const t = this.pos++;
      switch (k[t]!) {
        case LBRACKET:
          this.onTable(t);
          break;
        case RBRACKET:
          this.report(msg('missing table open', [lit('[')]), this.st[t]!, this.st[t]!, 1);
          this.ignoreToNewline();
          this.endExpression();
          break;
        case LITERAL_STRING:
        case BASIC_STRING:
        case ML_LITERAL_STRING:
        case ML_BASIC_STRING:
        case ATOM:
          this.onExpressionKey(t);
          this.endExpression();
          break;
        case EQUALS:
          this.segClear();
          this.segPush(ATOM, this.st[t]!, this.st[t]!, true);
          this.onKeyValSep(this.buildPath(this.docPath));
          this.endExpression();
          break;
        case DOT:
          this.onExpressionDot(t);
          this.endExpression();
          break;
        case COMMA:
        case RBRACE:
        case LBRACE:
          this.report(msg('invalid key-value pair', ['key']), this.st[t]!, this.st[t]!, 1);
          this.ignoreToNewline();
          this.endExpression();
          break;
        case WHITESPACE:
          break;
        case NEWLINE:
          this.newline(t);
          break;
        case COMMENT:
          this.onComment(t);
          break;
        case EOF:
          break loop;
      }
    }
    this.finishSection(this.text.length);
    // A pushed-to array reserves 17 slots or more; most arrays of tables hold a few, kept with the document.
    for (const array of this.tableArrays) array.items = array.items.slice();
  }

  /** A header, key-value or broken line ended: it belongs to the current section. */
  private endExpression(): void {
    const last = this.prevSignificant(this.pos);
    if (last >= 0) this.sectionLastToken = last;
  }

  private onExpressionKey(t: number): void {
    this.segClear();
    this.segPush(this.k[t]!, this.st[t]!, this.en[t]!, false);
    this.onExpressionRest('key with no value');
  }

  private onExpressionDot(t: number): void {
    this.segClear();
    this.segPush(ATOM, this.st[t]!, this.st[t]!, true);
    this.pos--;
    this.onExpressionRest('missing value for key');
  }

  /** After a key-value's first segment: the rest of its key, then `=` and the value, or `noEquals`. */
  private onExpressionRest(noEquals: string): void {
    this.optDotKeys();
    this.optWhitespace();
    if (this.k[this.pos] === EQUALS) {
      this.pos++;
      this.onKeyValSep(this.buildPath(this.docPath));
      return;
    }
    if (this.pos < this.count) {
      const at = this.st[this.pos]!;
      this.report(msg(noEquals, [lit('=')]), at, at, 1);
    }
    this.buildPath(this.docPath);
    this.ignoreToNewline();
  }

  /** After `=` of a top-level key-value. */
  private onKeyValSep(path: KeyPath): void {
    this.optWhitespace();
    const value = this.value();
    if (value !== null) this.insertKeyValue(path, value);
    if (this.aborting) {
      // Recovery stopped an unclosed array/inline table at the start of a line: parse that line next.
      this.aborting = false;
      return;
    }
    this.wsCommentNewline();
  }

  // ---------------------------------------------------------------------------------------------------
  // Tables

  private onTable(open: number): void {
    const k = this.k;
    const headerStart = this.st[open]!;
    this.finishSection(this.lineStart(headerStart));

    let isArray = false;
    if (k[this.pos] === LBRACKET) {
      this.pos++;
      isArray = true;
    }
    this.optWhitespace();
    this.segClear();
    const validKey = this.key('invalid table');
    this.optWhitespace();

    let success = false;
    let headerEnd: number;
    if (k[this.pos] === RBRACKET) {
      const close = this.pos++;
      headerEnd = this.en[close]!;
      if (!isArray) success = true;
      else if (k[this.pos] === RBRACKET) {
        headerEnd = this.en[this.pos++]!;
        success = true;
      } else {
        this.report(msg('unclosed array table', [lit(']')]), headerEnd, headerEnd, 1);
      }
    } else {
      let last = this.pos - 1;
      while (last > open && k[last] === WHITESPACE) last--;
      headerEnd = this.en[last]!;
      if (validKey) {
        const message = isArray
          ? msg('unclosed array table', [lit(']]')])
          : msg('unclosed table', [lit(']')]);
        this.report(message, headerEnd, headerEnd, 1);
      }
    }

    const path = this.buildPath(this.docPath);
    const headerSpan = { start: headerStart, end: headerEnd };
    let keys: string[];
    let keySpans: Span[];
    let real = 0;
    for (let i = 0; i < path.n; i++) if (path.starts[i] !== path.ends[i]) real++;
    if (real === path.n) {
      // Exact-size copies (the path arrays are reused for the next key).
      keys = path.keys.slice(0, path.n);
      keySpans = new Array<Span>(path.n);
      for (let i = 0; i < path.n; i++) keySpans[i] = { start: path.starts[i]!, end: path.ends[i]! };
    } else {
      keys = [];
      keySpans = [];
      for (let i = 0; i < path.n; i++) {
        // A zero-width segment is one the crate synthesized for a missing key: not part of the path.
        if (path.starts[i] === path.ends[i]) continue;
        keys.push(path.keys[i]!);
        keySpans.push({ start: path.starts[i]!, end: path.ends[i]! });
      }
    }
    const header: TomlHeader = { path: keys, keySpans, span: headerSpan, isArray, bodyEnd: this.text.length };
    this.headers.push(header);
    this.lastHeader = header;

    const sectionSpan = { start: headerStart, end: headerEnd };
    this.sectionSpan = sectionSpan;
    this.sectionArraySpan = null;
    const usable = !path.fake && path.n > 0;
    this.current = usable
      ? isArray
        ? this.startArrayTable(path, keySpans, headerSpan, sectionSpan)
        : this.startTable(path, keySpans, headerSpan, sectionSpan)
      : this.newTable(isArray ? 'array-header' : 'header', sectionSpan, headerSpan);

    if (success) this.wsCommentNewline();
    else this.ignoreToNewline();
    this.endExpression();
  }

  /** `keySpans`: the header's, one per segment of `path` (a usable path has no synthesized segment). */
  private startTable(path: KeyPath, keySpans: Span[], headerSpan: Span, sectionSpan: Span): TomlTable {
    const n = path.n;
    const parent = this.descend(this.root, path, n - 1, false, false);
    const key = path.keys[n - 1]!;
    const keySpan = keySpans[n - 1]!;
    if (parent === null) return this.newTable('header', sectionSpan, headerSpan);
    const existing = parent.entries.get(key);
    if (existing === undefined) {
      const table = this.newTable('header', sectionSpan, headerSpan);
      parent.entries.set(key, { key, keySpan, value: table, span: sectionSpan });
      return table;
    }
    const old = existing.value;
    if (old.kind === 'table' && (this.flagsOf(old) & (IMPLICIT | DOTTED)) === IMPLICIT) {
      // A table created implicitly by an earlier `[a.b]` now gets its own header.
      old.origin = 'header';
      old.header = headerSpan;
      old.span = sectionSpan;
      this.flags.set(old, 0);
      existing.keySpan = keySpan;
      existing.span = sectionSpan;
      return old;
    }
    this.report(DUPLICATE_KEY, keySpan.start, keySpan.end, 2);
    // The body goes to a detached table, so its keys do not cascade into more duplicate errors.
    return this.newTable('header', sectionSpan, headerSpan);
  }

  private startArrayTable(path: KeyPath, keySpans: Span[], headerSpan: Span, sectionSpan: Span): TomlTable {
    const n = path.n;
    const element = this.newTable('array-header', sectionSpan, headerSpan);
    // The crate checks `[[a.b]]` when the section ends: its errors come after those of the body.
    const mark = this.sink.items.length;
    const parent = this.descend(this.root, path, n - 1, false, false);
    this.deferred.push(...this.sink.items.splice(mark));
    if (parent === null) return element;
    const key = path.keys[n - 1]!;
    const keySpan = keySpans[n - 1]!;
    const existing = parent.entries.get(key);
    let array: TomlArray;
    if (existing === undefined) {
      array = {
        kind: 'array',
        items: [],
        ofTables: true,
        span: { start: sectionSpan.start, end: sectionSpan.end },
      };
      parent.entries.set(key, { key, keySpan, value: array, span: array.span });
      this.tableArrays.push(array);
    } else if (existing.value.kind === 'array' && existing.value.ofTables) {
      array = existing.value;
    } else {
      this.deferred.push({
        message: DUPLICATE_KEY,
        span: { start: keySpan.start, end: keySpan.end },
        stage: 2,
      });
      return element;
    }
    array.items.push(element);
    this.sectionArraySpan = array.span;
    return element;
  }

  /** Closes the current section: spans of its table and the next header's body start. */
  private finishSection(nextLineStart: number): void {
    if (this.lastHeader !== null) this.lastHeader.bodyEnd = nextLineStart;
    const end = this.sectionLastToken >= 0 ? this.lineEndAfter(this.en[this.sectionLastToken]!) : 0;
    if (this.sectionSpan !== null && end > this.sectionSpan.end) this.sectionSpan.end = end;
    if (this.sectionArraySpan !== null) this.sectionArraySpan.end = Math.max(this.sectionArraySpan.end, end);
    if (this.deferred.length > 0) {
      this.sink.items.push(...this.deferred);
      this.deferred = [];
    }
    this.sectionSpan = null;
    this.sectionArraySpan = null;
    this.sectionLastToken = -1;
  }

  private lineEndAfter(offset: number): number {
    const text = this.text;
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    return nl > offset && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
  }

  private lineStart(offset: number): number {
    let i = offset;
    while (i > 0) {
      const c = this.text.charCodeAt(i - 1);
      if (c !== 0x20 && c !== 0x09) break;
      i--;
    }
    return i;
  }

  // ---------------------------------------------------------------------------------------------------
  // Keys

  private segClear(): void {
    this.segN = 0;
  }

  private segPush(kind: number, start: number, end: number, fake: boolean): void {
    const i = this.segN++;
    this.segKind[i] = kind;
    this.segStart[i] = start;
    this.segEnd[i] = end;
    this.segFake[i] = fake;
  }

  /** Decodes the collected segments (the crate does this while building, reporting key errors). */
  private buildPath(into: KeyPath): KeyPath {
    const n = this.segN;
    const keys = into.keys;
    const starts = into.starts;
    const ends = into.ends;
    into.n = n;
    let fake = false;
    for (let i = 0; i < n; i++) {
      const start = this.segStart[i]!;
      const end = this.segEnd[i]!;
      keys[i] = decodeKey(this.text, this.segKind[i]!, start, end, this.sink);
      starts[i] = start;
      ends[i] = end;
      if (this.segFake[i]) fake = true;
    }
    if (n - 1 >= MAX_DEPTH) {
      this.report('recursion limit', starts[0]!, ends[n - 1]!, 2);
      fake = true;
    }
    into.fake = fake;
    return into;
  }

  /** The reusable KeyPath of the inline table being read at the current depth. */
  private inlinePath(): KeyPath {
    let path = this.inlinePaths[this.depth];
    if (path === undefined) {
      path = newKeyPath();
      this.inlinePaths[this.depth] = path;
    }
    return path;
  }

  /** toml_parser `key()`: the key of a table header. False when a segment is missing. */
  private key(invalidDescription: string): boolean {
    const found = this.keySegment();
    if (found === SEGMENT) return this.optDotKeys();
    if (found === NO_TOKENS) {
      const at = this.endBefore(this.pos);
      this.report(msg(invalidDescription, ['key']), at, at, 1);
    }
    return false;
  }

  /** toml_parser `opt_dot_keys()`: `.segment` repetitions after a first segment. */
  private optDotKeys(): boolean {
    const k = this.k;
    this.optWhitespace();
    while (k[this.pos] === DOT && this.pos < this.count) {
      const dotToken = this.pos++;
      const found = this.keySegment();
      if (found === SEGMENT) this.optWhitespace();
      else if (found === NOT_A_KEY) return false;
      else this.segPush(ATOM, this.en[dotToken]!, this.en[dotToken]!, true);
    }
    return true;
  }

  /**
   * One key segment after optional whitespace; each stray `.` before it stands for a missing (fake) segment.
   * At a token that cannot be a key, a fake segment is pushed and the token left unread.
   */
  private keySegment(): KeySegment {
    const k = this.k;
    while (this.pos < this.count) {
      const t = this.pos++;
      switch (k[t]!) {
        case RBRACKET:
        case COMMENT:
        case EQUALS:
        case COMMA:
        case LBRACKET:
        case LBRACE:
        case RBRACE:
        case NEWLINE:
        case EOF:
          this.segPush(ATOM, this.st[t]!, this.st[t]!, true);
          this.pos--;
          return NOT_A_KEY;
        case WHITESPACE:
          continue;
        case DOT:
          this.segPush(ATOM, this.st[t]!, this.st[t]!, true);
          continue;
        default:
          this.segPush(k[t]!, this.st[t]!, this.en[t]!, false);
          return SEGMENT;
      }
    }
    return NO_TOKENS;
  }

  // ---------------------------------------------------------------------------------------------------
  // Building (toml's de/parser/document.rs and inline_table.rs)

  private flagsOf(table: TomlTable): number {
    return this.flags.get(table) ?? 0;
  }

  private newTable(origin: TomlTable['origin'], span: Span, header?: Span): TomlTable {
    // One literal per shape: adding `header` afterwards would give every header table an extra
    // out-of-object property store.
    if (header !== undefined) return { kind: 'table', span, entries: new Map(), origin, header };
    return { kind: 'table', span, entries: new Map(), origin };
  }

  /** Walks/creates the first `count` segments of `path` under `table` (the crate's `descend_path`). */
  private descend(
    table: TomlTable,
    path: KeyPath,
    count: number,
    dotted: boolean,
    inline: boolean,
  ): TomlTable | null {
    let t = table;
    for (let i = 0; i < count; i++) {
      const key = path.keys[i]!;
      const span = { start: path.starts[i]!, end: path.ends[i]! };
      const entry = t.entries.get(key);
      if (entry === undefined) {
        const child = this.newTable(dotted ? 'dotted' : 'implicit', span);
        this.flags.set(child, IMPLICIT | (dotted ? DOTTED : 0) | (inline ? INLINE : 0));
        t.entries.set(key, { key, keySpan: span, value: child, span });
        t = child;
        continue;
      }
      const v = entry.value;
      if (v.kind === 'table') {
        let f = this.flagsOf(v);
        if (!inline) {
          if ((f & INLINE) !== 0) {
            this.report(
              'cannot extend value of type inline table with a dotted key',
              span.start,
              span.end,
              2,
            );
            return null;
          }
          if (dotted && (f & IMPLICIT) !== 0) {
            f |= DOTTED;
            this.flags.set(v, f);
          }
        }
        if (dotted && (f & IMPLICIT) === 0) {
          this.report(DUPLICATE_KEY, span.start, span.end, 2);
          return null;
        }
        t = v;
        continue;
      }
      if (!inline && v.kind === 'array' && v.ofTables) {
        const last = v.items[v.items.length - 1];
        if (last !== undefined && last.kind === 'table') {
          t = last;
          continue;
        }
      }
      this.report(`cannot extend value of type ${typeStr(v)} with a dotted key`, span.start, span.end, 2);
      return null;
    }
    return t;
  }

  /** A top-level `key = value` into the current section (the crate's `capture_key_value`). */
  private insertKeyValue(path: KeyPath, value: TomlNode): void {
    if (path.fake) return;
    const n = path.n;
    const dotted = n > 1;
    const parent = this.descend(this.current, path, n - 1, dotted, false);
    if (parent === null) return;
    this.putEntry(parent, path, value, dotted && (this.flagsOf(parent) & IMPLICIT) === 0);
  }

  /** A `key = value` of an inline table (the crate's inline_table `finish_value`); needs both. */
  private insertInline(table: TomlTable, path: KeyPath | null, value: TomlNode | null): void {
    if (path === null || value === null || path.fake) return;
    const n = path.n;
    const parent = this.descend(table, path, n - 1, true, true);
    if (parent === null) return;
    this.putEntry(parent, path, value, ((this.flagsOf(parent) & DOTTED) !== 0) === (n === 1));
  }

  /** Sets the last key of `path` in `parent`; a duplicate key when `clash` or the key is already there. */
  private putEntry(parent: TomlTable, path: KeyPath, value: TomlNode, clash: boolean): void {
    const key = path.keys[path.n - 1]!;
    const keyStart = path.starts[path.n - 1]!;
    const keyEnd = path.ends[path.n - 1]!;
    if (clash || parent.entries.has(key)) {
      this.report(DUPLICATE_KEY, keyStart, keyEnd, 2);
      return;
    }
    if (path.n === 1) {
      parent.entries.set(key, new KeyValueEntry(key, value, keyStart, keyEnd));
      return;
    }
    parent.entries.set(key, {
      key,
      keySpan: { start: keyStart, end: keyEnd },
      value,
      span: { start: path.starts[0]!, end: value.span.end },
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Values

  /** toml_parser `value()`; null when there is no value to insert (the error is reported). */
  private value(): TomlNode | null {
    if (this.pos >= this.count) {
      const at = this.endBefore(this.pos);
      this.report(msg('missing value', ['value']), at, at, 1);
      return null;
    }
    const t = this.pos++;
    switch (this.k[t]!) {
      case COMMENT:
      case COMMA:
      case NEWLINE:
      case EOF:
      case WHITESPACE: {
        // The crate builds an empty unquoted value here, which fails to decode.
        const at = this.st[t]!;
        this.report(NOT_QUOTED, at, at, 2);
        this.pos--;
        return null;
      }
      case EQUALS:
        this.report(msg('extra `=`', []), this.st[t]!, this.en[t]!, 1);
        return this.value();
      case LBRACE:
        return this.inlineTable(t);
      case RBRACE:
        this.report(msg('missing inline table opening', [lit('{')]), this.st[t]!, this.st[t]!, 1);
        return null;
      case LBRACKET:
        return this.array(t);
      case RBRACKET:
        this.report(msg('missing array opening', [lit('[')]), this.st[t]!, this.st[t]!, 1);
        return null;
      default:
        return this.scalar(t);
    }
  }

  /** toml_parser `on_scalar()`: an unquoted value spans adjacent atoms and dots (`1.5`, `1979-05-27 07:32`). */
  private scalar(t: number): TomlNode {
    const k = this.k;
    const kind = k[t]!;
    const start = this.st[t]!;
    let end = this.en[t]!;
    const text = this.text;
    const span = { start, end };
    switch (kind) {
      case BASIC_STRING:
        return {
          kind: 'string',
          value: decodeBasicString(text, start, end, this.sink),
          style: 'basic',
          span,
        };
      case LITERAL_STRING:
        return {
          kind: 'string',
          value: decodeLiteralString(text, start, end, this.sink),
          style: 'literal',
          span,
        };
      case ML_BASIC_STRING:
        return {
          kind: 'string',
          value: decodeMlBasicString(text, start, end, this.sink),
          style: 'multiline-basic',
          span,
        };
      case ML_LITERAL_STRING:
        return {
          kind: 'string',
          value: decodeMlLiteralString(text, start, end, this.sink),
          style: 'multiline-literal',
          span,
        };
    }
    for (;;) {
      const next = k[this.pos];
      if (next === DOT || next === ATOM) {
        end = this.en[this.pos++]!;
      } else if (next === WHITESPACE && k[this.pos + 1] === ATOM && this.pos + 1 < this.count) {
        end = this.en[this.pos + 1]!;
        this.pos += 2;
      } else break;
    }
    span.end = end;
    return this.unquoted(start, end, span);
  }

  private unquoted(start: number, end: number, span: Span): TomlNode {
    const s = decodeUnquotedScalar(this.text, start, end, this.sink);
    const decoded = scalarText;
    switch (s) {
      case S_TRUE:
        return { kind: 'boolean', value: true, span };
      case S_FALSE:
        return { kind: 'boolean', value: false, span };
      case S_FLOAT:
        return { kind: 'float', value: this.toFloat(decoded, span), span };
      case S_INT_DEC:
      case S_INT_HEX:
      case S_INT_OCT:
      case S_INT_BIN:
        return { kind: 'integer', value: this.toInteger(decoded, s, span), span };
      case S_DATETIME: {
        const raw = this.text.slice(start, end);
        const parsed = parseDateTime(raw);
        let subtype: TomlDateTime['subtype'];
        if ('error' in parsed) {
          this.report(parsed.error, start, end, 2);
          subtype = raw.includes(':') ? (raw.includes('-') ? 'local-datetime' : 'local-time') : 'local-date';
        } else subtype = parsed.kind;
        return { kind: 'datetime', subtype, value: raw, span };
      }
      case S_STRING:
      default:
        // Not a valid value (already reported); kept as the text written so the key stays visible.
        return { kind: 'string', value: decoded, style: 'basic', span };
    }
  }

  /**
   * The crate keeps integers as text and converts them for serde, trying i64, u64, i128 then u128: digits
   * it cannot convert (`0x`, or beyond 128 bits) fail there as "integer number overflowed". Narrower
   * ranges depend on the field's type and are the decoder's business.
   */
  private toInteger(digits: string, kind: number, span: Span): bigint {
    if (kind === S_INT_DEC) {
      const small = smallInteger(digits);
      if (small !== undefined) return small;
    }
    const prefix = kind === S_INT_HEX ? '0x' : kind === S_INT_OCT ? '0o' : kind === S_INT_BIN ? '0b' : '';
    let value: bigint | null = null;
    if (digits !== '') {
      try {
        value = BigInt(prefix + digits);
      } catch {
        value = null;
      }
    }
    if (value === null || value > U128_MAX || value < I128_MIN) {
      this.report('integer number overflowed', span.start, span.end, 3);
      return value ?? 0n;
    }
    return value;
  }

  private toFloat(decoded: string, span: Span): number {
    const c = decoded.charCodeAt(decoded.length - 1);
    if (c === 0x66 /* inf */ && decoded.endsWith('inf'))
      return decoded.startsWith('-') ? -Infinity : Infinity;
    if (c === 0x6e /* nan */ && decoded.endsWith('nan')) return NaN;
    const value = Number(decoded);
    if (!Number.isFinite(value) && decoded !== '') {
      // toml 1.1.2 reports this when the value is converted for serde (so after other document errors).
      this.report('floating-point number overflowed', span.start, span.end, 3);
    }
    return value;
  }

  private array(open: number): TomlArray {
    const node: TomlArray = {
      kind: 'array',
      items: EMPTY_ITEMS,
      ofTables: false,
      span: { start: this.st[open]!, end: this.en[open]! },
    };
    // Items are collected on a shared stack and copied once into an array of their exact size: growing a
    // fresh array by push() reserves room for 17 elements, which most arrays (two or three items) never use.
    const base = this.itemTop;
    this.arrayItems(open, node);
    const top = this.itemTop;
    node.items = top === base ? [] : this.itemStack.slice(base, top);
    this.itemTop = base;
    return node;
  }

  /**
   * Enters the array or inline table opened at token `open` one level deeper. Past the crate's recursion
   * limit it reports it, skips the value up to its `closing` bracket (ending `span` there) and returns false.
   */
  private enterValue(open: number, closing: number, span: Span): boolean {
    if (++this.depth <= MAX_DEPTH) return true;
    this.report(DEPTH, this.st[open]!, this.en[open]!, 1);
    this.ignoreToValueClose(closing);
    this.depth--;
    span.end = this.en[this.pos - 1]!;
    return false;
  }

  /** The body of {@link array}: pushes the items on {@link itemStack}, sets the span's end. */
  private arrayItems(open: number, node: TomlArray): void {
    const k = this.k;
    const items = this.itemStack;
    if (!this.enterValue(open, RBRACKET, node.span)) return;
    let needsComma = false;
    let lineStart = false;
    while (this.pos < this.count) {
      const t = this.pos++;
      const kind = k[t]!;
      switch (kind) {
        case COMMENT:
          this.onComment(t);
          lineStart = true;
          continue;
        case WHITESPACE:
          continue;
        case NEWLINE:
          this.newline(t);
          lineStart = true;
          continue;
        case EOF:
          this.pos = this.count;
          break;
        case COMMA:
          if (needsComma) needsComma = false;
          else this.report(msg('extra comma in array', ['value']), this.st[t]!, this.en[t]!, 1);
          lineStart = false;
          continue;
        case EQUALS:
          this.report(msg('unexpected `=` in array', ['value', lit(']')]), this.st[t]!, this.en[t]!, 1);
          lineStart = false;
          continue;
        case RBRACKET:
          node.span.end = this.en[t]!;
          this.depth--;
          return;
        case RBRACE:
          if (needsComma) this.report(MISSING_COMMA_ARRAY, this.st[t]!, this.st[t]!, 1);
          this.report(msg('missing inline table opening', [lit('{')]), this.st[t]!, this.st[t]!, 1);
          needsComma = true;
          lineStart = false;
          continue;
        default: {
          if (lineStart && !this.faithful && this.stopArrayAtLine(t, needsComma)) {
            node.span.end = this.en[this.prevSignificant(t)]!;
            this.depth--;
            return;
          }
          if (needsComma) this.report(MISSING_COMMA_ARRAY, this.st[t]!, this.st[t]!, 1);
          const item =
            kind === LBRACE ? this.inlineTable(t) : kind === LBRACKET ? this.array(t) : this.scalar(t);
          items[this.itemTop++] = item;
          node.span.end = item.span.end;
          needsComma = true;
          lineStart = false;
          if (this.aborting) {
            this.depth--;
            return;
          }
          continue;
        }
      }
      break;
    }
    // Out of tokens: the crate reports after the last thing it read.
    const at = this.endBefore(this.pos);
    this.report(UNCLOSED_ARRAY, at, at, 1);
    this.depth--;
  }

  /**
   * Editor recovery in an array that crossed a line break: a line that reads as `key = …` or a table
   * header means the array was never closed. Returns true (and sets up unwinding) to stop the array here.
   */
  private stopArrayAtLine(t: number, needsComma: boolean): boolean {
    const shape = this.lineShape(t);
    if (shape === SHAPE_OTHER) return false;
    if (needsComma) {
      // Same error, same place as the crate.
      this.report(MISSING_COMMA_ARRAY, this.st[t]!, this.st[t]!, 1);
    } else {
      if (shape === SHAPE_HEADER && !this.headerHasName(t)) return false;
      const at = this.endBefore(t);
      this.report(UNCLOSED_ARRAY, at, at, 1);
      this.deviated = true;
    }
    this.pos = t;
    this.aborting = true;
    return true;
  }

  private inlineTable(open: number): TomlTable {
    const k = this.k;
    const table = this.newTable('inline', { start: this.st[open]!, end: this.en[open]! });
    this.flags.set(table, INLINE);
    if (!this.enterValue(open, RBRACE, table.span)) return table;
    let state = NEEDS_KEY;
    let key: KeyPath | null = null;
    let value: TomlNode | null = null;
    let lineStart = false;

    while (this.pos < this.count) {
      const t = this.pos++;
      const kind = k[t]!;
      const at = this.st[t]!;
      if (
        lineStart &&
        !this.faithful &&
        kind !== WHITESPACE &&
        kind !== COMMENT &&
        kind !== NEWLINE &&
        kind !== EOF
      ) {
        lineStart = false;
        if (this.stopInlineAtLine(t, open, state)) {
          this.insertInline(table, key, value);
          this.depth--;
          return table;
        }
      }
      switch (kind) {
        case COMMENT:
          this.onComment(t);
          lineStart = true;
          continue;
        case WHITESPACE:
          continue;
        case NEWLINE:
          this.newline(t);
          lineStart = true;
          continue;
        case EOF:
          this.pos = this.count;
          break;
        case COMMA:
          if (state === NEEDS_COMMA) {
            this.insertInline(table, key, value);
            key = value = null;
            state = NEEDS_KEY;
          } else {
            this.report(msg('extra comma in inline table', STATE_EXPECTED[state]), at, at, 1);
          }
          continue;
        case EQUALS:
          if (state === NEEDS_KEY) {
            this.segClear();
            this.segPush(ATOM, at, at, true);
            key = this.buildPath(this.inlinePath());
            state = NEEDS_VALUE;
          } else if (state === NEEDS_EQUALS) {
            state = NEEDS_VALUE;
          } else {
            this.report(msg('extra assignment between key-value pairs', STATE_EXPECTED[state]), at, at, 1);
          }
          continue;
        case LBRACE:
        case LBRACKET:
          if (state === NEEDS_KEY || state === NEEDS_COMMA) {
            this.report(msg('missing key for inline table element', STATE_EXPECTED[state]), at, at, 1);
            this.ignoreToValueClose(kind === LBRACE ? RBRACE : RBRACKET);
          } else {
            if (state === NEEDS_EQUALS) {
              this.report(MISSING_ASSIGNMENT, at, at, 1);
            }
            value = kind === LBRACE ? this.inlineTable(t) : this.array(t);
            table.span.end = value.span.end;
            state = NEEDS_COMMA;
            if (this.aborting) {
              this.insertInline(table, key, value);
              this.depth--;
              return table;
            }
          }
          continue;
        case RBRACE:
          if (state === NEEDS_EQUALS || state === NEEDS_VALUE) {
            // The crate closes a key without value with an empty literal string, which fails to decode.
            decodeLiteralString(this.text, at, at, this.sink);
          }
          this.insertInline(table, key, value);
          table.span.end = this.en[t]!;
          this.depth--;
          return table;
        case RBRACKET:
          if (state === NEEDS_VALUE) {
            this.report(msg('missing array opening', [lit('[')]), at, at, 1);
            state = NEEDS_COMMA;
          } else {
            this.report(msg('invalid inline table element', STATE_EXPECTED[state]), at, at, 1);
          }
          continue;
        default:
          // Strings, atoms and dots: a key or a value depending on the state.
          if (state === NEEDS_KEY || state === NEEDS_COMMA) {
            if (state === NEEDS_COMMA) {
              this.report(MISSING_INLINE_COMMA, at, at, 1);
              this.insertInline(table, key, value);
              value = null;
            }
            key = this.inlineKey(t);
            state = NEEDS_EQUALS;
          } else {
            if (state === NEEDS_EQUALS) {
              this.report(MISSING_ASSIGNMENT, at, at, 1);
            }
            value = this.scalar(t);
            table.span.end = value.span.end;
            state = NEEDS_COMMA;
          }
          continue;
      }
      break;
    }
    // Out of tokens.
    const end = this.endBefore(this.pos);
    if (state === NEEDS_EQUALS || state === NEEDS_VALUE) decodeLiteralString(this.text, end, end, this.sink);
    this.insertInline(table, key, value);
    this.report(UNCLOSED_INLINE, end, end, 1);
    this.depth--;
    return table;
  }

  /** The key of an inline table entry starting at token `t` (a dot starts it with an empty segment). */
  private inlineKey(t: number): KeyPath {
    this.segClear();
    if (this.k[t] === DOT) {
      this.segPush(ATOM, this.st[t]!, this.st[t]!, true);
      this.pos--;
    } else {
      this.segPush(this.k[t]!, this.st[t]!, this.en[t]!, false);
    }
    this.optDotKeys();
    return this.buildPath(this.inlinePath());
  }

  /** Editor recovery in an inline table at the first token of a new line (see {@link stopArrayAtLine}). */
  private stopInlineAtLine(t: number, open: number, state: number): boolean {
    const shape = this.lineShape(t);
    if (shape === SHAPE_OTHER) return false;
    const at = this.st[t]!;
    const prevEnd = this.endBefore(t);
    if (shape === SHAPE_HEADER) {
      // The crate reports these three at the `[` too.
      if (state === NEEDS_KEY || state === NEEDS_COMMA) {
        this.report(msg('missing key for inline table element', STATE_EXPECTED[state]), at, at, 1);
      } else if (state === NEEDS_EQUALS) {
        this.report(MISSING_ASSIGNMENT, at, at, 1);
      } else {
        if (!this.headerHasName(t)) return false;
        this.report(UNCLOSED_INLINE, prevEnd, prevEnd, 1);
        this.deviated = true;
      }
    } else {
      // `key = …` is a valid next entry of a multi-line inline table; stop only if the table so far was
      // written on one line.
      if (state === NEEDS_KEY) return false;
      const nl = this.text.indexOf('\n', this.st[open]);
      if (nl >= 0 && nl < prevEnd) return false;
      if (state === NEEDS_COMMA) {
        this.report(MISSING_INLINE_COMMA, at, at, 1);
      } else if (state === NEEDS_EQUALS) {
        this.report(MISSING_ASSIGNMENT, at, at, 1);
      } else {
        this.report(UNCLOSED_INLINE, prevEnd, prevEnd, 1);
        this.deviated = true;
      }
    }
    this.pos = t;
    this.aborting = true;
    return true;
  }

  /**
   * What the line starting at token `t` looks like: `key = …`, a table header `[a.b]` / `[[a]]` (closed or
   * not), or something else. Reads only that line.
   */
  private lineShape(t: number): number {
    const k = this.k;
    let i = t;
    const header = k[i] === LBRACKET;
    if (header) {
      i++;
      if (k[i] === LBRACKET) i++;
    }
    let segments = 0;
    for (;;) {
      while (k[i] === WHITESPACE) i++;
      const kind = k[i];
      if (kind === ATOM || kind === BASIC_STRING || kind === LITERAL_STRING) {
        segments++;
        i++;
      } else if (kind === DOT) {
        i++;
      } else break;
      if (i >= this.count) return SHAPE_OTHER;
    }
    if (segments === 0) return SHAPE_OTHER;
    if (!header) return k[i] === EQUALS ? SHAPE_KEYVAL : SHAPE_OTHER;
    if (k[i] === RBRACKET) i++;
    if (k[i] === RBRACKET) i++;
    while (k[i] === WHITESPACE) i++;
    if (k[i] === COMMENT) i++;
    return k[i] === NEWLINE || k[i] === EOF ? SHAPE_HEADER : SHAPE_OTHER;
  }

  /** A header-shaped line whose key has a bare name, which no array value can start with (`[1]` can). */
  private headerHasName(t: number): boolean {
    const k = this.k;
    for (let i = t; i < this.count && k[i] !== NEWLINE && k[i] !== EOF; i++) {
      if (k[i] !== ATOM) continue;
      const s = this.text.slice(this.st[i], this.en[i]);
      const c = s.charCodeAt(0);
      const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
      if (letter && s !== 'true' && s !== 'false' && s !== 'inf' && s !== 'nan') return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------------
  // Trivia

  private optWhitespace(): void {
    if (this.k[this.pos] === WHITESPACE && this.pos < this.count) this.pos++;
  }

  private newline(t: number): void {
    // A lone CR is lexed as a line break and rejected here.
    if (this.en[t]! - this.st[t]! === 1 && this.text.charCodeAt(this.st[t]!) === 0x0d) {
      const at = this.en[t]!;
      this.report(msg('carriage return must be followed by newline', [lit('\n')]), at, at, 1);
    }
  }

  private onComment(t: number): void {
    const start = this.st[t]!;
    const end = this.en[t]!;
    this.comments.push({ span: { start, end } });
    const text = this.text;
    for (let i = start + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
        this.report(msg('invalid comment character', ['printable characters']), i, i, 1);
      }
    }
    if (this.pos >= this.count) return;
    const next = this.pos++;
    const kind = this.k[next];
    if (kind === NEWLINE) this.newline(next);
    else if (kind !== EOF) {
      this.report(
        msg('unexpected content between comment and newline', [lit('\n')]),
        this.st[next]!,
        this.st[next]!,
        1,
      );
      this.ignoreToNewline();
    }
  }

  /** After a value or header: only whitespace and a comment may end the line. */
  private wsCommentNewline(): void {
    const k = this.k;
    while (this.pos < this.count) {
      const t = this.pos++;
      switch (k[t]!) {
        case WHITESPACE:
          continue;
        case NEWLINE:
          this.newline(t);
          return;
        case EOF:
          return;
        case COMMENT:
          this.onComment(t);
          return;
        default:
          this.report(UNEXPECTED_KEY_OR_VALUE, this.st[t]!, this.st[t]!, 1);
          this.ignoreToNewline();
          return;
      }
    }
  }

  private ignoreToNewline(): void {
    const k = this.k;
    while (this.pos < this.count) {
      const t = this.pos++;
      switch (k[t]!) {
        case COMMENT:
          this.onComment(t);
          return;
        case NEWLINE:
          this.newline(t);
          return;
        case EOF:
          return;
      }
    }
  }

  /** Skips to the bracket closing the current value, ignoring nested ones. */
  private ignoreToValueClose(closing: number): void {
    const k = this.k;
    let arrays = 0;
    let tables = 0;
    while (this.pos < this.count) {
      const t = this.pos++;
      switch (k[t]!) {
        case COMMENT:
          this.onComment(t);
          break;
        case NEWLINE:
          this.newline(t);
          break;
        case LBRACKET:
          arrays++;
          break;
        case RBRACKET:
          if (arrays === 0 && closing === RBRACKET) return;
          if (arrays > 0) arrays--;
          break;
        case LBRACE:
          tables++;
          break;
        case RBRACE:
          if (tables === 0 && closing === RBRACE) return;
          if (tables > 0) tables--;
          break;
        case EOF:
          return;
      }
    }
  }

  /** Index of the last token before `pos` that is not whitespace, comment, line break or end; -1 if none. */
  private prevSignificant(pos: number): number {
    const k = this.k;
    for (let i = pos - 1; i >= 0; i--) {
      const kind = k[i];
      if (kind !== WHITESPACE && kind !== COMMENT && kind !== NEWLINE && kind !== EOF) return i;
    }
    return -1;
  }

  /** Where the crate reports what is missing: the end of the last significant token before `pos` (0 if none). */
  private endBefore(pos: number): number {
    const prev = this.prevSignificant(pos);
    return prev >= 0 ? this.en[prev]! : 0;
  }

  private report(message: string, start: number, end: number, stage: 1 | 2 | 3): void {
    this.sink.report(message, start, end, stage);
  }
}

function typeStr(node: TomlNode): string {
  return node.kind;
}

/** The node at `path` under `table` (array indices as numbers), or undefined. */
export function findNode(table: TomlTable, path: readonly (string | number)[]): TomlNode | undefined {
  let node: TomlNode = table;
  for (const part of path) {
    if (typeof part === 'number') {
      if (node.kind !== 'array') return undefined;
      const item: TomlNode | undefined = node.items[part];
      if (item === undefined) return undefined;
      node = item;
    } else {
      if (node.kind !== 'table') return undefined;
      const entry: TomlEntry | undefined = node.entries.get(part);
      if (entry === undefined) return undefined;
      node = entry.value;
    }
  }
  return node;
}
