// The producer side of the message contracts: every committed pact whose provider is this service is verified with
// Pact's verifier against payloads the service's real code path produced (the outbox rows its use cases and handlers
// wrote, as Debezium published them), one producer function per interaction description. A mismatch fails naming the
// consumer, the interaction and the field (ContractBreak).
//
//   await verifyProducer('user', {
//     'UserCreated: a profile was created': async () => (await h.emitted.next('UserCreated', userId)).payload,
//   });
import { MessageProviderPact } from '@pact-foundation/pact';
import { committedPacts, readPact } from './pact-files';

/** Producers map each interaction description to a function that runs the real code path and returns its payload. */
export type Producers = Record<string, () => Promise<unknown>>;

/** VerifyOptions tune verifyProducer. */
export interface VerifyOptions {
  /** mutate rewrites a produced payload before verification: how the layer's own tests break a producer. */
  mutate?: (description: string, payload: unknown) => unknown;
  /** pactUrls replaces the committed pacts (the layer's own tests). */
  pactUrls?: string[];
}

/** Mismatch is one difference the verifier found. */
export interface Mismatch {
  consumer: string;
  description: string;
  path?: string;
  mismatch: string;
}

/** ContractBreak is a failed verification: which consumer expected what, and where the payload differs. */
export class ContractBreak extends Error {
  override readonly name = 'ContractBreak';
  constructor(
    readonly provider: string,
    readonly mismatches: readonly Mismatch[],
  ) {
    super(
      `${provider} breaks its consumers' contracts:\n` +
        mismatches
          .map(
            (m) =>
              `  consumer ${m.consumer}, "${m.description}"${m.path ? ` at ${m.path}` : ''}: ${m.mismatch}`,
          )
          .join('\n'),
    );
  }
}

/** interactionsFor lists the message descriptions the committed pacts expect of a provider, by consumer. */
export function interactionsFor(
  provider: string,
  pactUrls = committedPacts({ provider }),
): Map<string, string[]> {
  const byDescription = new Map<string, string[]>();
  for (const path of pactUrls) {
    const pact = readPact(path);
    for (const interaction of pact.interactions) {
      const consumers = byDescription.get(interaction.description) ?? [];
      byDescription.set(interaction.description, [...consumers, pact.consumer.name]);
    }
  }
  return byDescription;
}

interface VerifierReport {
  interactionResults?: {
    consumer: string;
    description: string;
    mismatch?: { mismatches?: { path?: string; key?: string; mismatch: string }[]; message?: string };
    result: string;
  }[];
}

/** mismatchesOf reads the verifier's JSON report (the message of the error it rejects with). */
function mismatchesOf(error: unknown): Mismatch[] | undefined {
  const text = error instanceof Error ? error.message : String(error);
  let report: VerifierReport;
  try {
    report = JSON.parse(text) as VerifierReport;
  } catch {
    return undefined;
  }
  return (report.interactionResults ?? [])
    .filter((r) => r.result !== 'Ok' && r.mismatch)
    .flatMap((r) =>
      (r.mismatch?.mismatches ?? [{ mismatch: r.mismatch?.message ?? 'failed' }]).map((m) => ({
        consumer: r.consumer,
        description: r.description,
        path: m.path ?? m.key,
        mismatch: m.mismatch,
      })),
    );
}

/**
 * verifyProducer verifies every pact of `provider` against the payloads `producers` return; each producer runs once,
 * even when several consumers expect its message. Rejects with ContractBreak when a consumer's expectation fails.
 */
export async function verifyProducer(
  provider: string,
  producers: Producers,
  options: VerifyOptions = {},
): Promise<void> {
  const pactUrls = options.pactUrls ?? committedPacts({ provider });
  if (pactUrls.length === 0) throw new Error(`no pact names ${provider} as its provider`);
  const produced = new Map<string, Promise<unknown>>();
  const failures: Error[] = [];
  const messageProviders = Object.fromEntries(
    Object.entries(producers).map(([description, produce]) => [
      description,
      () => {
        let payload = produced.get(description);
        if (!payload) {
          payload = produce().then(
            (p) => (options.mutate ? options.mutate(description, p) : p),
            (error: unknown) => {
              // The verifier would only see a body that does not match: say what went wrong instead.
              failures.push(new Error(`producing "${description}" failed`, { cause: error }));
              return {};
            },
          );
          produced.set(description, payload);
        }
        return payload;
      },
    ]),
  );
  try {
    await new MessageProviderPact({ provider, pactUrls, messageProviders, logLevel: 'error' }).verify();
  } catch (error) {
    if (failures.length > 0) throw failures[0];
    const mismatches = mismatchesOf(error);
    if (mismatches?.length) throw new ContractBreak(provider, mismatches);
    throw error;
  }
  if (failures.length > 0) throw failures[0];
}
