// Service identity and access rules, the go-micro `auth` concept: every service has an identity (a SPIFFE-style URI
// in its certificate's subject alternative names), and each service declares which identities may call which of its
// methods. The contract only: no grpc-js, no files. The mTLS transport is tls.ts, enforcement access.interceptor.ts.
//
//   const policy: AccessPolicy = {
//     rules: { GetBlog: ['api-gateway'], '*': ['api-gateway'] },   // method name -> caller names ('*': any method)
//     actorFrom: ['api-gateway'],                                     // who may speak for a user (actor_id)
//   };

/** TRUST_DOMAIN is the SPIFFE trust domain of every identity the development CA issues. */
export const TRUST_DOMAIN = 'blog.local';

/** Identity is a caller as its certificate names it: `spiffe://blog.local/service/<name>`. */
export interface Identity {
  /** uri is the SPIFFE ID, the certificate's URI subject alternative name. */
  readonly uri: string;
  /** name is the workload's name: a service of the catalog, or a tool (`blog-cli`, `e2e`). */
  readonly name: string;
}

/** AccessPolicy is what a service declares about its callers. */
export interface AccessPolicy {
  /** rules maps a method name (or '*' for any method) to the caller names allowed; an absent method is refused. */
  readonly rules: Readonly<Record<string, readonly string[]>>;
  /** actorFrom are the only callers whose `actor_id` (a user the caller speaks for) is honoured. */
  readonly actorFrom: readonly string[];
}

/** ANYONE_AUTHENTICATED in a rule admits every caller with a valid certificate (health checks, reflection). */
export const ANYONE_AUTHENTICATED = '*';

const SPIFFE_PREFIX = `spiffe://${TRUST_DOMAIN}/service/`;

/** spiffeId is the identity URI of a workload name. */
export function spiffeId(name: string): string {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new Error(`not a workload name: ${JSON.stringify(name)}`);
  return `${SPIFFE_PREFIX}${name}`;
}

/** identityOfUri reads a SPIFFE ID of our trust domain; anything else is undefined. */
export function identityOfUri(uri: string): Identity | undefined {
  if (!uri.startsWith(SPIFFE_PREFIX)) return undefined;
  const name = uri.slice(SPIFFE_PREFIX.length);
  return /^[a-z][a-z0-9-]{0,62}$/.test(name) ? { uri, name } : undefined;
}

/**
 * identityOfSan reads the identity from a certificate's subject alternative names as Node prints them
 * ("DNS:localhost, URI:spiffe://blog.local/service/auth"). A certificate with no URI of our domain, or with two
 * different ones, has no identity.
 */
export function identityOfSan(subjectAltName: string | undefined): Identity | undefined {
  if (!subjectAltName) return undefined;
  const found = subjectAltName
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => identityOfUri(entry.slice(4)))
    .filter((identity): identity is Identity => identity !== undefined);
  return found.length === 1 ? found[0] : undefined;
}

/** Decision is the answer of `authorize`: allowed, or refused with the reason a log line and the caller get. */
export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** authorize applies a policy to one call of `method` by `caller` (undefined: no identity at all). */
export function authorize(policy: AccessPolicy, caller: Identity | undefined, method: string): Decision {
  if (!caller) return { allowed: false, reason: 'the caller presented no service identity' };
  const allowed = policy.rules[method] ?? policy.rules['*'];
  if (allowed && (allowed.includes(caller.name) || allowed.includes(ANYONE_AUTHENTICATED)))
    return { allowed: true };
  return { allowed: false, reason: `${caller.name} may not call ${method}` };
}

/** mayActFor tells whether `caller` may name a user in `actor_id` (only the policy's actorFrom may). */
export function mayActFor(policy: AccessPolicy, caller: Identity | undefined): boolean {
  return caller !== undefined && policy.actorFrom.includes(caller.name);
}
