// The stack's Kafka admin connection (kafkajs). This is infrastructure tooling, not a service: services reach
// Kafka only through the framework's Broker, which is why the lint rule below is waived here.
// eslint-disable-next-line no-restricted-imports
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kafkajsSasl, type KafkaSasl } from '@blog/framework';

/** connectAdmin connects a kafkajs admin, signed in as `sasl`, that fails fast (the callers retry on their own schedule). */
export async function connectAdmin(brokers: string[], sasl: KafkaSasl): Promise<Admin> {
  quietKafkajsTimerWarning();
  const kafka = new Kafka({
    clientId: 'blog-stack',
    brokers,
    sasl: kafkajsSasl(sasl),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}

/**
 * quietKafkajsTimerWarning drops the TimeoutNegativeWarning that kafkajs 2.2.4 triggers on Node 24 at every
 * connection (a harmless negative setTimeout, tulios/kafkajs#1751); every other warning still prints.
 */
let quieted = false;
function quietKafkajsTimerWarning(): void {
  if (quieted) return;
  quieted = true;
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const print of printers) print(warning);
  });
}
