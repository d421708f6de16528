// `port_forwards` entries as network/config.rs PortForward::parse reads them (bridge services, at `compose up`).

import type { ValueResult } from './mount.js';
import { parseIpv4 } from './ipv4.js';
import { parseRustUint } from './rustParse.js';

export interface PortForward {
  hostIp: string | null;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** `[HOST_IP:]HOST:CONTAINER[/tcp|/udp]` with Nucleus's messages. */
export function parsePortForward(spec: string): ValueResult<PortForward> {
  let rest = spec;
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) {
    const p = spec.slice(slash + 1);
    if (p !== 'tcp' && p !== 'udp')
      return { ok: false, error: `Invalid protocol '${p}', must be tcp or udp` };
    protocol = p;
    rest = spec.slice(0, slash);
  }
  const parts = rest.split(':');
  if (parts.length !== 2 && parts.length !== 3) {
    return {
      ok: false,
      error: `Invalid port forward format '${spec}', expected HOST:CONTAINER or HOST_IP:HOST:CONTAINER`,
    };
  }
  let hostIp: string | null = null;
  if (parts.length === 3) {
    hostIp = parts[0] as string;
    const ip = parseIpv4(hostIp);
    if (!ip.ok) return ip;
  }
  const hostText = parts[parts.length - 2] as string;
  const containerText = parts[parts.length - 1] as string;
  const host = parseRustUint(hostText, 16);
  if (host === null) return { ok: false, error: `Invalid host port: ${hostText}` };
  const container = parseRustUint(containerText, 16);
  if (container === null) return { ok: false, error: `Invalid container port: ${containerText}` };
  return { ok: true, value: { hostIp, hostPort: host, containerPort: container, protocol } };
}
