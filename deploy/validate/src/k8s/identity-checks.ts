// Workload identities in a rendered overlay (cert-manager): the namespace's CA, one Certificate per app carrying its
// SPIFFE ID as the framework spells it, short-lived and renewed with a new key, and each app's Deployment mounting
// its own certificate (and no other app's) where its TLS_* variables point.
import { spiffeId } from '@blog/framework/core';
import { apps, type AppSpec } from '../apps';
import { type Doc } from '../yaml';
import { all, type Any, find } from './k8s-docs';
import { containerEnv } from './k8s-env';

/** CA_ISSUER is the namespaced Issuer that signs every workload certificate. */
export const CA_ISSUER = 'blog-ca';

/** TLS_DIR is where every app's Deployment mounts its certificate Secret. */
export const TLS_DIR = '/var/run/secrets/blog/tls';

/** TLS_FILES are the variables the framework reads its material from, and the Secret key each must name. */
export const TLS_FILES = {
  TLS_CA_FILE: `${TLS_DIR}/ca.crt`,
  TLS_CERT_FILE: `${TLS_DIR}/tls.crt`,
  TLS_KEY_FILE: `${TLS_DIR}/tls.key`,
} as const;

/** MAX_WORKLOAD_CERT_HOURS bounds a workload certificate's lifetime: short-lived, so rotation is routine. */
export const MAX_WORKLOAD_CERT_HOURS = 720;

/** tlsSecretOf is the Secret cert-manager writes an app's certificate into. */
export const tlsSecretOf = (app: string): string => `${app}-tls`;

/** WORKLOAD_USAGES are what mutual TLS needs from a certificate: serve with it, and present it when calling. */
const WORKLOAD_USAGES = ['server auth', 'client auth'] as const;

/** hoursOf reads a Go duration as cert-manager takes it ("720h", "2160h0m0s", "90m"); undefined if malformed. */
export function hoursOf(duration: unknown): number | undefined {
  if (typeof duration !== 'string' || !/^(\d+(\.\d+)?(h|m|s))+$/.test(duration)) return undefined;
  const per = { h: 1, m: 1 / 60, s: 1 / 3600 } as const;
  let hours = 0;
  for (const [, amount, , unit] of duration.matchAll(/(\d+(\.\d+)?)(h|m|s)/g))
    hours += Number(amount) * per[unit as keyof typeof per];
  return hours;
}

const issuerName = (cert: Any): string | undefined => cert?.spec?.issuerRef?.name;
const issuerIsNamespaced = (cert: Any): boolean =>
  (cert?.spec?.issuerRef?.kind ?? 'Issuer') === 'Issuer' &&
  (cert?.spec?.issuerRef?.group ?? 'cert-manager.io') === 'cert-manager.io';

/** checkIdentities returns the problems of the CA, the workload Certificates and their mounts. */
export function checkIdentities(docs: readonly Doc[]): string[] {
  const problems = checkCa(docs);
  for (const app of apps) problems.push(...checkCertificate(docs, app), ...checkMount(docs, app));
  problems.push(...checkOwnership(docs));
  return problems;
}

/** checkCa: the CA Issuer signs from a CA certificate that a self-signed Issuer made. */
function checkCa(docs: readonly Doc[]): string[] {
  const where = `Issuer/${CA_ISSUER}`;
  const issuer = find(docs, 'Issuer', CA_ISSUER);
  if (!issuer) return [`${where}: missing (the CA that signs every workload certificate)`];
  const secret: string | undefined = issuer.spec?.ca?.secretName;
  if (!secret) return [`${where}: must be a CA issuer (spec.ca.secretName)`];
  const ca = all(docs, 'Certificate').find((c) => c.spec?.secretName === secret);
  if (!ca) return [`${where}: no Certificate writes its CA Secret ${secret}`];
  const problems: string[] = [];
  const at = `Certificate/${ca.metadata.name}`;
  if (ca.spec?.isCA !== true) problems.push(`${at}: must be isCA (it signs the workload certificates)`);
  const signer = issuerIsNamespaced(ca) ? find(docs, 'Issuer', issuerName(ca) ?? '') : undefined;
  if (!signer?.spec?.selfSigned)
    problems.push(`${at}: must be issued by a self-signed Issuer of the namespace, got ${issuerName(ca)}`);
  // A renewed CA with a new key would no longer verify the certificates it signed before: those would fail every
  // handshake until each is renewed. Keeping the key makes renewal seamless; a key change is a documented procedure.
  if (ca.spec?.privateKey?.rotationPolicy !== 'Never')
    problems.push(`${at}: privateKey.rotationPolicy must be Never (a renewal keeps the CA's key)`);
  return problems;
}

/** checkCertificate: the app's identity, from the CA, short-lived, rotated with a new key, usable both ways. */
function checkCertificate(docs: readonly Doc[], app: AppSpec): string[] {
  const where = `Certificate/${app.name}`;
  const cert = find(docs, 'Certificate', app.name);
  if (!cert) return [`${where}: missing (${app.name}'s mTLS identity)`];
  const spec = cert.spec ?? {};
  const problems: string[] = [];
  const uri = spiffeId(app.name);
  const uris: unknown[] = spec.uris ?? [];
  if (uris.length !== 1 || uris[0] !== uri)
    problems.push(
      `${where}: uris must be exactly [${uri}] (the identity peers check), got ${JSON.stringify(uris)}`,
    );
  if (spec.secretName !== tlsSecretOf(app.name))
    problems.push(`${where}: secretName must be ${tlsSecretOf(app.name)}, got ${spec.secretName}`);
  if (issuerName(cert) !== CA_ISSUER || !issuerIsNamespaced(cert))
    problems.push(
      `${where}: must be issued by the Issuer ${CA_ISSUER}, got ${JSON.stringify(spec.issuerRef)}`,
    );
  if (spec.isCA === true) problems.push(`${where}: must not be a CA`);
  if (!(spec.dnsNames ?? []).includes(app.name))
    problems.push(`${where}: dnsNames must include its Service name ${app.name}`);
  const usages: string[] = spec.usages ?? [];
  for (const usage of WORKLOAD_USAGES)
    if (!usages.includes(usage)) problems.push(`${where}: usages must include ${usage} (mutual TLS)`);
  const key = spec.privateKey ?? {};
  if (key.algorithm !== 'ECDSA' || key.size !== 256)
    problems.push(`${where}: privateKey must be ECDSA P-256 (algorithm ECDSA, size 256)`);
  if (key.rotationPolicy !== 'Always')
    problems.push(`${where}: privateKey.rotationPolicy must be Always (a new key at every renewal)`);
  const duration = hoursOf(spec.duration);
  const renewBefore = hoursOf(spec.renewBefore);
  if (duration === undefined || duration > MAX_WORKLOAD_CERT_HOURS)
    problems.push(
      `${where}: duration must be at most ${MAX_WORKLOAD_CERT_HOURS}h (short-lived, renewed automatically), got ${spec.duration}`,
    );
  if (renewBefore === undefined || (duration !== undefined && renewBefore >= duration))
    problems.push(`${where}: renewBefore must be set and shorter than duration, got ${spec.renewBefore}`);
  return problems;
}

/** checkMount: the app's Deployment mounts its certificate read-only where its TLS_* variables point. */
function checkMount(docs: readonly Doc[], app: AppSpec): string[] {
  const where = `Deployment/${app.name}`;
  const deploy = find(docs, 'Deployment', app.name);
  const main = (deploy?.spec?.template?.spec?.containers ?? []).find((c: Any) => c.name === app.name);
  if (!main) return [];
  const problems: string[] = [];
  const secret = tlsSecretOf(app.name);
  const volume = (deploy.spec.template.spec.volumes ?? []).find((v: Any) => v.secret?.secretName === secret);
  const mount = volume && (main.volumeMounts ?? []).find((m: Any) => m.name === volume.name);
  if (!mount || mount.mountPath !== TLS_DIR)
    problems.push(`${where}: must mount the Secret ${secret} (its certificate) at ${TLS_DIR}`);
  else {
    if (mount.readOnly !== true) problems.push(`${where}: the mount of ${secret} must be readOnly`);
    // A subPath mount is a copy the kubelet never updates: a renewed certificate would never reach the process.
    if (mount.subPath !== undefined || mount.subPathExpr !== undefined)
      problems.push(
        `${where}: the mount of ${secret} must not use subPath (renewals would not reach the pod)`,
      );
  }
  const { env } = containerEnv(docs, main);
  for (const [name, path] of Object.entries(TLS_FILES)) {
    const value = env[name];
    if (value?.kind !== 'literal' || value.value !== path)
      problems.push(
        `${where}: ${name} must be ${path}, got ${value?.kind === 'literal' ? value.value : (value?.from ?? 'nothing')}`,
      );
  }
  return problems;
}

/** checkOwnership: one Certificate per identity, and an app's certificate mounted by that app only. */
function checkOwnership(docs: readonly Doc[]): string[] {
  const problems: string[] = [];
  const byUri = new Map<string, string[]>();
  for (const cert of all(docs, 'Certificate'))
    for (const uri of cert.spec?.uris ?? []) byUri.set(uri, [...(byUri.get(uri) ?? []), cert.metadata.name]);
  for (const [uri, certs] of byUri)
    if (certs.length > 1)
      problems.push(`Certificate: ${uri} is issued by ${certs.join(' and ')} (one per identity)`);
  const owners = new Map(apps.map((a) => [tlsSecretOf(a.name), a.name]));
  for (const deploy of all(docs, 'Deployment')) {
    for (const volume of deploy.spec?.template?.spec?.volumes ?? []) {
      const secrets: string[] = [
        volume.secret?.secretName,
        ...(volume.projected?.sources ?? []).map((s: Any) => s.secret?.name),
      ].filter(Boolean);
      for (const secret of secrets) {
        const owner = owners.get(secret);
        if (owner && owner !== deploy.metadata.name)
          problems.push(
            `Deployment/${deploy.metadata.name}: mounts ${secret}, the identity of ${owner} (each identity belongs to one app)`,
          );
      }
    }
  }
  return problems;
}
