// Egress and credential-broker rules: S4–S7 of 0.3.9 validate(), the 0.3.8 up-time CIDR check, egress ports
// without destinations, and the broker's up-time traps (runtime subnet, NAT backend).

import {
  RUNTIME_BRIDGE_SUBNET,
  checkBrokerGateway,
  parseCredentialBroker,
} from '../values/credentialBroker.js';
import { validateEgressDomain } from '../values/egressDomain.js';
import { parseCidr } from '../values/ipv4.js';
import { issue, rulePhase } from './catalog.js';
import {
  type RuleContext,
  type ServiceView,
  type Violation,
  fieldOk,
  headerSpan,
  itemSpan,
  keySpan,
  valueSpan,
  violation,
  fieldSpan,
} from './context.js';

/** S4 (0.3.9: validate; 0.3.8: only when a networked service starts and its egress policy is installed). */
export function validateEgressAllow(ctx: RuleContext, s: ServiceView): Violation[] {
  if (!fieldOk(s.src, 'egress_allow')) return [];
  const out: Violation[] = [];
  const v39 = ctx.version === '0.3.9';
  if (!v39 && !(fieldOk(s.src, 'networks') && s.def.networks.length > 0)) return [];
  const entries = s.def.egress_allow;
  for (let i = 0; i < entries.length; i++) {
    const cidr = entries[i] as string;
    const parsed = parseCidr(cidr);
    if (parsed.ok) continue;
    const message = `Service '${s.name}' has invalid egress_allow entry '${cidr}': ${parsed.error}`;
    const span = itemSpan(s.src, 'egress_allow', i);
    const problem = `\`${cidr}\` is not an IPv4 CIDR`;
    if (v39) {
      out.push(violation('invalid-egress-cidr', message, { span, problem }));
    } else {
      ctx.issues.push(
        issue('invalid-egress-cidr', {
          span,
          problem,
          phase: rulePhase('invalid-egress-cidr', ctx.version),
          nucleusMessage: `Network error: Failed to apply egress policy: Invalid egress CIDR: ${parsed.error}`,
          tail: `Nucleus ${ctx.version} accepts this at validate; the service fails after \`compose up\` registered it, while installing its egress policy (${parsed.error}).`,
        }),
      );
    }
  }
  return out;
}

/** S5–S7 (0.3.9 only). */
export function validateBroker(ctx: RuleContext, s: ServiceView): Violation[] {
  if (ctx.version !== '0.3.9') return [];
  const { def, src, name } = s;
  const out: Violation[] = [];
  const push = (code: string, message: string, span: ReturnType<typeof headerSpan>, problem: string) =>
    out.push(violation(code, message, { span, problem, data: { name } }));
  if (fieldOk(src, 'egress_domains')) {
    const domains = def.egress_domains;
    for (let i = 0; i < domains.length; i++) {
      const domain = domains[i] as string;
      const r = validateEgressDomain(domain);
      if (r.ok) continue;
      push(
        'invalid-egress-domain',
        `Service '${name}' has invalid egress_domains entry '${domain}': ${r.error}`,
        itemSpan(src, 'egress_domains', i),
        `\`${domain}\` is not a fully-qualified domain name`,
      );
    }
  }
  if (!fieldOk(src, 'credential_broker')) return out;
  const ep = def.credential_broker;
  if (ep !== null) {
    const span = fieldSpan(src, 'credential_broker');
    const parsed = parseCredentialBroker(ep);
    if (!parsed.ok) {
      push(
        'invalid-credential-broker',
        `Service '${name}' has invalid credential_broker '${ep}': ${parsed.error}`,
        span,
        `Invalid credential broker \`${ep}\``,
      );
    } else if (fieldOk(src, 'networks') && def.networks.length === 0) {
      push(
        'credential-broker-without-network',
        `Service '${name}' uses credential_broker but has no bridge network`,
        span,
        `Service \`${name}\` uses a credential broker but has no \`networks\``,
      );
    } else if (fieldOk(src, 'networks')) {
      const first = def.networks[0] as string;
      const net = ctx.topology.networks.get(first);
      if (net) {
        const gw = checkBrokerGateway(parsed.value, net.subnet);
        if (!gw.ok) {
          push(
            'invalid-credential-broker',
            `Service '${name}' has invalid credential_broker '${ep}': ${gw.error}`,
            span,
            `Credential broker \`${ep}\` is not the gateway of network \`${first}\` (${net.subnet})`,
          );
        }
      }
    }
    const raw = (['egress_allow', 'egress_domains', 'egress_tcp_ports', 'egress_udp_ports'] as const).find(
      (k) => fieldOk(src, k) && def[k].length > 0,
    );
    if (raw) {
      push(
        'credential-broker-with-egress',
        `Service '${name}' cannot combine credential_broker with raw egress allowlists`,
        keySpan(src, raw) ?? span,
        `\`${raw}\` cannot be combined with \`credential_broker\``,
      );
    }
  } else if (fieldOk(src, 'credential_broker_no_proxy_env') && def.credential_broker_no_proxy_env) {
    push(
      'no-proxy-env-without-broker',
      `Service '${name}' sets credential_broker_no_proxy_env without credential_broker`,
      fieldSpan(src, 'credential_broker_no_proxy_env'),
      '`credential_broker_no_proxy_env` is set without `credential_broker`',
    );
  }
  return out;
}

/** Up-time and silent egress problems of a networked service. */
export function checkEgress(ctx: RuleContext, s: ServiceView): void {
  const { def, src, name } = s;
  if (!fieldOk(src, 'networks') || def.networks.length === 0) return;
  const v39 = ctx.version === '0.3.9';
  const destinations = def.egress_allow.length + (v39 ? def.egress_domains.length : 0);
  const portKeys = v39
    ? (['egress_tcp_ports', 'egress_udp_ports'] as const)
    : (['egress_tcp_ports'] as const);
  if (destinations === 0 && fieldOk(src, 'egress_allow') && (!v39 || fieldOk(src, 'egress_domains'))) {
    for (const key of portKeys) {
      if (!fieldOk(src, key) || def[key].length === 0) continue;
      ctx.issues.push(
        issue('egress-ports-without-allowlist', {
          span: keySpan(src, key) ?? headerSpan(src),
          problem: `\`${key}\` of \`${name}\` opens nothing: there is no \`egress_allow\`${v39 ? ' or `egress_domains`' : ''}, so all egress stays denied`,
          tail: 'Nucleus silently ignores the ports.',
          tags: ['unnecessary'],
          data: { name },
        }),
      );
    }
  }
  if (!v39 || !fieldOk(src, 'credential_broker') || def.credential_broker === null) return;
  const parsed = parseCredentialBroker(def.credential_broker);
  if (!parsed.ok) return;
  const span = fieldSpan(src, 'credential_broker');
  const runtime = checkBrokerGateway(parsed.value, RUNTIME_BRIDGE_SUBNET);
  if (!runtime.ok) {
    ctx.issues.push(
      issue('broker-subnet-mismatch', {
        span,
        problem: `Credential broker \`${def.credential_broker}\` is not 10.0.42.1, the gateway of the bridge containers really run on (10.0.42.0/24)`,
        nucleusMessage: `Configuration error: ${runtime.error}`,
        data: { name },
      }),
    );
  }
  if (fieldOk(src, 'nat_backend') && def.nat_backend === 'userspace') {
    ctx.issues.push(
      issue('broker-userspace-nat', {
        span: valueSpan(src, 'nat_backend') ?? span,
        problem: `Service \`${name}\` uses a credential broker with \`nat_backend = "userspace"\``,
        nucleusMessage: 'Configuration error: Credential broker egress requires the kernel NAT backend',
        data: { name },
      }),
    );
  }
}
