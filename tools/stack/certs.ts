// DEVELOPMENT ONLY. The stack's mTLS identities: a development CA and one certificate per workload (every service,
// the gateway and the tools' `blog-tools`), made on the first start into .stack/certs (git-ignored, keys mode 600)
// with @blog/dev-certs. Each workload's folder has the names a Kubernetes TLS Secret mounts: ca.crt, tls.crt, tls.key.
//
// Rotation: a start re-issues every certificate that is missing, not signed by the current CA, or within
// RENEW_BEFORE_DAYS of its end (they live 30 days), and a CA within 30 days of its end is replaced (and with it every
// certificate); `npm run certs -- --rotate` replaces the CA now. Running processes follow their files (framework
// auth/security.ts, re-read every minute), so no restart is needed; the replaced CA stays trusted until its end.
// compose runs the same code in its one-shot `certs` job (`npm run certs -- --out /certs --owner 65532:65532`).
import { X509Certificate } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { spiffeId, tlsFilesIn, type TlsEnv } from '@blog/framework';
import { createDevCa, issueCertificate, type DevCa } from '@blog/dev-certs';
import { workloadIdentities } from '@blog/catalog';
import type { StackConfig } from './config';

/** RENEW_BEFORE_DAYS: a certificate this close to its end is re-issued on start. */
export const RENEW_BEFORE_DAYS = 7;
const CA_RENEW_BEFORE_DAYS = 30;
const DAY_MS = 86_400_000;

/** certsDir is where the stack keeps its CA and the workloads' certificates. */
export const certsDir = (config: StackConfig): string => join(config.stackDir, 'certs');

/** tlsEnvIn is the framework's layout of a certificates folder (`<dir>/<name>/{ca.crt,tls.crt,tls.key}`). */
export const tlsEnvIn = tlsFilesIn;
export type { TlsEnv };

/** tlsEnvOf gives the TLS variables of workload `name` on this stack. */
export const tlsEnvOf = (config: StackConfig, name: string): TlsEnv => tlsEnvIn(certsDir(config), name);

/** CertsReport says what a run did: nothing, some re-issued, or a new CA. */
export interface CertsReport {
  readonly newCa: boolean;
  readonly issued: readonly string[];
}

/** CertsOptions: `rotate` replaces the CA (and so every certificate); `owner` chowns the files (compose's job). */
export interface CertsOptions {
  readonly now?: number;
  readonly rotate?: boolean;
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/**
 * ensureCertificates makes or renews the CA (in <dir>/ca) and the certificate of every workload in `names` (in
 * <dir>/<name>). A replaced CA that is still valid stays trusted next to the new one (each ca.crt is a bundle of
 * both), so processes that re-read their files at different moments still accept each other during a rotation.
 */
export async function ensureCertificates(
  dir: string,
  names: readonly string[] = workloadIdentities,
  options: CertsOptions = {},
): Promise<CertsReport> {
  const now = options.now ?? Date.now();
  const caDir = join(dir, 'ca');
  mkdirSync(caDir, { recursive: true, mode: 0o700 });
  const caCertFile = join(caDir, 'ca.crt');
  const caKeyFile = join(caDir, 'ca.key');
  const previousFile = join(caDir, 'previous.crt');
  let ca: DevCa | undefined;
  let newCa = false;
  const existing =
    existsSync(caCertFile) && existsSync(caKeyFile) ? readFileSync(caCertFile, 'utf8') : undefined;
  if (existing && !options.rotate && daysLeft(existing, now) > CA_RENEW_BEFORE_DAYS) {
    ca = { certPem: existing, keyPem: readFileSync(caKeyFile, 'utf8') };
  } else {
    if (existing && daysLeft(existing, now) > 0) writeFileSync(previousFile, existing);
    ca = await createDevCa();
    writeFileSync(caCertFile, ca.certPem);
    writeFileSync(caKeyFile, ca.keyPem, { mode: 0o600 });
    newCa = true;
  }
  const previous = existsSync(previousFile) ? readFileSync(previousFile, 'utf8') : undefined;
  const trusted = previous && daysLeft(previous, now) > 0 ? ca.certPem + previous : ca.certPem;
  const caCert = new X509Certificate(ca.certPem);
  const issued: string[] = [];
  for (const name of names) {
    const files = tlsEnvIn(dir, name);
    if (!newCa && stillGood(files, caCert, now)) continue;
    const leaf = await issueCertificate(ca, {
      uri: spiffeId(name),
      // The names a developer's tools check (grpcurl, openssl s_client) and compose's service names; our own clients
      // check the SPIFFE ID, not the host name.
      dnsNames: ['localhost', name],
      ips: ['127.0.0.1'],
    });
    mkdirSync(join(dir, name), { recursive: true, mode: 0o700 });
    writeFileSync(files.TLS_CA_FILE, trusted);
    writeFileSync(files.TLS_CERT_FILE, leaf.certPem);
    writeFileSync(files.TLS_KEY_FILE, leaf.keyPem, { mode: 0o600 });
    chmodSync(files.TLS_KEY_FILE, 0o600);
    issued.push(name);
  }
  if (options.owner) chownTree(dir, options.owner.uid, options.owner.gid);
  return { newCa, issued };
}

const daysLeft = (pem: string, now: number): number =>
  (Date.parse(new X509Certificate(pem).validTo) - now) / DAY_MS;

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

function stillGood(files: TlsEnv, ca: X509Certificate, now: number): boolean {
  if (![files.TLS_CA_FILE, files.TLS_CERT_FILE, files.TLS_KEY_FILE].every((f) => existsSync(f))) return false;
  try {
    const cert = new X509Certificate(readFileSync(files.TLS_CERT_FILE));
    // The first certificate of the bundle is the CA that issues now.
    const theirCa = new X509Certificate(readFileSync(files.TLS_CA_FILE));
    return (
      theirCa.fingerprint256 === ca.fingerprint256 &&
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      Date.parse(cert.validTo) - now > RENEW_BEFORE_DAYS * DAY_MS
    );
  } catch {
    return false;
  }
}
