// 0.3.9 `credential_broker` endpoints as network/config.rs CredentialBrokerConfig checks them.

import type { ValueResult } from './mount.js';
import { formatIpv4, parseCidr, parseStrictIpv4 } from './ipv4.js';

export interface BrokerEndpoint {
  ip: [number, number, number, number];
  port: number;
}

/** `IPv4:PORT` (Rust SocketAddrV4), port ≠ 0, IP unicast, not 0.0.0.0, not loopback. */
export function parseCredentialBroker(endpoint: string): ValueResult<BrokerEndpoint> {
  const colon = endpoint.lastIndexOf(':');
  const ip = colon < 0 ? null : parseStrictIpv4(endpoint.slice(0, colon));
  const portText = colon < 0 ? '' : endpoint.slice(colon + 1);
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (ip === null || !(port >= 0 && port <= 65535)) {
    return { ok: false, error: `Invalid credential broker endpoint '${endpoint}', expected IPv4:PORT` };
  }
  if (port === 0) return { ok: false, error: 'Credential broker port must be non-zero' };
  if (ip.every((o) => o === 0)) return { ok: false, error: 'Credential broker IP must not be 0.0.0.0' };
  if (ip[0] === 127) {
    return {
      ok: false,
      error: 'Credential broker IP must be reachable on the bridge, not container loopback',
    };
  }
  if ((ip[0] >= 224 && ip[0] <= 239) || ip.every((o) => o === 255)) {
    return { ok: false, error: 'Credential broker IP must be a unicast IPv4 address' };
  }
  return { ok: true, value: { ip, port } };
}

/** The bridge gateway of a subnet: the first host address, or the network address itself for /31 and /32. */
function subnetGateway(subnet: string): ValueResult<string> {
  const cidr = parseCidr(subnet);
  if (!cidr.ok) return cidr;
  const [a, b, c, d] = cidr.value.address;
  const addr = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const mask = cidr.value.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.value.prefix)) >>> 0;
  const network = (addr & mask) >>> 0;
  const gw = cidr.value.prefix >= 31 ? network : (network + 1) >>> 0;
  return { ok: true, value: formatIpv4([gw >>> 24, (gw >>> 16) & 255, (gw >>> 8) & 255, gw & 255]) };
}

/** The broker IP must equal the gateway of `subnet` (validate() uses the first network's subnet). */
export function checkBrokerGateway(endpoint: BrokerEndpoint, subnet: string): ValueResult<string> {
  const gw = subnetGateway(subnet);
  if (!gw.ok) return gw;
  const ip = formatIpv4(endpoint.ip);
  if (ip !== gw.value) {
    return {
      ok: false,
      error: `Credential broker IP must be the host-side bridge address ${gw.value} for subnet ${subnet}, got ${ip}`,
    };
  }
  return gw;
}

/** The bridge every container really runs on (network/config.rs BridgeConfig::default). */
export const RUNTIME_BRIDGE_SUBNET = '10.0.42.0/24';
