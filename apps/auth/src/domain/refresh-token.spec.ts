import { describe, expect, it } from 'vitest';
import { refreshTokenExpiry, refreshVerdict } from './refresh-token';

const now = new Date('2030-01-01T12:00:00Z');
const later = new Date('2030-01-02T12:00:00Z');
const fresh = { usedAt: null, revokedAt: null, expiresAt: later };

describe('refresh token rotation rules', () => {
  it('rotates a fresh token of an ACTIVE account', () => {
    expect(refreshVerdict(fresh, 'ACTIVE', now)).toBe('rotate');
  });

  it('treats a used token as reuse, even once expired', () => {
    expect(refreshVerdict({ ...fresh, usedAt: now }, 'ACTIVE', now)).toBe('reuse');
    expect(refreshVerdict({ ...fresh, usedAt: now, expiresAt: now }, 'ACTIVE', later)).toBe('reuse');
  });

  it('refuses revoked tokens (a revoked family stays dead, reused or not)', () => {
    expect(refreshVerdict({ ...fresh, revokedAt: now }, 'ACTIVE', now)).toBe('revoked');
    expect(refreshVerdict({ ...fresh, revokedAt: now, usedAt: now }, 'ACTIVE', now)).toBe('revoked');
  });

  it('refuses expired tokens at their expiry instant', () => {
    expect(refreshVerdict({ ...fresh, expiresAt: now }, 'ACTIVE', now)).toBe('expired');
  });

  it('refuses tokens of accounts that are not ACTIVE', () => {
    for (const status of ['PENDING', 'REJECTED', 'DELETING', 'DELETED'] as const)
      expect(refreshVerdict(fresh, status, now), status).toBe('account-inactive');
  });

  it('computes the expiry from days', () => {
    expect(refreshTokenExpiry(now, 30).toISOString()).toBe('2030-01-31T12:00:00.000Z');
  });
});
