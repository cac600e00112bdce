// Dead letters: records the inbox gave up on, in `<topic>.dlq`, with the original key, value and headers plus the
// `dlq.*` headers (libs/framework/src/inbox/dead-letter.ts). A redrive republishes the record to its original topic
// with the original key, value and headers (hence the same event id: the inbox turns a second delivery into a no-op)
// and writes who did it and when to ops.redrive_log. A purge empties the dead-letter topics, logged likewise.
import { DlqHeaders, type BrokerMessage } from '@blog/framework';
import { dlqTopicFor, EventTopics } from '@blog/proto';
import type { Database } from './database';
import { OPS_SCHEMA_SQL } from './database';
import { notFound, usage } from './errors';
import type { EventLog, Progress } from './event-log';

/** DeadLetterRecord is one dead letter, decoded from its headers. */
export interface DeadLetterRecord {
  /** id is `<dlq topic>:<partition>:<offset>`, stable while the record is kept. */
  id: string;
  dlqTopic: string;
  key: string | null;
  eventId?: string;
  eventType?: string;
  sagaId?: string;
  traceparent?: string;
  reason?: string;
  error?: string;
  errorClass?: string;
  attempts?: number;
  consumer?: string;
  original: { topic: string; partition?: number; offset?: string };
  failedAt?: string;
  /** redrives lists earlier redrives of this letter, oldest first. */
  redrives: { actor: string; at: string }[];
  headers: Record<string, string>;
  /** payload is the record's value as text (proto3 JSON) or base64 (protobuf binary). */
  payload: string | null;
  record: BrokerMessage;
}

/** DLQ_ID matches a dead letter's id. */
const DLQ_ID = /^(events\.[a-z0-9.-]+\.dlq):(\d+):(\d+)$/;

/** dlqTopics are the dead-letter topics of the event topics, or of one of them. */
export function dlqTopics(topic?: string): string[] {
  if (topic === undefined) return EventTopics.map(dlqTopicFor);
  const base = topic.endsWith('.dlq') ? topic.slice(0, -4) : topic;
  if (!EventTopics.includes(base)) {
    throw usage(`unknown topic "${topic}": one of ${EventTopics.join(', ')}`);
  }
  return [dlqTopicFor(base)];
}

/** parseDlqId checks a dead-letter id's shape. */
export function parseDlqId(id: string): { topic: string; partition: number; offset: string } {
  const match = DLQ_ID.exec(id);
  if (!match?.[1] || !EventTopics.includes(match[1].slice(0, -4))) {
    throw usage(
      `malformed dead-letter id "${id}": expected <topic>.dlq:<partition>:<offset> (see \`blog dlq list\`)`,
    );
  }
  return { topic: match[1], partition: Number(match[2]), offset: String(BigInt(match[3] ?? '0')) };
}

/** toDeadLetter decodes one dead-letter record. */
export function toDeadLetter(
  record: BrokerMessage,
  redrives: DeadLetterRecord['redrives'] = [],
): DeadLetterRecord {
  const h = record.headers;
  const attempts = h[DlqHeaders.attempts];
  const partition = h[DlqHeaders.originalPartition];
  const text = record.value?.toString('utf8');
  const isText =
    text !== undefined &&
    !text.includes('\uFFFD') &&
    (h['contentType'] ?? 'application/json').includes('json');
  return {
    id: `${record.topic}:${record.partition}:${record.offset}`,
    dlqTopic: record.topic,
    key: record.key,
    eventId: h['id'],
    eventType: h['eventType'],
    sagaId: h['sagaId'],
    traceparent: h['traceparent'],
    reason: h[DlqHeaders.reason],
    error: h[DlqHeaders.errorMessage],
    errorClass: h[DlqHeaders.errorClass],
    attempts: attempts === undefined ? undefined : Number(attempts),
    consumer: h[DlqHeaders.consumer],
    original: {
      topic: h[DlqHeaders.originalTopic] ?? record.topic.replace(/\.dlq$/, ''),
      partition: partition === undefined ? undefined : Number(partition),
      offset: h[DlqHeaders.originalOffset],
    },
    failedAt: h[DlqHeaders.failedAt],
    redrives,
    headers: h,
    payload: record.value === null ? null : isText ? (text ?? '') : record.value.toString('base64'),
    record,
  };
}

/** redriveHeaders are the original headers without the dlq.* ones, plus who redrove the record and when. */
export function redriveHeaders(letter: DeadLetterRecord, actor: string, at: Date): Record<string, string> {
  const original = Object.fromEntries(
    Object.entries(letter.headers).filter(
      ([name]) => !name.startsWith('dlq.') && !name.startsWith('redrive.'),
    ),
  );
  return { ...original, 'redrive.by': actor, 'redrive.at': at.toISOString(), 'redrive.from': letter.id };
}

/** DeadLetters lists, shows, redrives and purges dead letters. */
export class DeadLetters {
  private schemaReady = false;

  constructor(
    private readonly log: EventLog,
    private readonly db: Database,
    private readonly actor: string,
  ) {}

  /** list returns the dead letters of every dead-letter topic (or of one topic's), oldest first per topic. */
  async list(options: { topic?: string; progress?: Progress } = {}): Promise<DeadLetterRecord[]> {
    const topics = dlqTopics(options.topic);
    const records = await this.log.readAll(topics, options.progress);
    const redrives = await this.redrives(topics);
    return records
      .map((r) => toDeadLetter(r, redrives.get(`${r.topic}:${r.partition}:${r.offset}`)))
      .sort(
        (a, b) =>
          a.dlqTopic.localeCompare(b.dlqTopic) || Number(a.record.timestamp) - Number(b.record.timestamp),
      );
  }

  /** show returns one dead letter; an unknown id is a not-found error. */
  async show(id: string): Promise<DeadLetterRecord> {
    const { topic } = parseDlqId(id);
    const letter = (await this.list({ topic })).find((l) => l.id === id);
    if (!letter) throw notFound(`no dead letter ${id} (see \`blog dlq list\`)`);
    return letter;
  }

  /** redrive republishes the given letters to their original topics and logs each redrive. */
  async redrive(letters: readonly DeadLetterRecord[]): Promise<DeadLetterRecord[]> {
    await this.ensureSchema();
    for (const letter of letters) {
      const at = new Date();
      await this.log.publish(letter.original.topic, [
        { key: letter.key, value: letter.record.value, headers: redriveHeaders(letter, this.actor, at) },
      ]);
      await this.db.query(
        `insert into ops.redrive_log (action, dlq_id, dlq_topic, event_id, target_topic, actor, at)
         values ('redrive', $1, $2, $3, $4, $5, $6)`,
        [letter.id, letter.dlqTopic, letter.eventId ?? null, letter.original.topic, this.actor, at],
      );
      letter.redrives.push({ actor: this.actor, at: at.toISOString() });
    }
    return [...letters];
  }

  /** purge empties the dead-letter topics (all, or one topic's) and logs it; returns how many letters went. */
  async purge(topic?: string): Promise<number> {
    await this.ensureSchema();
    const topics = dlqTopics(topic);
    let count = 0;
    for (const t of topics) count += await this.log.recordCount(t).catch(() => 0);
    await this.log.recreate(topics);
    for (const t of topics) {
      // Offsets restart at 0 in the new topic: earlier redrives no longer describe its records.
      await this.db.query(`delete from ops.redrive_log where dlq_topic = $1 and action = 'redrive'`, [t]);
      await this.db.query(
        `insert into ops.redrive_log (action, dlq_id, dlq_topic, actor) values ('purge', '*', $1, $2)`,
        [t, this.actor],
      );
    }
    return count;
  }

  private async redrives(topics: readonly string[]): Promise<Map<string, DeadLetterRecord['redrives']>> {
    await this.ensureSchema();
    const rows = await this.db.query<{ dlq_id: string; actor: string; at: Date }>(
      `select dlq_id, actor, at from ops.redrive_log where action = 'redrive' and dlq_topic = any($1) order by at`,
      [topics],
    );
    const byId = new Map<string, DeadLetterRecord['redrives']>();
    for (const row of rows) {
      const list = byId.get(row.dlq_id) ?? [];
      list.push({ actor: row.actor, at: row.at.toISOString() });
      byId.set(row.dlq_id, list);
    }
    return byId;
  }

  private async ensureSchema(): Promise<void> {
    if (this.schemaReady) return;
    await this.db.query(OPS_SCHEMA_SQL);
    this.schemaReady = true;
  }
}
