import { describe, expect, it } from 'vitest';
import { subscriptionRow as row } from '../testing/rows';
import { decideUnsubscribe, rejectionReasonOf } from './subscription';

describe('decideUnsubscribe', () => {
  it('cancels an ACTIVE subscription, refuses a PENDING one (semantic lock), and finds nothing else', () => {
    expect(decideUnsubscribe(row({ status: 'ACTIVE' }))).toBe('cancel');
    expect(decideUnsubscribe(row({ status: 'PENDING' }))).toBe('locked');
    expect(decideUnsubscribe(row({ status: 'CANCELLED' }))).toBe('not-found');
    expect(decideUnsubscribe(row({ status: 'REJECTED' }))).toBe('not-found');
    expect(decideUnsubscribe(undefined)).toBe('not-found');
  });
});

describe('rejectionReasonOf', () => {
  it("keeps the contract's reasons and nothing else", () => {
    expect(rejectionReasonOf('BLOG_NOT_FOUND')).toBe('BLOG_NOT_FOUND');
    expect(rejectionReasonOf('BLOG_NOT_ACTIVE')).toBe('BLOG_NOT_ACTIVE');
    expect(rejectionReasonOf('SELF_SUBSCRIPTION')).toBe('SELF_SUBSCRIPTION');
    expect(rejectionReasonOf('NOT_OWNER')).toBeNull();
    expect(rejectionReasonOf('')).toBeNull();
  });
});
