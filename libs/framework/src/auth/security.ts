// The gRPC security of one process, from its config: mutual TLS with the workload's own identity (the default in
// every mode), or plain TCP when GRPC_INSECURE=true (a unit test or a debugging session; production refuses it).
//
//   const security = grpcSecurity('blog', config, logger);  // reads TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE
//   await bindServer(server, host, port, security.serverCredentials());
//   createClient(def, { credentials: security.clientCredentials('user'), ... });
//
// Long-running processes follow the files (grpc-js's FileWatcherCertificateProvider, re-read every minute), so a
// certificate renewed in place (cert-manager, or the local stack's re-issue) is used by new connections without a
// restart. The files are also read once at start, so a missing or wrong file stops the start naming its variable.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { credentials, experimental, ServerCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import type { ProcessConfig } from '../config/base.config';
import { ConfigError } from '../config/config';
import type { Logger } from '../telemetry';
import { identityOfSan, type Identity } from './auth';
import {
  clientCredentials,
  readTlsMaterial,
  serverCredentials,
  serverIdentityCheck,
  TlsFileError,
  type TlsMaterial,
} from './tls';

/** SecurityConfig are the variables grpcSecurity reads (every process config has them). */
export type SecurityConfig = Pick<
  ProcessConfig,
  'NODE_ENV' | 'TLS_CA_FILE' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'GRPC_INSECURE'
>;

/** GrpcSecurity makes the credentials of a process's server and clients. */
export interface GrpcSecurity {
  /** mtls: certificates required both ways; insecure: GRPC_INSECURE=true, no identities, no access rules. */
  readonly mode: 'mtls' | 'insecure';
  /** identity is the process's own identity, read from its certificate (undefined when insecure). */
  readonly identity?: Identity;
  /** serverCredentials: a client certificate from the CA is required. */
  serverCredentials(): ServerCredentials;
  /** clientCredentials: present our certificate; the server must be `expect` (any identity of the CA if omitted). */
  clientCredentials(expect?: string): ChannelCredentials;
  /**
   * loaded resolves once the followed files have been read (at once when they are not followed): a server bound with
   * serverCredentials() refuses handshakes until then, so a service reports SERVING only after it.
   */
  loaded(): Promise<void>;
}

/** TlsEnv are the variables that hand a process its identity. */
export type TlsEnv = { TLS_CA_FILE: string; TLS_CERT_FILE: string; TLS_KEY_FILE: string };

/**
 * tlsFilesIn gives the TLS variables of workload `name` whose material lies in `<dir>/<name>/` with the file names
 * of a Kubernetes TLS Secret (ca.crt, tls.crt, tls.key): the local stack, compose's volumes and the tests' layout.
 */
export function tlsFilesIn(dir: string, name: string): TlsEnv {
  return {
    TLS_CA_FILE: join(dir, name, 'ca.crt'),
    TLS_CERT_FILE: join(dir, name, 'tls.crt'),
    TLS_KEY_FILE: join(dir, name, 'tls.key'),
  };
}

/** CERTIFICATE_REFRESH_MS is how often a long-running process re-reads its certificate files. */
export const CERTIFICATE_REFRESH_MS = 60_000;

const VARIABLES = { caFile: 'TLS_CA_FILE', certFile: 'TLS_CERT_FILE', keyFile: 'TLS_KEY_FILE' } as const;

/**
 * grpcSecurity checks the TLS variables of process `name` and returns its credentials factory. A missing variable, an
 * unreadable file, a certificate that is not `name`'s identity or not signed by the CA stops the start with a
 * ConfigError naming the variable. `follow` (default true) re-reads the files every `refreshMs` for rotation; a
 * short-lived tool passes false so no timer keeps it alive.
 */
export function grpcSecurity(
  name: string,
  config: SecurityConfig,
  logger?: Logger,
  options: { follow?: boolean; refreshMs?: number } = {},
): GrpcSecurity {
  if (config.GRPC_INSECURE) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError([
        'GRPC_INSECURE: must not be true in production (every call must carry a certificate identity)',
      ]);
    }
    logger?.warn(
      'GRPC_INSECURE=true: gRPC without TLS, callers are not identified and access rules are off (never in production)',
    );
    return {
      mode: 'insecure',
      serverCredentials: () => ServerCredentials.createInsecure(),
      clientCredentials: () => credentials.createInsecure(),
      loaded: () => Promise.resolve(),
    };
  }
  const files = { caFile: config.TLS_CA_FILE, certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE };
  const missing = (Object.keys(VARIABLES) as (keyof typeof VARIABLES)[])
    .filter((key) => !files[key])
    .map(
      (key) =>
        `${VARIABLES[key]}: is required for mTLS (GRPC_INSECURE=true turns mTLS off, outside production only)`,
    );
  if (missing.length > 0) throw new ConfigError(missing);
  const paths = files as { caFile: string; certFile: string; keyFile: string };

  const material = readMaterial(paths);
  const identity = checkIdentity(name, material);
  logger?.info({ identity: identity.uri }, 'gRPC mTLS on');

  if (options.follow === false) {
    return {
      mode: 'mtls',
      identity,
      serverCredentials: () => serverCredentials(material),
      clientCredentials: (expect) => clientCredentials(material, expect),
      loaded: () => Promise.resolve(),
    };
  }
  const provider = new experimental.FileWatcherCertificateProvider({
    caCertificateFile: paths.caFile,
    certificateFile: paths.certFile,
    privateKeyFile: paths.keyFile,
    refreshIntervalMs: options.refreshMs ?? CERTIFICATE_REFRESH_MS,
  });
  return {
    mode: 'mtls',
    identity,
    serverCredentials: () =>
      experimental.createCertificateProviderServerCredentials(provider, provider, true),
    clientCredentials: (expect) =>
      experimental.createCertificateProviderChannelCredentials(provider, provider, {
        checkServerIdentity: serverIdentityCheck(expect),
      }),
    loaded: () => firstRead(provider),
  };
}

/**
 * firstRead resolves when the provider has delivered both the CA and the identity once. Its listeners are removed
 * then; the server's own (added when it bound) keep the watcher running and received the same update first.
 */
function firstRead(provider: experimental.FileWatcherCertificateProvider): Promise<void> {
  return new Promise((resolve, reject) => {
    // The files were read once already (checkIdentity); a watcher that cannot read them now lost them meanwhile.
    const timer = setTimeout(() => {
      provider.removeCaCertificateListener(onCa);
      provider.removeIdentityCertificateListener(onIdentity);
      reject(new Error('TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE: not readable by the certificate watcher'));
    }, 10_000);
    let ca = false;
    let identity = false;
    const settle = (): void => {
      if (!ca || !identity) return;
      clearTimeout(timer);
      provider.removeCaCertificateListener(onCa);
      provider.removeIdentityCertificateListener(onIdentity);
      resolve();
    };
    const onCa = (update: unknown): void => {
      ca ||= update !== null;
      settle();
    };
    const onIdentity = (update: unknown): void => {
      identity ||= update !== null;
      settle();
    };
    provider.addCaCertificateListener(onCa);
    provider.addIdentityCertificateListener(onIdentity);
  });
}

function readMaterial(paths: { caFile: string; certFile: string; keyFile: string }): TlsMaterial {
  try {
    return readTlsMaterial(paths, VARIABLES);
  } catch (error) {
    if (error instanceof TlsFileError) throw new ConfigError([error.message]);
    throw error;
  }
}

/** checkIdentity refuses a certificate that is not `name`'s, not signed by the CA, expired, or not the key's. */
function checkIdentity(name: string, material: TlsMaterial): Identity {
  const problem = (variable: string, message: string): never => {
    throw new ConfigError([`${variable}: ${message}`]);
  };
  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(material.cert);
  } catch {
    return problem('TLS_CERT_FILE', 'is not a PEM certificate');
  }
  try {
    ca = new X509Certificate(material.ca);
  } catch {
    return problem('TLS_CA_FILE', 'is not a PEM certificate');
  }
  const identity = identityOfSan(cert.subjectAltName);
  if (!identity) return problem('TLS_CERT_FILE', 'names no spiffe://blog.local/service/<name> identity');
  if (identity.name !== name) {
    return problem('TLS_CERT_FILE', `is the certificate of ${identity.name}, not of ${name}`);
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    return problem('TLS_CERT_FILE', 'is not signed by the CA in TLS_CA_FILE');
  }
  if (Date.parse(cert.validTo) <= Date.now()) {
    return problem('TLS_CERT_FILE', `expired on ${cert.validTo} (the local stack re-issues it on start)`);
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(material.key))) {
      return problem('TLS_KEY_FILE', 'is not the key of the certificate in TLS_CERT_FILE');
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return problem('TLS_KEY_FILE', 'is not a PEM private key');
  }
  return identity;
}
