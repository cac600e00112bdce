// ViewStream's bounds, with a client whose stream never starts (logic only; the stream itself is tested over real
// gRPC in resilience.spec.ts): beyond maxPending a view is refused at once, and close gives up what is pending.
import { createLogger } from '@blog/framework/core';
import { describe, expect, it } from 'vitest';
import { ViewStream } from './view-stream';

const logger = createLogger({ service: 'gateway', version: '0', level: 'silent' });
const view = (n: number) => ({ viewId: `v${n}`, postId: 'p', blogId: 'b', viewerId: 'u' });
const down = { recordViews: () => Promise.reject(new Error('visitor unavailable')) };

describe('ViewStream bounds', () => {
  it('refuses a view beyond maxPending, saying so; close rejects what is still pending', async () => {
    const stream = new ViewStream(down, logger, { maxPending: 2, reconnectDelayMs: 5 });
    const first = stream.recordView(view(1));
    const second = stream.recordView(view(2));
    await expect(stream.recordView(view(3))).rejects.toThrow(
      '2 views await the visitor service: view dropped',
    );
    expect(stream.pendingCount).toBe(2);
    await stream.close(50);
    await expect(first).rejects.toThrow('the gateway stopped before the view was acknowledged');
    await expect(second).rejects.toThrow('the gateway stopped before the view was acknowledged');
    await expect(stream.recordView(view(4))).rejects.toThrow('the gateway is stopping');
  });
});
