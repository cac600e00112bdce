// mTLS for gRPC: every server asks for and verifies a client certificate from the CA, every client verifies that the
// server holds the identity of the service it meant to call (the URI SAN, not the host name: the selector reaches a
// service by any of its addresses, and an address says nothing about who answers).
import { readFileSync } from 'node:fs';
import { ChannelCredentials, ServerCredentials, credentials } from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { identityOfSan } from './auth';

/** TlsMaterial is a workload's PEM material: the CA that signs every identity, its certificate and its key. */
export interface TlsMaterial {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** TlsFiles names the files of the material and the variables that named them (for error messages). */
export interface TlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** TlsFileError says which file could not be read and which variable named it. */
export class TlsFileError extends Error {
  override readonly name = 'TlsFileError';
}

/** readTlsMaterial reads the three files; `variables` name them in the error ("TLS_CERT_FILE: cannot read ..."). */
export function readTlsMaterial(
  files: TlsFiles,
  variables: Readonly<Record<keyof TlsFiles, string>> = {
    caFile: 'TLS_CA_FILE',
    certFile: 'TLS_CERT_FILE',
    keyFile: 'TLS_KEY_FILE',
  },
): TlsMaterial {
  const read = (which: keyof TlsFiles): Buffer => {
    try {
      return readFileSync(files[which]);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new TlsFileError(`${variables[which]}: cannot read ${files[which]} (${code})`);
    }
  };
  return { ca: read('caFile'), cert: read('certFile'), key: read('keyFile') };
}

/** serverCredentials: TLS with a client certificate required and verified against the CA (mutual TLS). */
export function serverCredentials(material: TlsMaterial): ServerCredentials {
  return ServerCredentials.createSsl(
    material.ca,
    [{ private_key: material.key, cert_chain: material.cert }],
    true,
  );
}

/**
 * clientCredentials: TLS presenting the workload's certificate; the server must chain to the CA and, when `expect`
 * names a service, hold that service's identity. Without `expect` (tools calling any service), the CA alone decides.
 */
export function clientCredentials(material: TlsMaterial, expect?: string): ChannelCredentials {
  return credentials.createSsl(material.ca, material.key, material.cert, {
    checkServerIdentity: serverIdentityCheck(expect),
  });
}

/** serverIdentityCheck accepts a server whose certificate names `expect` (any identity of ours when undefined). */
export function serverIdentityCheck(expect: string | undefined) {
  return (_host: string, cert: PeerCertificate): Error | undefined => {
    const identity = identityOfSan(cert.subjectaltname);
    if (!identity) return new Error('the server presented no service identity');
    if (expect !== undefined && identity.name !== expect) {
      return new Error(`the server is ${identity.name}, not ${expect}`);
    }
    return undefined;
  };
}
