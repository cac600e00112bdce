// The consumer side of the message contracts: a consuming service states, per event it handles, the producer, the
// event type and the fields its handler reads (with Pact matchers), and the test decodes the pact's message the way
// its consumer does (framework decodePayload with the event's generated decoder). Each run writes the pacts into a
// temporary directory, then holds them against contracts/pacts (see pact-files.ts).
//
//   messageContracts('blog', [
//     { provider: 'user', event: 'UserCreated', description: 'UserCreated: a profile was created',
//       content: { userId: uuid(), nickname: like('alice'), blogSlug: like('alice') } },
//   ]);
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePayload, type BrokerMessage, type Decoder } from '@blog/framework';
import { events } from '@blog/proto';
import { PactV4 } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { comparePacts } from './pact-files';

/** ExpectedEvent is one event a consumer handles: who emits it, its type, and the fields the consumer reads. */
export interface ExpectedEvent {
  /** provider is the producing service (its outbox). */
  provider: string;
  /** event is the event type (the `eventType` header), e.g. "UserCreated". */
  event: string;
  /** description names the interaction; the provider maps it to the code path that produces it. */
  description: string;
  /** content is the proto3 JSON the consumer reads, with Pact matchers; fields it ignores are left out. */
  content: Record<string, unknown>;
}

/** decoderOf returns the generated decoder of an event type, as the consumer registers it. */
export function decoderOf(eventType: string): Decoder<unknown> {
  const decoder = (events as unknown as Record<string, Partial<Decoder<unknown>> & { toJSON?: unknown }>)[
    eventType
  ];
  if (typeof decoder?.fromJSON !== 'function') throw new Error(`${eventType} is not an event of @blog/proto`);
  return decoder as Decoder<unknown>;
}

/** recordOf is the Kafka record Debezium would publish for a JSON payload. */
function recordOf(eventType: string, payload: unknown): BrokerMessage {
  return {
    topic: 'contract',
    partition: 0,
    offset: '0',
    key: null,
    value: Buffer.from(JSON.stringify(payload)),
    headers: { eventType, contentType: 'application/json' },
    timestamp: '0',
  };
}

/**
 * decodeAsConsumer decodes a message as the consumer's inbox does and returns the fields the decoder kept, in proto3
 * JSON: a field the consumer expects that the event does not define is dropped by the decoder, so it goes missing.
 */
export function decodeAsConsumer(eventType: string, payload: unknown): unknown {
  const decoder = decoderOf(eventType) as Decoder<unknown> & { toJSON(message: unknown): unknown };
  return decoder.toJSON(decodePayload(recordOf(eventType, payload), decoder));
}

/** messageContracts declares the consumer's tests: one per expected event, then the check of the pact files. */
export function messageContracts(consumer: string, expected: readonly ExpectedEvent[]): void {
  const dir = mkdtempSync(join(tmpdir(), `pacts-${consumer}-`));
  const pacts = new Map<string, PactV4>();
  const pactOf = (provider: string) => {
    let pact = pacts.get(provider);
    if (!pact) {
      pact = new PactV4({ consumer, provider, dir, logLevel: 'error' });
      pacts.set(provider, pact);
    }
    return pact;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe(`${consumer} message contracts`, () => {
    for (const expectation of expected) {
      it(`reads ${expectation.event} from ${expectation.provider}: ${expectation.description}`, async () => {
        await pactOf(expectation.provider)
          .addAsynchronousInteraction()
          .expectsToReceive(expectation.description, (builder) =>
            builder.withJSONContent(expectation.content),
          )
          .executeTest(async (message) => {
            const decoded = decodeAsConsumer(expectation.event, message.contents.content);
            expect(decoded).toMatchObject(message.contents.content as object);
          });
      });
    }

    it('generates exactly the committed pacts (PACT_UPDATE=1 rewrites them)', () => {
      const drift = comparePacts(consumer, dir, process.env.PACT_UPDATE === '1');
      expect(drift, 'contracts/pacts is out of date: run the consumer tests with PACT_UPDATE=1').toEqual([]);
    });
  });
}

/** exampleId is the n-th fixed example UUID: pact files must come out the same on every run. */
export function exampleId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** ISO_TIMESTAMP is the pattern of a proto3 JSON Timestamp (RFC 3339, UTC). */
export const ISO_TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';
