// Test-only: a stored subscription row for unit tests of the rules and the mapper.
import type { Subscription } from '../domain/subscription';

/** subscriptionRow is a PENDING subscription with fixed ids and times; `over` changes any field. */
export function subscriptionRow(over: Partial<Subscription> = {}): Subscription {
  return {
    subscriptionId: 's1',
    subscriberId: 'r1',
    blogId: 'b1',
    status: 'PENDING',
    reason: null,
    createdAt: new Date('2025-03-04T05:06:07.089Z'),
    updatedAt: new Date('2025-03-04T05:06:08.000Z'),
    ...over,
  };
}
