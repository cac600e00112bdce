import { describe, expect, it } from 'vitest';
import { randomSpanId, randomTraceId } from './ids';

describe('random trace and span ids', () => {
  it('are W3C-shaped hex and do not repeat across refills of the pool', () => {
    const seen = new Set<string>();
    // 4 KiB of pool is 256 trace ids: 2,000 of each kind refill it several times, mid-id included.
    for (let i = 0; i < 2_000; i++) {
      const traceId = randomTraceId();
      const spanId = randomSpanId();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      seen.add(traceId).add(spanId);
    }
    expect(seen.size).toBe(4_000);
  });
});
