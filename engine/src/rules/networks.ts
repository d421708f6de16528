// Network rules: S2 of validate() (unknown networks) and what only `up` or nothing notices: bridge services
// without dns, dns and port-forward grammar, port forwards and egress on services without networks, and the
// network settings Nucleus never uses.

import { RUNTIME_BRIDGE_SUBNET } from '../values/credentialBroker.js';
import { parseIpv4 } from '../values/ipv4.js';
import { parsePortForward } from '../values/portForward.js';
import { issue } from './catalog.js';
import {
  type RuleContext,
  type ServiceView,
  type Violation,
  fieldOk,
  itemSpan,
  keySpan,
  related,
  headerSpan,
  violation,
  fieldSpan,
} from './context.js';
import { didYouMean, suggestNames } from './suggest.js';

/** S2 for one service. */
export function validateNetworks(ctx: RuleContext, s: ServiceView): Violation[] {
  if (!fieldOk(s.src, 'networks')) return [];
  const out: Violation[] = [];
  const networks = s.def.networks;
  for (let i = 0; i < networks.length; i++) {
    const net = networks[i] as string;
    if (ctx.topology.networks.has(net)) continue;
    const declared = Array.from(ctx.topology.networks.keys());
    const message = `Service '${s.name}' references unknown network '${net}'`;
    const suggestions = suggestNames(net, declared);
    const rel = declared.map((n) =>
      related(
        ctx.sources.networks.get(n)?.entry.keySpan ?? headerSpan(s.src),
        `network \`${n}\` is declared here`,
      ),
    );
    out.push(
      violation('unknown-network', message, {
        span: itemSpan(s.src, 'networks', i),
        problem: `Network \`${net}\` is not declared${declared.length === 0 ? ' (there is no [networks.X] table)' : ''}${didYouMean(suggestions)}`,
        data: { name: net, suggestions },
        related: rel,
      }),
    );
  }
  return out;
}

/** Up-time network problems of one service. */
export function checkServiceNetworking(ctx: RuleContext, s: ServiceView): void {
  const { def, src } = s;
  if (!fieldOk(src, 'networks')) return;
  const bridge = def.networks.length > 0;
  const broker = ctx.version === '0.3.9' && def.credential_broker !== null;
  if (bridge && fieldOk(src, 'dns') && def.dns.length === 0 && !broker && fieldOk(src, 'credential_broker')) {
    ctx.issues.push(
      issue('bridge-without-dns', {
        span: keySpan(src, 'networks') ?? headerSpan(src),
        problem: `Service \`${s.name}\` is on a network but sets no \`dns\``,
        nucleusMessage:
          'Configuration error: Production mode with bridge networking requires explicit --dns servers',
        data: { name: s.name },
      }),
    );
  }
  if (bridge && fieldOk(src, 'dns')) {
    for (let i = 0; i < def.dns.length; i++) {
      const server = def.dns[i] as string;
      const ip = parseIpv4(server);
      if (ip.ok) continue;
      ctx.issues.push(
        issue('invalid-dns', {
          span: itemSpan(src, 'dns', i),
          problem: `DNS server \`${server}\` is not a valid IPv4 address`,
          nucleusMessage: `Network error: ${ip.error}`,
          tail: `Nucleus accepts this but the service fails after \`compose up\` registered it, with: Network error: ${ip.error}`,
        }),
      );
    }
  }
  if (fieldOk(src, 'port_forwards') && def.port_forwards.length > 0) {
    if (bridge) {
      for (let i = 0; i < def.port_forwards.length; i++) {
        const spec = def.port_forwards[i] as string;
        const pf = parsePortForward(spec);
        const dash = pf.ok && spec.startsWith('-');
        if (pf.ok && !dash) continue;
        const input: Parameters<typeof issue>[1] = {
          span: itemSpan(src, 'port_forwards', i),
          problem: dash
            ? `Port forward \`${spec}\` starts with \`-\` and is taken for a flag by \`nucleus create\``
            : `Invalid port forward \`${spec}\``,
        };
        if (!pf.ok) input.nucleusMessage = pf.error;
        ctx.issues.push(issue('invalid-port-forward', input));
      }
    } else {
      ctx.issues.push(
        issue('port-forwards-without-network', {
          span: keySpan(src, 'port_forwards') ?? headerSpan(src),
          problem: `Port forwards of \`${s.name}\` have no effect: the service has no \`networks\``,
          tail: 'Nucleus silently ignores them.',
          tags: ['unnecessary'],
          data: { name: s.name },
        }),
      );
    }
  }
  if (!bridge) {
    const egressKeys = ['egress_allow', 'egress_domains', 'egress_tcp_ports', 'egress_udp_ports'] as const;
    for (const key of egressKeys) {
      if (!fieldOk(src, key) || def[key].length === 0) continue;
      if (ctx.version === '0.3.8' && (key === 'egress_domains' || key === 'egress_udp_ports')) continue;
      ctx.issues.push(
        issue('egress-without-network', {
          span: keySpan(src, key) ?? headerSpan(src),
          problem: `\`${key}\` of \`${s.name}\` has no effect: the service has no \`networks\` (no network at all)`,
          tail: 'Nucleus silently ignores it.',
          tags: ['unnecessary'],
          data: { name: s.name },
        }),
      );
    }
  }
}

/** `encrypted` and a custom `subnet` are never used at run time. */
export function checkNetworkSettings(ctx: RuleContext): void {
  for (const [name, net] of ctx.topology.networks) {
    const src = ctx.sources.networks.get(name);
    if (!src) continue;
    if (fieldOk(src, 'encrypted') && net.encrypted) {
      ctx.issues.push(
        issue('network-setting-unused', {
          span: fieldSpan(src, 'encrypted'),
          problem: `\`encrypted = true\` on network \`${name}\` has no effect`,
          tail: 'Nucleus never reads it: traffic is not encrypted.',
          data: { name },
        }),
      );
    }
    if (fieldOk(src, 'subnet') && src.table?.entries.has('subnet') && net.subnet !== RUNTIME_BRIDGE_SUBNET) {
      ctx.issues.push(
        issue('network-setting-unused', {
          span: fieldSpan(src, 'subnet'),
          problem: `\`subnet\` of network \`${name}\` is not used by containers: every bridge service runs on nucleus0, 10.0.42.0/24`,
          tail:
            ctx.version === '0.3.9'
              ? 'Nucleus only reads it to check the `credential_broker` of services listing this network first.'
              : 'Nucleus never passes it to containers.',
          data: { name },
        }),
      );
    }
  }
}
