// Test support: HTTP/1.1 written by hand over a TCP socket, for requests that fetch refuses to send (malformed
// framing, bad header bytes, no Host) and for reading exactly what the gateway answers.
import { connect } from 'node:net';

/** RawResponse is the first response read off the socket. */
export interface RawResponse {
  readonly status: number;
  /** headers, names lower-cased (the last value wins). */
  readonly headers: Record<string, string>;
  readonly text: string;
  /** body is the parsed JSON, or undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked with expect()
  readonly body: any;
}

/** rawRequest writes `request` (string or bytes) to baseUrl's port and parses the first response. */
export function rawRequest(baseUrl: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      const parsed = parse(Buffer.concat(chunks));
      if (!parsed) return;
      settled = true;
      socket.destroy();
      resolve(parsed);
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      finish();
    });
    socket.on('error', (error) => {
      if (!settled) reject(error);
    });
    socket.on('close', () => {
      finish();
      if (!settled)
        reject(new Error(`connection closed without a complete response: ${Buffer.concat(chunks)}`));
    });
    socket.write(request);
  });
}

// A response whose headers and Content-Length body have arrived (interim 1xx answers skipped), else undefined.
function parse(data: Buffer): RawResponse | undefined {
  let text = data.toString('latin1');
  while (/^HTTP\/1\.1 1\d\d /.test(text) && text.includes('\r\n\r\n'))
    text = text.slice(text.indexOf('\r\n\r\n') + 4);
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const rest = Buffer.from(text.slice(end + 4), 'latin1');
  if (rest.length < length) return undefined;
  const bodyText = rest.subarray(0, length).toString('utf8');
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text: bodyText, body };
}
