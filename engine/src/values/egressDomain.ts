// 0.3.9 `egress_domains` entries as network/config.rs validate_egress_domain checks them.

import type { ValueResult } from './mount.js';
import { looksLikeIpv6, parseStrictIpv4 } from './ipv4.js';

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Returns the normalized name (one trailing `.` removed) or Nucleus's reason. */
export function validateEgressDomain(domain: string): ValueResult<string> {
  if (domain === '') return { ok: false, error: 'Egress domain cannot be empty' };
  if (parseStrictIpv4(domain) !== null || looksLikeIpv6(domain)) {
    return { ok: false, error: `Egress domain '${domain}' is an IP address; use --egress-allow with a CIDR` };
  }
  if (domain === '.') return { ok: false, error: "Egress domain cannot be only '.'" };
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (utf8Bytes(name) > 253)
    return { ok: false, error: `Egress domain '${domain}' is longer than 253 bytes` };
  if (!name.includes('.')) {
    return {
      ok: false,
      error: `Egress domain '${domain}' must be a fully-qualified name with at least one dot`,
    };
  }
  for (const label of name.split('.')) {
    if (label === '') return { ok: false, error: `Egress domain '${domain}' contains an empty label` };
    if (utf8Bytes(label) > 63)
      return { ok: false, error: `Egress domain '${domain}' contains a label longer than 63 bytes` };
    if (label.startsWith('-') || label.endsWith('-')) {
      return { ok: false, error: `Egress domain '${domain}' contains a label starting or ending with '-'` };
    }
    if (!/^[A-Za-z0-9-]+$/.test(label))
      return { ok: false, error: `Egress domain '${domain}' contains invalid characters` };
  }
  return { ok: true, value: name };
}
