import { describe, expect, it } from 'vitest';
import type { ConnectorState, ConnectorStatus } from './connect-client';
import { readinessOf } from './readiness';

const status = (connector: ConnectorState, ...tasks: ConnectorState[]): ConnectorStatus => ({
  name: 'c',
  connector: {
    state: connector,
    worker_id: 'w',
    ...(connector === 'FAILED' ? { trace: 'connector trace' } : {}),
  },
  tasks: tasks.map((state, id) => ({
    id,
    state,
    worker_id: 'w',
    ...(state === 'FAILED' ? { trace: `task ${id} trace` } : {}),
  })),
});

describe('readinessOf', () => {
  it('is running only when the connector and every task run', () => {
    expect(readinessOf(status('RUNNING', 'RUNNING', 'RUNNING'))).toEqual({ kind: 'running' });
  });

  it('is pending while the connector has no task yet', () => {
    expect(readinessOf(status('RUNNING'))).toEqual({ kind: 'pending', reason: 'no task yet' });
  });

  it('is pending while the connector or a task is not RUNNING', () => {
    expect(readinessOf(status('UNASSIGNED'))).toEqual({ kind: 'pending', reason: 'connector UNASSIGNED' });
    expect(readinessOf(status('RUNNING', 'RUNNING', 'RESTARTING'))).toEqual({
      kind: 'pending',
      reason: 'task 1 RESTARTING',
    });
    expect(readinessOf(status('PAUSED', 'PAUSED'))).toEqual({ kind: 'pending', reason: 'connector PAUSED' });
  });

  it('is failed when the connector or any task failed, with the first trace', () => {
    expect(readinessOf(status('FAILED'))).toEqual({ kind: 'failed', trace: 'connector trace' });
    expect(readinessOf(status('RUNNING', 'RUNNING', 'FAILED'))).toEqual({
      kind: 'failed',
      trace: 'task 1 trace',
    });
  });
});
