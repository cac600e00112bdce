// Prism (`@stoplight/prism-cli`) in proxy mode: a third-party OpenAPI validator between a client and the gateway. It
// forwards every request unchanged and checks the request and the real response against the document, reporting what
// it finds in the response header `sl-violations` (without `--errors` it never alters the answer). Used by the e2e
// suite (every request of its REST client goes through it) and by prism-proxy.spec.ts (a lying document is caught).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** PRISM_BIN is the CLI of the pinned devDependency (run by the same Node.js as the caller). */
export const PRISM_BIN = resolve(
  __dirname,
  '..',
  '..',
  'node_modules',
  '@stoplight',
  'prism-cli',
  'dist',
  'index.js',
);

/** PrismViolation is one finding of Prism's validator, as carried by `sl-violations`. */
export interface PrismViolation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

/** ContractViolation is a finding that proves the document wrong, with the exchange it came from. */
export interface ContractViolation extends PrismViolation {
  method: string;
  path: string;
  status: number;
}

/** PrismProxy is a running proxy. */
export interface PrismProxy {
  readonly url: string;
  /** output is what Prism printed (its own log: each request, each violation). */
  output(): string;
  close(): Promise<void>;
}

/** parseViolations reads an `sl-violations` header (absent or empty: none). */
export function parseViolations(header: string | null | undefined): PrismViolation[] {
  if (!header) return [];
  const parsed: unknown = JSON.parse(header);
  return Array.isArray(parsed) ? (parsed as PrismViolation[]) : [];
}

/**
 * contractViolations keeps the findings that show the document lying about the gateway: every response finding (a
 * body, header or status the document does not declare), and request findings on requests the gateway accepted
 * (status below 400: the document refuses what the gateway takes, e.g. a `limit` marked required). A request finding
 * on a request the gateway refused too is the test sending bad input on purpose, which the document rightly refuses.
 */
export function contractViolations(
  exchange: { method: string; path: string; status: number },
  header: string | null | undefined,
): ContractViolation[] {
  return parseViolations(header)
    .filter((violation) => violation.location[0] === 'response' || exchange.status < 400)
    .map((violation) => ({ ...exchange, ...violation }));
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * startPrismProxy starts `prism proxy <document> <upstream>` on a free port of 127.0.0.1 and resolves once it listens.
 * CORS handling is off (`--cors false`) so the gateway's own CORS answers reach the client unchanged.
 */
export async function startPrismProxy(options: {
  document: string;
  upstream: string;
  startTimeoutMs?: number;
}): Promise<PrismProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      PRISM_BIN,
      'proxy',
      options.document,
      options.upstream,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--cors',
      'false',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const listening = new Promise<void>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`prism did not start in ${options.startTimeoutMs ?? 60_000} ms:\n${output}`)),
      options.startTimeoutMs ?? 60_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`prism exited with ${code} before listening:\n${output}`));
    });
  });
  try {
    await listening;
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
