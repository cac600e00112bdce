// Vitest globalSetup for integration tests (`*.int.spec.ts`): brings the local stack up when it is not already up
// and takes it down at the end only if this run started it (see test-stack.ts for parallel test projects).
//
//   // vitest.config.mts
//   test: { globalSetup: ['<repo>/tools/stack/vitest-global-setup.ts'] }
//   // in a test
//   import { inject } from 'vitest';
//   const { kafkaBrokers, databaseUrls } = inject('stack');
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { KAFKA_ADMIN_USER, kafkaPasswordVar } from '@blog/catalog';
import { repoRoot } from './config';
import type { StackInfo } from './info';
import { ensureProtoGenerated } from './proto-generated';
import { services } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    /** stack describes the running local stack (brokers, Connect URL, each service's DATABASE_URL). */
    stack: StackInfo;
  }
}

/** setup brings the stack up (if needed), provides its coordinates, and returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => process.stderr.write(`stack: ${line}\n`);
  // The stack's topic list comes from @blog/proto, whose generated code a fresh clone lacks: generate, then load.
  ensureProtoGenerated(repoRoot);
  const { acquireTestStack } = await import('./test-stack.js');
  const stack = await acquireTestStack({ log });
  project.provide('stack', stack.info);
  // The same coordinates as environment variables, for code that reads its config from the environment.
  process.env['KAFKA_BROKERS'] = stack.info.kafkaBrokers.join(',');
  process.env['CONNECT_URL'] = stack.info.connectUrl;
  process.env['STACK_ADMIN_DATABASE_URL'] = stack.info.adminDatabaseUrl;
  // Each workload's development certificate: services under test and their clients speak mTLS as deployed.
  process.env['STACK_CERTS_DIR'] = stack.info.certsDir;
  for (const service of services) {
    process.env[`${service.name.toUpperCase()}_DATABASE_URL`] = stack.info.databaseUrls[service.name];
  }
  // Kafka: each user's password as <USER>_KAFKA_PASSWORD (serviceEnv hands a service under test its own), and the
  // tests' own clients sign in as the super user: fixtures make topics and feed events the way Debezium does.
  for (const [user, sasl] of Object.entries(stack.info.kafkaUsers)) {
    process.env[kafkaPasswordVar(user)] = sasl.password;
  }
  const admin = stack.info.kafkaUsers[KAFKA_ADMIN_USER];
  if (admin) {
    process.env['KAFKA_USERNAME'] = admin.username;
    process.env['KAFKA_PASSWORD'] = admin.password;
    process.env['KAFKA_SASL_MECHANISM'] = admin.mechanism;
  }
  return async () => {
    if (await stack.release()) log('down (this test run had started it)');
  };
}
