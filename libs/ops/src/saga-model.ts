// A choreographed saga's timeline, assembled from what the platform already keeps: its events on the Kafka topics
// (every event carries the sagaId header), who consumed each one (the consumers' inbox rows) and the dead letters.
// Pure functions: the loader (sagas.ts) gathers the inputs.
import type { Topology } from './topology';

/** SagaKind describes one saga type: the event that starts it and the events that end it. */
export interface SagaKind {
  type: string;
  start: string;
  completed: readonly string[];
  compensated: readonly string[];
  /** compensations are the events that undo or refuse an earlier step. */
  compensations: readonly string[];
}

/** sagaKinds lists the platform's sagas (docs/sagas.md). */
export const sagaKinds: readonly SagaKind[] = [
  {
    type: 'sign-up',
    start: 'AccountCreated',
    completed: ['AccountActivated'],
    compensated: ['AccountRejected'],
    compensations: ['UserRejected', 'BlogRejected', 'UserDeleted', 'AccountRejected'],
  },
  {
    type: 'publish-post',
    start: 'PostSubmitted',
    completed: ['PostPublished'],
    compensated: ['PostRejected'],
    compensations: ['PostRejected'],
  },
  {
    type: 'subscribe',
    start: 'SubscriptionRequested',
    completed: ['SubscriptionActivated'],
    compensated: ['SubscriptionRejected'],
    compensations: ['SubscriptionRejected'],
  },
  {
    type: 'delete-account',
    start: 'AccountDeletionRequested',
    completed: ['AccountDeleted'],
    compensated: [],
    compensations: [],
  },
  {
    type: 'unsubscribe',
    start: 'SubscriptionCancelled',
    completed: ['SubscriptionCancelled'],
    compensated: [],
    compensations: [],
  },
  {
    type: 'delete-post',
    start: 'PostDeleted',
    completed: ['PostDeleted'],
    compensated: [],
    compensations: [],
  },
  {
    type: 'update-post',
    start: 'PostUpdated',
    completed: ['PostUpdated'],
    compensated: [],
    compensations: [],
  },
  {
    type: 'update-profile',
    start: 'UserUpdated',
    completed: ['UserUpdated'],
    compensated: [],
    compensations: [],
  },
];

/** SagaStatus: RUNNING until a terminal event is in and every consumer has processed every event. */
export type SagaStatus = 'RUNNING' | 'COMPLETED' | 'COMPENSATED';

/** SagaEventInput is one event of a saga as read from Kafka. */
export interface SagaEventInput {
  eventId: string;
  type: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** at is the record's timestamp (epoch ms). */
  at: number;
  traceparent?: string;
  data?: Record<string, unknown>;
}

/** Consumption is one inbox row: `service` processed `eventId` at `at`. */
export interface Consumption {
  service: string;
  eventId: string;
  at: number;
}

/** DeadLetterRef is a dead letter of one of the saga's events. */
export interface DeadLetterRef {
  id: string;
  eventId: string;
  consumer: string;
  error: string;
}

/** SagaStep is one event on the timeline. */
export interface SagaStep extends SagaEventInput {
  producer: string;
  compensation: boolean;
  consumedBy: { service: string; at: number }[];
  /** pending are the services that handle this event type and have not processed it. */
  pending: string[];
  deadLetters: DeadLetterRef[];
}

/** WaitingOn names the step a saga that is not terminal waits on. */
export interface WaitingOn {
  service: string;
  event: string;
  eventId: string;
  /** why: the consumer has not processed the event, the event is dead-lettered, or the consumer's next event is due. */
  why: 'not-consumed' | 'dead-lettered' | 'next-event';
  deadLetter?: DeadLetterRef;
}

/** Saga is one saga's timeline and verdict. */
export interface Saga {
  sagaId: string;
  type: string;
  status: SagaStatus;
  startedAt: number;
  updatedAt: number;
  steps: SagaStep[];
  waitingOn?: WaitingOn;
  stuck: boolean;
  compensated: boolean;
  traceparent?: string;
}

/** buildSaga assembles one saga from its events (any order), the inbox rows and the dead letters. */
export function buildSaga(input: {
  sagaId: string;
  events: readonly SagaEventInput[];
  consumptions: readonly Consumption[];
  deadLetters: readonly DeadLetterRef[];
  topology: Topology;
  now: number;
  stuckAfterMs: number;
}): Saga {
  const { topology } = input;
  const byId = new Map<string, SagaEventInput>();
  for (const e of input.events) if (!byId.has(e.eventId)) byId.set(e.eventId, e); // a redriven copy is the same event
  const events = [...byId.values()].sort((a, b) => a.at - b.at || a.offset.localeCompare(b.offset));
  const kind =
    sagaKinds.find((k) => k.start === events[0]?.type) ??
    sagaKinds.find((k) => events.some((e) => e.type === k.start));
  const steps: SagaStep[] = events.map((e) => {
    const meta = topology.events.find((t) => t.type === e.type);
    const letters = input.deadLetters.filter((d) => d.eventId === e.eventId);
    // A consumer group moves past a dead-lettered record: its offset says nothing then, only an inbox row does.
    const consumedBy = input.consumptions
      .filter((c) => c.eventId === e.eventId)
      .filter((c) => c.at !== 0 || !letters.some((d) => d.consumer === c.service))
      .map(({ service, at }) => ({ service, at }))
      // One entry per service: its inbox row (with the time) wins over what its committed offset implies.
      .sort((a, b) => a.service.localeCompare(b.service) || b.at - a.at)
      .filter((c, i, list) => list[i - 1]?.service !== c.service)
      .sort((a, b) => a.at - b.at);
    const expected = meta?.consumers ?? [];
    return {
      ...e,
      producer: meta?.producer ?? e.topic.split('.')[1] ?? '?',
      compensation: kind?.compensations.includes(e.type) ?? false,
      consumedBy,
      pending: expected.filter((s) => !consumedBy.some((c) => c.service === s)),
      deadLetters: letters,
    };
  });
  const terminal = steps.find((s) => kind?.completed.includes(s.type) || kind?.compensated.includes(s.type));
  const outstanding = steps.find((s) => s.pending.length > 0);
  const done = terminal !== undefined && outstanding === undefined;
  const compensated = steps.some((s) => s.compensation);
  const status: SagaStatus = !done
    ? 'RUNNING'
    : kind?.compensated.includes(terminal.type)
      ? 'COMPENSATED'
      : 'COMPLETED';
  let waitingOn: WaitingOn | undefined;
  if (!done) {
    if (outstanding) {
      const service = outstanding.pending[0] ?? '?';
      const deadLetter =
        outstanding.deadLetters.find((d) => d.consumer === service) ?? outstanding.deadLetters[0];
      waitingOn = {
        service,
        event: outstanding.type,
        eventId: outstanding.eventId,
        why: deadLetter ? 'dead-lettered' : 'not-consumed',
        deadLetter,
      };
    } else {
      const last = steps[steps.length - 1];
      waitingOn = last && {
        service: last.consumedBy[last.consumedBy.length - 1]?.service ?? last.producer,
        event: last.type,
        eventId: last.eventId,
        why: 'next-event',
      };
    }
  }
  const startedAt = steps[0]?.at ?? input.now;
  const updatedAt = Math.max(startedAt, ...steps.flatMap((s) => [s.at, ...s.consumedBy.map((c) => c.at)]));
  return {
    sagaId: input.sagaId,
    type: kind?.type ?? 'unknown',
    status,
    startedAt,
    updatedAt,
    steps,
    waitingOn,
    stuck: !done && (waitingOn?.why === 'dead-lettered' || input.now - startedAt > input.stuckAfterMs),
    compensated,
    traceparent: steps.find((s) => s.traceparent)?.traceparent,
  };
}
