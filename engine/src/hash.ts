// The change hash of a service (config.rs service_config_hash): its exact serde_json text and SHA-256 prefix,
// plus the two f64 renderings Nucleus uses (serde_json/zmij in the hash, Rust Display in `--cpus`).

import { createHash } from 'node:crypto';
import type { ServiceDef, SupportedVersion } from './model.js';
import { compareBytes, isByteSorted } from './order.js';

/**
 * A serde_json string literal. serde_json escapes `"`, `\`, and U+0000–U+001F (`\b \t \n \f \r`, else
 * `\u00xx` lowercase) and writes everything else as raw UTF-8: exactly JSON.stringify for well-formed text.
 * A lone surrogate cannot occur in a Rust `String` (and the TOML decoder never produces one); should one
 * reach us anyway, JSON.stringify's `\udxxx` escape is kept so the output stays valid, deterministic JSON.
 */
const jsonString: (s: string) => string = JSON.stringify;

function jsonStringArray(items: readonly string[]): string {
  return JSON.stringify(items);
}

function jsonNumberArray(items: readonly number[]): string {
  return `[${items.join(',')}]`;
}

function jsonOptString(value: string | null): string {
  return value === null ? 'null' : jsonString(value);
}

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

function jsonEnvironment(env: ReadonlyMap<string, string>): string {
  let keys = Array.from(env.keys());
  if (!isByteSorted(keys)) keys = keys.sort(compareBytes);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out += ',';
    out += `${jsonString(k)}:${jsonString(env.get(k) as string)}`;
  }
  return `${out}}`;
}

/**
 * `serde_json::to_vec(&ServiceDef)`: compact JSON with every field in struct declaration order — 22 fields
 * for 0.3.8, 26 for 0.3.9 (egress_domains, egress_udp_ports, credential_broker,
 * credential_broker_no_proxy_env inserted at their places). Spec §1.5 and §4.1.
 */
export function serviceJson(service: ServiceDef, version: SupportedVersion): string {
  const v39 = version === '0.3.9';
  const deps = service.depends_on
    .map((d) => `{"service":${jsonString(d.service)},"condition":${jsonString(d.condition)}}`)
    .join(',');
  return (
    `{"rootfs":${jsonString(service.rootfs)}` +
    `,"command":${jsonStringArray(service.command)}` +
    `,"memory":${jsonString(service.memory)}` +
    `,"cpus":${formatCpusJson(service.cpus)}` +
    `,"pids":${service.pids.toString()}` +
    `,"networks":${jsonStringArray(service.networks)}` +
    `,"volumes":${jsonStringArray(service.volumes)}` +
    `,"depends_on":[${deps}]` +
    `,"health_check":${jsonOptString(service.health_check)}` +
    `,"health_interval":${service.health_interval.toString()}` +
    `,"egress_allow":${jsonStringArray(service.egress_allow)}` +
    (v39 ? `,"egress_domains":${jsonStringArray(service.egress_domains)}` : '') +
    `,"egress_tcp_ports":${jsonNumberArray(service.egress_tcp_ports)}` +
    (v39
      ? `,"egress_udp_ports":${jsonNumberArray(service.egress_udp_ports)}` +
        `,"credential_broker":${jsonOptString(service.credential_broker)}` +
        `,"credential_broker_no_proxy_env":${service.credential_broker_no_proxy_env ? 'true' : 'false'}`
      : '') +
    `,"port_forwards":${jsonStringArray(service.port_forwards)}` +
    `,"environment":${jsonEnvironment(service.environment)}` +
    `,"user":${jsonOptString(service.user)}` +
    `,"group":${jsonOptString(service.group)}` +
    `,"additional_groups":${jsonStringArray(service.additional_groups)}` +
    `,"secrets":${jsonStringArray(service.secrets)}` +
    `,"dns":${jsonStringArray(service.dns)}` +
    `,"nat_backend":${jsonString(service.nat_backend)}` +
    `,"replicas":${String(service.replicas)}` +
    `,"runtime":${jsonString(service.runtime)}}`
  );
}

/** Decimal u64 of the first 8 bytes (big-endian) of SHA-256 over a service JSON text. */
export function hashOfServiceJson(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest().readBigUInt64BE(0).toString();
}

/** `service_config_hash`: the u64 change hash as a decimal string (values exceed 2^53: never a JS number). */
export function serviceHash(service: ServiceDef, version: SupportedVersion): string {
  return hashOfServiceJson(serviceJson(service, version));
}
