// Kafka authentication: every Kafka client of the system signs in as its own principal (SASL, SCRAM-SHA-512 by
// default) and the broker's authorizer allows that principal only what the catalog's ACLs say (libs/catalog
// kafka-acls.ts). Services read KAFKA_USERNAME / KAFKA_PASSWORD through dataConfig; tools and tests through
// kafkaSaslFromEnv below. Both Kafka clients take the same KafkaSasl.
import type { SASLOptions } from 'kafkajs';

/** KAFKA_SASL_MECHANISMS are the mechanisms KAFKA_SASL_MECHANISM accepts, the default first. */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

/** KafkaSaslMechanism is one of KAFKA_SASL_MECHANISMS. */
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** DEFAULT_KAFKA_SASL_MECHANISM is what every deployment of this repository configures on its brokers. */
export const DEFAULT_KAFKA_SASL_MECHANISM: KafkaSaslMechanism = 'scram-sha-512';

/** KafkaSasl is a principal's credentials. */
export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

/** isKafkaSaslMechanism tells a supported mechanism from anything else. */
export function isKafkaSaslMechanism(name: string): name is KafkaSaslMechanism {
  return (KAFKA_SASL_MECHANISMS as readonly string[]).includes(name);
}

/**
 * kafkaSaslFromEnv reads KAFKA_USERNAME, KAFKA_PASSWORD and KAFKA_SASL_MECHANISM (tools, tests, child processes):
 * undefined when neither the user nor the password is set, an error naming the variable when only one is, or when
 * the mechanism is unknown. Services validate the same variables in dataConfig instead.
 */
export function kafkaSaslFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSasl | undefined {
  const username = env['KAFKA_USERNAME'] || undefined;
  const password = env['KAFKA_PASSWORD'] || undefined;
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined) throw new Error('KAFKA_USERNAME: is required with KAFKA_PASSWORD');
  if (password === undefined) throw new Error('KAFKA_PASSWORD: is required with KAFKA_USERNAME');
  const mechanism = (env['KAFKA_SASL_MECHANISM'] || DEFAULT_KAFKA_SASL_MECHANISM).toLowerCase();
  if (!isKafkaSaslMechanism(mechanism)) {
    throw new Error(
      `KAFKA_SASL_MECHANISM: unknown mechanism "${mechanism}"; known: ${KAFKA_SASL_MECHANISMS.join(', ')}`,
    );
  }
  return { mechanism, username, password };
}

/** kafkaSaslEnv is the environment that hands a child process these credentials (the inverse of kafkaSaslFromEnv). */
export function kafkaSaslEnv(sasl: KafkaSasl): Record<string, string> {
  return {
    KAFKA_USERNAME: sasl.username,
    KAFKA_PASSWORD: sasl.password,
    KAFKA_SASL_MECHANISM: sasl.mechanism,
  };
}

/** kafkajsSasl is the credentials in kafkajs's form (the same lower-case mechanism names). */
export const kafkajsSasl = (sasl: KafkaSasl | undefined): SASLOptions | undefined =>
  sasl
    ? ({ mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions)
    : undefined;

/** platformaticSasl is the credentials in @platformatic/kafka's form (upper-case mechanism names). */
export const platformaticSasl = (sasl: KafkaSasl | undefined) =>
  sasl
    ? {
        mechanism: sasl.mechanism.toUpperCase() as 'SCRAM-SHA-512' | 'SCRAM-SHA-256' | 'PLAIN',
        username: sasl.username,
        password: sasl.password,
      }
    : undefined;
