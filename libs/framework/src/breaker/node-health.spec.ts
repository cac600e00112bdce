import { describe, expect, it } from 'vitest';
import { nodeAt } from '../registry/registry';
import { NodeHealth } from './node-health';

describe('NodeHealth', () => {
  const node = nodeAt('127.0.0.1:1');

  it('skips a node after a failed call until the cooldown has passed', () => {
    const health = new NodeHealth({ cooldownMs: 60_000 });
    expect(health.isAvailable(node)).toBe(true);
    health.callFailed(node, 'connection refused');
    expect(health.isAvailable(node)).toBe(false);
    expect(new NodeHealth({ cooldownMs: 0 }).isAvailable(node)).toBe(true);
    const expired = new NodeHealth({ cooldownMs: -1 });
    expired.callFailed(node, 'connection refused');
    expect(expired.isAvailable(node)).toBe(true);
  });

  it('keeps a node with a failed health check out until it succeeds again', () => {
    const health = new NodeHealth({ cooldownMs: 0 });
    health.checkFailed(node, 'NOT_SERVING');
    expect(health.isAvailable(node)).toBe(false);
    health.succeeded(node);
    expect(health.isAvailable(node)).toBe(true);
  });

  it('forgets nodes that left the registry', () => {
    const health = new NodeHealth();
    health.checkFailed(node, 'NOT_SERVING');
    health.forget(node);
    expect(health.isAvailable(node)).toBe(true);
  });
});
