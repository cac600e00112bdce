// Who may call a service over gRPC, derived from its catalog entry: the access policy its server enforces (the
// framework's AccessPolicy shape: method name or '*' -> caller names, and who may name a user in actor_id).

import type { ServiceEntry } from './entry';
import { gateway } from './gateway';

/**
 * TOOLS_IDENTITY is the development client identity of the ops CLI (`blog call`, `blog status`), the console and the
 * e2e suite. Only the development CA issues it (the local stack, compose): a cluster's cert-manager issues service
 * identities only, so no one holds it there. It may call any method, but never for a user (no actor_id).
 */
export const TOOLS_IDENTITY = 'blog-tools';

/** ACTOR_CALLERS are the only callers whose actor_id is honoured: the gateway, which checked the user's token. */
export const ACTOR_CALLERS: readonly string[] = [gateway.name];

/** ServiceAccess is a service's access policy (structurally the framework's AccessPolicy). */
export interface ServiceAccess {
  readonly rules: Readonly<Record<string, readonly string[]>>;
  readonly actorFrom: readonly string[];
}

/**
 * accessPolicyOf: the entry's callers (and the tools' identity) may call every public method; health and reflection
 * are open to any identity of the CA (the framework adds them); only the gateway may act for a user.
 */
export function accessPolicyOf(entry: ServiceEntry): ServiceAccess {
  return {
    rules: { '*': [...entry.callers, TOOLS_IDENTITY] },
    actorFrom: ACTOR_CALLERS.filter((caller) => entry.callers.includes(caller)),
  };
}

/** identities are every workload the CA issues a certificate for: the services, the gateway and the tools. */
export function identities(services: readonly ServiceEntry[]): readonly string[] {
  return [...services.map((s) => s.name), gateway.name, TOOLS_IDENTITY];
}
