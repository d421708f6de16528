// Finding things in an analysed text: the span of a table or key by path, the service at an offset, and the
// source span of one character of a TOML string value (for precise issue ranges).

import type { Analysis } from './model.js';
import type { Span, TomlDocument, TomlEntry, TomlNode, TomlString } from './toml/ast.js';
import { findNode } from './toml/parse.js';

/** The entry at `path` (string keys, numeric array indexes) from the root, or undefined. */
function findEntry(doc: TomlDocument, path: readonly (string | number)[]): TomlEntry | undefined {
  let node: TomlNode = doc.root;
  let entry: TomlEntry | undefined;
  for (const part of path) {
    if (typeof part === 'number') {
      if (node.kind !== 'array') return undefined;
      const item: TomlNode | undefined = node.items[part];
      if (!item) return undefined;
      node = item;
      continue;
    }
    if (node.kind !== 'table') return undefined;
    entry = node.entries.get(part);
    if (!entry) return undefined;
    node = entry.value;
  }
  return entry;
}

/**
 * The span that names a table: its `[a.b]` header when it has one, else the key that created it (dotted,
 * implicit or inline tables), the root → offset 0. Undefined when nothing is at `path` or it is not a table.
 */
export function findTableSpan(
  analysis: Pick<Analysis, 'toml'>,
  path: readonly (string | number)[],
): Span | undefined {
  const node = findNode(analysis.toml.root, path);
  if (!node || node.kind !== 'table') return undefined;
  if (node.origin === 'root') return { start: 0, end: 0 };
  if (node.header) return node.header;
  const entry = findEntry(analysis.toml, path);
  return entry?.keySpan ?? node.span;
}

/** The span of the key at `path` (its last segment), or undefined. */
export function findKeySpan(analysis: Pick<Analysis, 'toml'>, path: readonly string[]): Span | undefined {
  return findEntry(analysis.toml, path)?.keySpan;
}

function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/**
 * The service whose definition contains `offset`: inside its `[services.X]` section (or a `[services.X.…]`
 * sub-section), its inline table, or its dotted keys. Undefined outside every service.
 */
export function serviceAt(analysis: Pick<Analysis, 'toml'>, offset: number): string | undefined {
  const doc = analysis.toml;
  // Sections first: the header list is in document order, so a binary search finds the enclosing one.
  const headers = doc.headers;
  let lo = 0;
  let hi = headers.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((headers[mid] as { span: Span }).span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found >= 0) {
    const h = headers[found] as (typeof headers)[number];
    if (offset <= h.bodyEnd && h.path[0] === 'services' && h.path.length >= 2) return h.path[1];
  }
  // Inline or dotted definitions inside the root or a `[services]` section.
  const services = doc.root.entries.get('services');
  if (services?.value.kind === 'table') {
    for (const e of services.value.entries.values()) {
      if (e.value.kind === 'table' && e.value.origin !== 'header' && e.value.origin !== 'implicit') {
        if (contains(e.span, offset)) return e.key;
      }
    }
  }
  return undefined;
}

/**
 * The source span of the decoded character at `index` of a string value (escapes, line-ending backslashes
 * and the trimmed first newline of multi-line strings accounted for). Falls back to the whole string.
 */
export function stringCharSpan(text: string, node: TomlString, index: number): Span {
  const multiline = node.style === 'multiline-basic' || node.style === 'multiline-literal';
  const literal = node.style === 'literal' || node.style === 'multiline-literal';
  const q = multiline ? 3 : 1;
  let s = node.span.start + q;
  const end = node.span.end - q;
  if (multiline) {
    if (text.charCodeAt(s) === 10) s++;
    else if (text.charCodeAt(s) === 13 && text.charCodeAt(s + 1) === 10) s += 2;
  }
  const value = node.value;
  let d = 0;
  while (s < end) {
    const c = text.charCodeAt(s);
    let srcLen = 1;
    let outLen = 1;
    if (!literal && c === 92 /* \ */) {
      const n = text.charAt(s + 1);
      if (n === 'x') srcLen = 4;
      else if (n === 'u') srcLen = 6;
      else if (n === 'U') {
        srcLen = 10;
        outLen = parseInt(text.slice(s + 2, s + 10), 16) > 0xffff ? 2 : 1;
      } else if (multiline && /[ \t\r\n]/.test(n)) {
        // Line-ending backslash: the backslash and all following whitespace/newlines produce nothing.
        let k = s + 1;
        while (k < end && /[ \t\r\n]/.test(text.charAt(k))) k++;
        s = k;
        continue;
      } else srcLen = 2;
    } else if (c === 13 && text.charCodeAt(s + 1) === 10) {
      srcLen = 2;
      outLen = value.charCodeAt(d) === 13 ? 2 : 1;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      srcLen = 2;
      outLen = 2;
    }
    if (index >= d && index < d + outLen) return { start: s, end: s + srcLen };
    d += outLen;
    s += srcLen;
  }
  return node.span;
}
