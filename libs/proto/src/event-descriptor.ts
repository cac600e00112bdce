// The typed event: one descriptor per event names its type (the `eventType` header), its generated message, and the
// aggregate whose topic it travels on, plus what a well-formed payload must hold. Producers emit by descriptor and
// consumers register by descriptor, so the type is written once and a consumer's topics follow from its handlers.
//
//   export const UserCreated = defineEvent({
//     type: 'UserCreated', message: events.UserCreated, aggregate: AggregateTypes.profile,
//     uuids: ['userId'], required: ['nickname', 'blogSlug'],
//   });
//   await emit(UserCreated, userId, { userId, nickname, blogSlug });        // @blog/framework, in a transaction
//   consumer.on(UserCreated, async (event, ctx) => { ... });                // topic events.user.profile, derived
import { isUuidText, patternMessageOf, patternOf, type TextRule } from './rules';
import { topicFor, type AggregateType } from './topics';

/** EventMessageFns is what ts-proto generates for an event message (with `meta` as field 1). */
export interface EventMessageFns<T> {
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
  decode(input: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
  fromPartial(object: never): T;
}

/** EventData is what a producer says in an event: the message without its metadata (which emit fills in). */
export type EventData<T> = Omit<T, 'meta'>;

/** FieldName is a string field of an event message, its metadata aside. */
export type FieldName<T> = Exclude<{ [K in keyof T]: T[K] extends string ? K : never }[keyof T], 'meta'> &
  string;

/** EventSpec is what defineEvent takes. */
export interface EventSpec<T> {
  /** type is the message's name, which is also the `eventType` header and the outbox row's `type`. */
  readonly type: string;
  readonly message: EventMessageFns<T>;
  /** aggregate routes the event: Debezium publishes it to `events.<aggregate>`, keyed by the aggregate id. */
  readonly aggregate: AggregateType;
  /** uuids are the fields that must hold a UUID in every event of this type. */
  readonly uuids?: readonly FieldName<T>[];
  /** required are the string fields that must not be empty. */
  readonly required?: readonly FieldName<T>[];
  /** patterns are fields that must follow a shared field rule (rules.ts), e.g. the nickname's. */
  readonly patterns?: Partial<Record<FieldName<T>, TextRule>>;
}

/** EventDescriptor is a typed event: its spec, its topic, and the check of a decoded payload. */
export interface EventDescriptor<T> extends Required<EventSpec<T>> {
  /** topic is `events.<aggregate>`. */
  readonly topic: string;
  /** problems lists what is wrong with a decoded payload (a field that must be a UUID and is not, ...); [] if none. */
  problems(event: T): string[];
}

/** defineEvent returns the descriptor of one event type. */
export function defineEvent<T>(spec: EventSpec<T>): EventDescriptor<T> {
  const uuids = spec.uuids ?? [];
  const required = spec.required ?? [];
  const patterns = spec.patterns ?? {};
  const checks = Object.entries(patterns as Record<string, TextRule>).map(
    ([field, rule]) => [field, patternOf(rule), patternMessageOf(rule)] as const,
  );
  return {
    ...spec,
    uuids,
    required,
    patterns,
    topic: topicFor(spec.aggregate),
    problems(event) {
      const found: string[] = [];
      const fields = event as Record<string, unknown>;
      for (const field of required) {
        if (typeof fields[field] !== 'string' || fields[field] === '') found.push(`${field} is required`);
      }
      for (const field of uuids) {
        const value = fields[field];
        if (typeof value !== 'string' || !isUuidText(value)) {
          found.push(`${field} ${JSON.stringify(value)} is not a UUID`);
        }
      }
      for (const [field, pattern, message] of checks) {
        const value = fields[field];
        if (typeof value === 'string' && value !== '' && !pattern.test(value)) {
          found.push(`${field} ${JSON.stringify(value)} ${message}`);
        }
      }
      return found;
    },
  };
}
