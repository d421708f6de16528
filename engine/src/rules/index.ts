// Runs every rule once: validate() in Nucleus's exact order (so the first violation is what Nucleus prints),
// then the graph, up-time and silent-ignore checks.

import { checkCycles, checkHealthChecks, validateDependencies } from './dependencies.js';
import { checkEgress, validateBroker, validateEgressAllow } from './egress.js';
import { checkEnvironment } from './environment.js';
import { checkIdentity } from './identity.js';
import { checkEphemeralOwnership, validateMounts } from './mounts.js';
import { checkNetworkSettings, checkServiceNetworking, validateNetworks } from './networks.js';
import { checkResources } from './resources.js';
import { checkSecrets } from './secrets.js';
import { type RuleContext, type Violation, services } from './context.js';
import {
  checkAttestation,
  checkContainerNames,
  validateHasServices,
  validateServiceName,
  validateTopologyName,
} from './topology.js';
import { checkVolumes, validateVolume } from './volumes.js';

export type { RuleContext, Violation } from './context.js';

/**
 * `TopologyConfig::validate()` (spec §2.2): T1–T4, V per volume in key order, then per service in key order
 * S1 (entries in list order), S2, S3, and for 0.3.9 S4–S7. Every violation is returned, in that order.
 */
function runValidate(ctx: RuleContext): Violation[] {
  const out: Violation[] = [];
  out.push(...validateTopologyName(ctx));
  for (const name of ctx.topology.services.keys()) out.push(...validateServiceName(ctx, name));
  out.push(...validateHasServices(ctx));
  for (const [name, vol] of ctx.topology.volumes) out.push(...validateVolume(ctx, name, vol));
  for (const s of services(ctx)) {
    out.push(...validateDependencies(ctx, s));
    out.push(...validateNetworks(ctx, s));
    out.push(...validateMounts(ctx, s));
    if (ctx.version === '0.3.9') out.push(...validateEgressAllow(ctx, s));
    out.push(...validateBroker(ctx, s));
  }
  return out;
}

/** Everything validate() does not check: the dependency cycles, up-time failures and silently ignored settings. */
function runChecks(ctx: RuleContext): void {
  checkCycles(ctx);
  checkHealthChecks(ctx);
  checkContainerNames(ctx);
  checkVolumes(ctx);
  checkNetworkSettings(ctx);
  for (const s of services(ctx)) {
    if (ctx.version === '0.3.8') validateEgressAllow(ctx, s);
    checkServiceNetworking(ctx, s);
    checkEgress(ctx, s);
    checkEphemeralOwnership(ctx, s);
    checkResources(ctx, s);
    checkIdentity(ctx, s);
    checkSecrets(ctx, s);
    checkEnvironment(ctx, s);
  }
  checkAttestation(ctx);
}

/** validate() violations become issues too; returns them in validate order. */
export function runRules(ctx: RuleContext): Violation[] {
  const violations = runValidate(ctx);
  for (const v of violations) ctx.issues.push(v.issue);
  runChecks(ctx);
  return violations;
}
