// Random W3C trace and span ids from a pool of random bytes. crypto.randomBytes per id is a synchronous call into
// OpenSSL each time: two per request (a trace and a span id when no SDK makes them) were some 7 % of the gateway's
// CPU on a request without downstream (benchmarks/README.md). Filling 4 KiB at once and slicing it costs one call per
// 170 requests, with the same cryptographic randomness (randomUUID pools its bytes the same way).
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** randomTraceId returns 16 random bytes as 32 hex digits (an all-zero id, invalid in W3C, is 1 in 2^128). */
export const randomTraceId = (): string => randomHex(16);

/** randomSpanId returns 8 random bytes as 16 hex digits. */
export const randomSpanId = (): string => randomHex(8);
