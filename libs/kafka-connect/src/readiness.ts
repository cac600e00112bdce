import type { ConnectorStatus } from './connect-client';

/** Readiness is how far a connector is from serving: every instance RUNNING, still on its way, or FAILED. */
export type Readiness =
  { kind: 'running' } | { kind: 'pending'; reason: string } | { kind: 'failed'; trace?: string };

/**
 * readinessOf classifies a status. A connector without tasks is pending, not running: Connect reports the
 * connector RUNNING a moment before it has started (or even created) its tasks.
 */
export function readinessOf(status: ConnectorStatus): Readiness {
  const failed = [status.connector, ...status.tasks].find((instance) => instance.state === 'FAILED');
  if (failed) return { kind: 'failed', trace: failed.trace };
  if (status.connector.state !== 'RUNNING')
    return { kind: 'pending', reason: `connector ${status.connector.state}` };
  if (status.tasks.length === 0) return { kind: 'pending', reason: 'no task yet' };
  const waiting = status.tasks.find((task) => task.state !== 'RUNNING');
  if (waiting) return { kind: 'pending', reason: `task ${waiting.id} ${waiting.state}` };
  return { kind: 'running' };
}
