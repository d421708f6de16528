// IPv4 addresses and egress CIDRs as network/config.rs validate_ipv4_addr / validate_egress_cidr check them.

import type { ValueResult } from './mount.js';
import { parseRustUint, parseRustUintAt } from './rustParse.js';

/**
 * `validate_ipv4_addr`: four dot-separated parts, each non-empty, without a leading zero when longer than one
 * character, each a Rust u8 (a leading `+` is accepted). Returns the four octets.
 */
export function parseIpv4(ip: string): ValueResult<[number, number, number, number]> {
  // Parts are read in place (no split): this runs for every dns server, port forward and CIDR.
  let dots = 0;
  for (let i = ip.indexOf('.'); i >= 0; i = ip.indexOf('.', i + 1)) dots++;
  if (dots !== 3) return { ok: false, error: `Invalid IPv4 address: '${ip}'` };
  const octets: [number, number, number, number] = [0, 0, 0, 0];
  let start = 0;
  for (let k = 0; k < 4; k++) {
    const dot = ip.indexOf('.', start);
    const end = dot < 0 ? ip.length : dot;
    if (end === start) return { ok: false, error: `Invalid IPv4 address: '${ip}'` };
    if (end - start > 1 && ip.charCodeAt(start) === 48 /* 0 */) {
      const part = ip.slice(start, end);
      return { ok: false, error: `Invalid IPv4 address: '${ip}' \u2013 octet '${part}' has leading zero` };
    }
    const v = parseRustUintAt(ip, start, end, 8);
    if (v === null) return { ok: false, error: `Invalid IPv4 address: '${ip}'` };
    octets[k] = v;
    start = end + 1;
  }
  return { ok: true, value: octets };
}

export interface Cidr {
  address: [number, number, number, number];
  prefix: number;
}

/** `validate_egress_cidr`: `ADDR/PREFIX`, ADDR per {@link parseIpv4}, PREFIX a u8 ≤ 32. Host bits may be set. */
export function parseCidr(cidr: string): ValueResult<Cidr> {
  const slash = cidr.indexOf('/');
  if (slash < 0) return { ok: false, error: `Invalid CIDR (missing /prefix): '${cidr}'` };
  const ip = parseIpv4(cidr.slice(0, slash));
  if (!ip.ok) return ip;
  const prefix = parseRustUint(cidr.slice(slash + 1), 8);
  if (prefix === null) return { ok: false, error: `Invalid CIDR prefix: '${cidr}'` };
  if (prefix > 32) return { ok: false, error: `CIDR prefix must be 0-32, got ${prefix}` };
  return { ok: true, value: { address: ip.value, prefix } };
}

/** Rust's strict `Ipv4Addr::from_str`: four decimal octets 0–255, no sign, no leading zeros. */
export function parseStrictIpv4(ip: string): [number, number, number, number] | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return null;
    const v = Number(p);
    if (v > 255) return null;
    out.push(v);
  }
  return out as [number, number, number, number];
}

/** Rust's `Ipv6Addr::from_str`, approximately (used only to tell an IP literal from a domain). */
export function looksLikeIpv6(text: string): boolean {
  if (!text.includes(':')) return false;
  return /^[0-9A-Fa-f:.]+$/.test(text) && (text.match(/::/g) ?? []).length <= 1;
}

export function formatIpv4(octets: readonly number[]): string {
  return octets.join('.');
}
