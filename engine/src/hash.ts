// The change hash of a service (config.rs service_config_hash): its exact serde_json text and SHA-256 prefix,
// plus the two f64 renderings Nucleus uses (serde_json/zmij in the hash, Rust Display in `--cpus`).

import * as crypto from 'node:crypto';
import type { ServiceDef, SupportedVersion } from './model.js';
import { compareBytes, isByteSorted } from './order.js';
import { type FieldKind, serviceFields } from './schema.js';

/**
 * The UTF-8 bytes of a service's JSON, written straight into a reused buffer: hashing every service on every
 * analysis would otherwise build (and throw away) several kilobytes of intermediate strings per service.
 * The one serializer of the service JSON: {@link serviceJson} decodes its bytes, {@link serviceHash} hashes them.
 */
class JsonBytes {
  buf = new Uint8Array(4096);
  n = 0;
  private readonly encoder = new TextEncoder();

  private ensure(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  /** Text known to be ASCII that needs no escaping (punctuation, keys, numbers). */
  raw(s: string): void {
    const len = s.length;
    this.ensure(len);
    const buf = this.buf;
    let n = this.n;
    for (let i = 0; i < len; i++) buf[n++] = s.charCodeAt(i);
    this.n = n;
  }

  /**
   * A serde_json string literal. serde_json escapes `"`, `\`, and U+0000–U+001F (`\b \t \n \f \r`, else
   * `\u00xx` lowercase) and writes everything else as raw UTF-8: exactly JSON.stringify for well-formed
   * text. A lone surrogate cannot occur in a Rust `String` (and the TOML decoder never produces one); should
   * one reach us anyway, JSON.stringify's `\udxxx` escape is kept so the output stays valid, deterministic JSON.
   */
  str(s: string): void {
    const len = s.length;
    this.ensure(len + 2);
    const buf = this.buf;
    const from = this.n;
    let n = from;
    buf[n++] = 0x22;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x80 || c === 0x22 || c === 0x5c) {
        // Escapes or non-ASCII text: JSON.stringify's literal, encoded as UTF-8 (rare in topologies).
        this.n = from;
        this.utf8(JSON.stringify(s));
        return;
      }
      buf[n++] = c;
    }
    buf[n++] = 0x22;
    this.n = n;
  }

  private utf8(s: string): void {
    this.ensure(s.length * 3);
    this.n += this.encoder.encodeInto(s, this.buf.subarray(this.n)).written;
  }

  optStr(value: string | null): void {
    if (value === null) this.raw('null');
    else this.str(value);
  }

  strArray(items: readonly string[]): void {
    this.raw('[');
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.raw(',');
      this.str(items[i] as string);
    }
    this.raw(']');
  }

  numArray(items: readonly number[]): void {
    this.raw(`[${items.join(',')}]`);
  }
}

const json = new JsonBytes();
const utf8Decoder = new TextDecoder();

interface Decimal {
  negative: boolean;
  /** Shortest round-trip significant digits, no leading or trailing zeros (at least one digit). */
  digits: string;
  /** Decimal exponent of the first digit: value = d1.d2…dn × 10^exponent. */
  exponent: number;
}

/**
 * Shortest round-trip digits of a finite non-zero double. ECMAScript's Number::toString picks the shortest
 * digit string that round-trips, and the closest one on ties, like Rust's (Grisu/Ryu) and zmij's.
 */
function shortestDecimal(x: number): Decimal {
  const negative = x < 0;
  const s = String(negative ? -x : x);
  let digits: string;
  let exponent: number;
  const e = s.indexOf('e');
  if (e >= 0) {
    const mantissa = s.slice(0, e);
    digits = mantissa.replace('.', '');
    exponent = Number(s.slice(e + 1));
  } else {
    const dot = s.indexOf('.');
    const intPart = dot >= 0 ? s.slice(0, dot) : s;
    const fracPart = dot >= 0 ? s.slice(dot + 1) : '';
    if (intPart !== '0') {
      digits = intPart + fracPart;
      exponent = intPart.length - 1;
    } else {
      let z = 0;
      while (fracPart.charCodeAt(z) === 48) z++;
      digits = fracPart.slice(z);
      exponent = -(z + 1);
    }
  }
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  return { negative, digits: digits.slice(0, end), exponent };
}

/** Plain positional rendering of d1.d2…dn × 10^exponent, without any fraction when integral. */
function positional(digits: string, exponent: number): { int: string; frac: string } {
  const n = digits.length;
  if (exponent >= n - 1) return { int: digits + '0'.repeat(exponent - (n - 1)), frac: '' };
  if (exponent >= 0) return { int: digits.slice(0, exponent + 1), frac: digits.slice(exponent + 1) };
  return { int: '0', frac: '0'.repeat(-exponent - 1) + digits };
}

/**
 * `cpus` as serde_json 1.0.149 (zmij) writes an f64: `null` for NaN/±inf; `0.0`/`-0.0`; fixed notation with
 * at least one fractional digit when 1e-5 ≤ |x| < 1e16 (`1.0`, `0.5`, `0.00001`, `1000000000000000.0`);
 * otherwise scientific with an explicit exponent sign (`1e+16`, `1.5e+300`, `1e-7`).
 */
export function formatCpusJson(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const { negative, digits, exponent } = shortestDecimal(x);
  const sign = negative ? '-' : '';
  if (exponent >= -5 && exponent <= 15) {
    const { int, frac } = positional(digits, exponent);
    return `${sign}${int}.${frac === '' ? '0' : frac}`;
  }
  const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
  return `${sign}${digits[0] as string}${rest}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
}

/**
 * Rust `Display` for f64 (`svc.cpus.to_string()` in `--cpus`): the shortest round-trip digits written out in
 * full positional form, never an exponent and no `.0` (`1`, `0.5`, `0.0000001`, `1` followed by 300 zeros
 * for 1e300), `-0` for negative zero, `NaN`, `inf`, `-inf`.
 */
export function formatF64Display(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { negative, digits, exponent } = shortestDecimal(x);
  const { int, frac } = positional(digits, exponent);
  return `${negative ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`;
}

function writeEnvironment(out: JsonBytes, env: ReadonlyMap<string, string>): void {
  let keys = Array.from(env.keys());
  if (!isByteSorted(keys)) keys = keys.sort(compareBytes);
  out.raw('{');
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out.raw(',');
    out.str(k);
    out.raw(':');
    out.str(env.get(k) as string);
  }
  out.raw('}');
}

// Most services of a file share their cpus, pids and health_interval: the last rendering of each is reused.
let lastCpus = NaN;
let lastCpusText = 'null';
const lastUint = new Map<bigint, string>();

function cpusText(x: number): string {
  if (!Object.is(x, lastCpus)) {
    lastCpus = x;
    lastCpusText = formatCpusJson(x);
  }
  return lastCpusText;
}

function uintText(v: bigint): string {
  let text = lastUint.get(v);
  if (text === undefined) {
    if (lastUint.size >= 16) lastUint.clear();
    text = v.toString();
    lastUint.set(v, text);
  }
  return text;
}

/** A ServiceDef field as the writer meets it: `"key":` with the separator before it, and how to write the value. */
interface JsonField {
  key: keyof ServiceDef;
  prefix: string;
  kind: FieldKind;
}

/** Per version, the ServiceDef fields in struct declaration order (the schema's, which serde follows). */
const JSON_FIELDS: Record<SupportedVersion, readonly JsonField[]> = {
  '0.3.8': jsonFields('0.3.8'),
  '0.3.9': jsonFields('0.3.9'),
};

function jsonFields(version: SupportedVersion): JsonField[] {
  return serviceFields(version).map((f, i) => ({
    key: f.key as keyof ServiceDef,
    prefix: `${i === 0 ? '{' : ','}"${f.key}":`,
    kind: f.kind,
  }));
}

/**
 * `serde_json::to_vec(&ServiceDef)` into {@link json}: compact JSON with every field in struct declaration
 * order — 22 fields for 0.3.8, 26 for 0.3.9 (egress_domains, egress_udp_ports, credential_broker,
 * credential_broker_no_proxy_env inserted at their places). Spec §1.5 and §4.1.
 */
function writeServiceJson(service: ServiceDef, version: SupportedVersion): void {
  const out = json;
  out.n = 0;
  for (const f of JSON_FIELDS[version]) {
    out.raw(f.prefix);
    // The field table guarantees that `kind` matches the field's type in ServiceDef.
    const value = service[f.key];
    switch (f.kind) {
      case 'string':
      case 'nat-backend':
        out.str(value as string);
        break;
      case 'optional-string':
        out.optStr(value as string | null);
        break;
      case 'string-list':
        out.strArray(value as string[]);
        break;
      case 'f64':
        out.raw(cpusText(value as number));
        break;
      case 'u64':
        out.raw(uintText(value as bigint));
        break;
      case 'u32':
        out.raw((value as number).toString());
        break;
      case 'u16-list':
        out.numArray(value as number[]);
        break;
      case 'bool':
        out.raw(value ? 'true' : 'false');
        break;
      case 'string-map':
        writeEnvironment(out, value as ReadonlyMap<string, string>);
        break;
      case 'depends-on-list':
        writeDependsOn(out, value as ServiceDef['depends_on']);
        break;
      case 'network-map':
      case 'volume-map':
      case 'service-map':
      case 'hooks':
        // Not fields of a 0.3.8/0.3.9 service.
        break;
    }
  }
  out.raw('}');
}

function writeDependsOn(out: JsonBytes, deps: ServiceDef['depends_on']): void {
  out.raw('[');
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i] as ServiceDef['depends_on'][number];
    out.raw(i > 0 ? ',{"service":' : '{"service":');
    out.str(d.service);
    out.raw(',"condition":');
    out.str(d.condition);
    out.raw('}');
  }
  out.raw(']');
}

/** `serde_json::to_vec(&ServiceDef)` as text (see {@link writeServiceJson}). */
export function serviceJson(service: ServiceDef, version: SupportedVersion): string {
  writeServiceJson(service, version);
  return utf8Decoder.decode(json.buf.subarray(0, json.n));
}

// One-shot hashing (Node ≥ 20.12) skips the Hash object and digest buffer of createHash.
const oneShot = (
  crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }
).hash;

/** Decimal u64 of the first 8 bytes (big-endian) of SHA-256 over `data` (a string is hashed as UTF-8). */
function sha256Prefix(data: string | Uint8Array): string {
  const hex =
    oneShot !== undefined
      ? oneShot('sha256', data, 'hex')
      : crypto.createHash('sha256').update(data).digest('hex');
  return BigInt(`0x${hex.slice(0, 16)}`).toString();
}

/** Decimal u64 of the first 8 bytes (big-endian) of SHA-256 over a service JSON text. */
export function hashOfServiceJson(json: string): string {
  return sha256Prefix(json);
}

/** `service_config_hash`: the u64 change hash as a decimal string (values exceed 2^53: never a JS number). */
export function serviceHash(service: ServiceDef, version: SupportedVersion): string {
  writeServiceJson(service, version);
  return sha256Prefix(json.buf.subarray(0, json.n));
}
