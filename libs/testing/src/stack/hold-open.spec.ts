import type { Transaction, TransactionRunner } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { sleep } from '../wait';
import { holdOpen } from './hold-open';

/** A runner that records when its one transaction begins and ends (the real one commits or rolls back there). */
function recordingRunner() {
  const steps: string[] = [];
  const tx: Transaction = { query: async () => ({ rows: [], rowCount: 0 }) };
  const runner: TransactionRunner = {
    async withTransaction(fn) {
      steps.push('begin');
      try {
        const value = await fn(tx);
        steps.push('commit');
        return value;
      } catch (error) {
        steps.push('rollback');
        throw error;
      }
    },
  };
  return { steps, runner };
}

describe('holdOpen', () => {
  it('does the work, then keeps the transaction open until released', async () => {
    const { steps, runner } = recordingRunner();
    const held = holdOpen(runner, async () => void steps.push('work'));
    await held.started;
    await sleep(20);
    expect(steps).toEqual(['begin', 'work']);
    held.release();
    await held.done;
    expect(steps).toEqual(['begin', 'work', 'commit']);
  });

  it('rejects done when the work fails, and never says started', async () => {
    const { steps, runner } = recordingRunner();
    const held = holdOpen(runner, async () => {
      throw new Error('lock timeout');
    });
    let started = false;
    void held.started.then(() => (started = true));
    await expect(held.done).rejects.toThrow('lock timeout');
    expect(started).toBe(false);
    expect(steps).toEqual(['begin', 'rollback']);
  });
});
