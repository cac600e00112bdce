// `npm run kafka-acls`: applies the catalog's Kafka ACLs (libs/catalog kafka-acls.ts) to the brokers in KAFKA_BROKERS
// as the super user (KAFKA_USERNAME / KAFKA_PASSWORD), as the local stack does on every start. Compose's kafka-acls
// job runs it through tools/cli.ts (which first generates @blog/proto's code: the workspace image has none); it
// retries for a minute while the broker finishes starting.
import { kafkaSaslFromEnv } from '@blog/framework';
import { ensureAcls } from './security';

/** main applies the ACLs and returns the exit code; a failure after a minute of retries is thrown. */
export async function main(): Promise<number> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS: is required (host:port,...)');
  const sasl = kafkaSaslFromEnv();
  if (!sasl) throw new Error('KAFKA_USERNAME: is required (the super user), with KAFKA_PASSWORD');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const { created, deleted, total } = await ensureAcls(brokers, sasl);
      console.log(`kafka-acls: ${total} ACLs (${created} new, ${deleted} removed)`);
      return 0;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
