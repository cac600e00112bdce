// The suite's settings, read once from the environment (documented in e2e/README.md).
import { kafkaSaslFromEnv, type KafkaSasl } from '@blog/framework';
import { runDir } from './run-dir';

export { runDir };

/** RunOptions are the E2E_* settings. */
export interface RunOptions {
  /** baseUrl (E2E_BASE_URL) selects remote mode. */
  baseUrl?: string;
  /** env (E2E_ENV): `compose` selects Docker Compose. */
  env?: string;
  /** kafkaBrokers (E2E_KAFKA_BROKERS) for duplicate injection in remote mode. */
  kafkaBrokers?: string[];
  /** kafkaSasl (E2E_KAFKA_USERNAME, E2E_KAFKA_PASSWORD, E2E_KAFKA_SASL_MECHANISM): the tools' Kafka user there. */
  kafkaSasl?: KafkaSasl;
  skipBuild: boolean;
  portOffset?: number;
  readyTimeoutMs: number;
  /** openapiProxy (E2E_OPENAPI_PROXY, default on): the REST client goes through Prism, validating every exchange. */
  openapiProxy: boolean;
  /** runDir collects measurements; the same for the setup, the workers and the reporter of one run. */
  runDir: string;
}

/** readRunOptions reads the E2E_* variables. */
export function readRunOptions(env: NodeJS.ProcessEnv = process.env): RunOptions {
  const offset = env['E2E_PORT_OFFSET'];
  if (offset !== undefined && offset !== '' && !Number.isInteger(Number(offset))) {
    throw new Error(`E2E_PORT_OFFSET=${offset} is not a whole number`);
  }
  return {
    baseUrl: env['E2E_BASE_URL']?.replace(/\/+$/, '') || undefined,
    env: env['E2E_ENV'] || undefined,
    kafkaBrokers: env['E2E_KAFKA_BROKERS']?.split(',').filter(Boolean),
    kafkaSasl: kafkaSaslFromEnv({
      KAFKA_USERNAME: env['E2E_KAFKA_USERNAME'],
      KAFKA_PASSWORD: env['E2E_KAFKA_PASSWORD'],
      KAFKA_SASL_MECHANISM: env['E2E_KAFKA_SASL_MECHANISM'],
    }),
    skipBuild: env['E2E_SKIP_BUILD'] === '1',
    portOffset: offset === undefined || offset === '' ? undefined : Number(offset),
    readyTimeoutMs: Number(env['E2E_READY_TIMEOUT_MS'] || 120_000),
    openapiProxy: env['E2E_OPENAPI_PROXY'] !== '0',
    runDir: runDir(env),
  };
}
