// Loads sagas: every event on the event topics grouped by its sagaId header, the consumers' inbox rows for those
// events (and, where an inbox row was pruned, the consumer group's committed offset), the dead letters, and the
// state each participant holds now.
import { EventTopics } from '@blog/proto';
import type { Database } from './database';
import type { DeadLetterRecord } from './dlq';
import { notFound, usage } from './errors';
import type { EventLog, Progress } from './event-log';
import { decodeEvent, eventIdOf, eventTypeOf } from './decode';
import {
  buildSaga,
  sagaKinds,
  type Consumption,
  type Saga,
  type SagaEventInput,
  type SagaStatus,
} from './saga-model';
import type { OpsTarget } from './target';
import type { Topology } from './topology';

/** SagaFilter selects sagas. */
export interface SagaFilter {
  type?: string;
  status?: string;
  stuck?: boolean;
}

/** Participant is the state one service holds now for an entity of the saga. */
export interface Participant {
  service: string;
  entity: string;
  id: string;
  state: Record<string, unknown> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES: readonly string[] = ['RUNNING', 'COMPLETED', 'COMPENSATED'];

/** checkSagaFilter refuses an unknown type or status, naming the allowed values. */
export function checkSagaFilter(filter: SagaFilter): void {
  if (filter.type !== undefined && !sagaKinds.some((k) => k.type === filter.type)) {
    throw usage(`unknown saga type "${filter.type}": one of ${sagaKinds.map((k) => k.type).join(', ')}`);
  }
  if (filter.status !== undefined && !STATUSES.includes(filter.status.toUpperCase())) {
    throw usage(`unknown saga status "${filter.status}": one of ${STATUSES.join(', ')}`);
  }
}

/** Sagas reads saga timelines. */
export class Sagas {
  constructor(
    private readonly log: EventLog,
    private readonly db: Database,
    private readonly target: OpsTarget,
    private readonly topology: Topology,
    private readonly deadLetters: () => Promise<DeadLetterRecord[]>,
  ) {}

  /** list returns the sagas matching the filter, newest first. */
  async list(filter: SagaFilter = {}, progress?: Progress): Promise<Saga[]> {
    checkSagaFilter(filter);
    const sagas = await this.load(undefined, progress);
    return sagas
      .filter((s) => filter.type === undefined || s.type === filter.type)
      .filter((s) => filter.status === undefined || s.status === (filter.status.toUpperCase() as SagaStatus))
      .filter((s) => !filter.stuck || s.stuck)
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  /** get returns one saga with its participants' state; an unknown id is a not-found error. */
  async get(sagaId: string, progress?: Progress): Promise<Saga & { participants: Participant[] }> {
    if (!/^[\w-]{1,100}$/.test(sagaId)) throw usage(`malformed saga id "${sagaId}": expected a UUID`);
    const [saga] = await this.load(sagaId, progress);
    if (!saga) throw notFound(`no saga ${sagaId} on the event topics (see \`blog sagas\`)`);
    return { ...saga, participants: await this.participants(saga) };
  }

  private async load(sagaId: string | undefined, progress?: Progress): Promise<Saga[]> {
    const records = (await this.log.readAll(EventTopics, progress)).filter(
      (r) => r.headers['sagaId'] && (sagaId === undefined || r.headers['sagaId'] === sagaId),
    );
    const grouped = new Map<string, SagaEventInput[]>();
    for (const r of records) {
      const id = r.headers['sagaId'] ?? '';
      const list = grouped.get(id) ?? [];
      list.push({
        eventId: eventIdOf(r),
        type: eventTypeOf(r),
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        key: r.key,
        at: Number(r.timestamp),
        traceparent: r.headers['traceparent'],
        data: decodeEvent(r),
      });
      grouped.set(id, list);
    }
    if (grouped.size === 0) return [];
    const eventIds = [...grouped.values()].flat().map((e) => e.eventId);
    const consumptions = [
      ...(await this.inboxRows(eventIds)),
      ...(await this.offsetConsumptions([...grouped.values()].flat())),
    ];
    const letters = (await this.deadLetters()).filter((l) => l.sagaId && grouped.has(l.sagaId));
    const now = Date.now();
    return [...grouped].map(([id, events]) =>
      buildSaga({
        sagaId: id,
        events,
        consumptions,
        deadLetters: letters
          .filter((l) => l.sagaId === id && l.eventId)
          .map((l) => ({
            id: l.id,
            eventId: l.eventId ?? '',
            consumer: l.consumer ?? '?',
            error: l.error ?? '',
          })),
        topology: this.topology,
        now,
        stuckAfterMs: this.target.stuckAfterMs,
      }),
    );
  }

  private async inboxRows(eventIds: readonly string[]): Promise<Consumption[]> {
    const out: Consumption[] = [];
    for (const service of this.target.services) {
      if (!service.schema || !/^[a-z_]+$/.test(service.schema)) continue;
      const rows = await this.db
        .query<{ consumer: string; message_id: string; processed_at: Date }>(
          `select consumer, message_id, processed_at from ${service.schema}.inbox where message_id = any($1)`,
          [eventIds],
        )
        .catch(() => []); // a schema without an inbox (not migrated yet)
      out.push(
        ...rows.map((r) => ({ service: r.consumer, eventId: r.message_id, at: r.processed_at.getTime() })),
      );
    }
    return out;
  }

  /** offsetConsumptions: where a consumer's group committed past an event, it processed it (time unknown: 0). */
  private async offsetConsumptions(events: readonly SagaEventInput[]): Promise<Consumption[]> {
    const out: Consumption[] = [];
    const topics = [...new Set(events.map((e) => e.topic))];
    for (const topic of topics) {
      const consumers = this.topology.topics.find((t) => t.topic === topic)?.consumers ?? [];
      for (const group of consumers) {
        const committed = await this.log.committedOffsets(group, topic);
        for (const e of events.filter((x) => x.topic === topic)) {
          const handles = this.topology.events.find((t) => t.type === e.type)?.consumers.includes(group);
          const next = BigInt(committed.get(e.partition) ?? '-1');
          if (handles && next > BigInt(e.offset)) out.push({ service: group, eventId: e.eventId, at: 0 });
        }
      }
    }
    return out;
  }

  private async participants(saga: Saga): Promise<Participant[]> {
    const ids = new Set<string>();
    for (const step of saga.steps) {
      if (step.key && UUID.test(step.key)) ids.add(step.key);
      for (const value of Object.values(step.data ?? {}))
        if (typeof value === 'string' && UUID.test(value)) ids.add(value);
    }
    const list = [...ids];
    const queries: [string, string, string][] = [
      ['auth', 'account', `select id::text as id, status, reason from auth.account where id::text = any($1)`],
      [
        'user',
        'profile',
        `select user_id::text as id, nickname from users.profile where user_id::text = any($1)`,
      ],
      [
        'blog',
        'blog',
        `select blog_id::text as id, slug, status, post_count, subscriber_count from blog.blog
          where blog_id::text = any($1) or owner_id::text = any($1)`,
      ],
      [
        'post',
        'post',
        `select post_id::text as id, status, rejection_reason from post.post where post_id::text = any($1)`,
      ],
      [
        'subscribe',
        'subscription',
        `select subscription_id::text as id, status, reason from subscribe.subscriptions where subscription_id::text = any($1)`,
      ],
    ];
    const out: Participant[] = [];
    for (const [service, entity, sql] of queries) {
      const rows = await this.db.query<Record<string, unknown> & { id: string }>(sql, [list]).catch(() => []);
      for (const { id, ...state } of rows) out.push({ service, entity, id, state });
    }
    return out;
  }
}
