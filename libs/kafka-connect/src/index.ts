// @blog/kafka-connect: a typed Kafka Connect REST client on axios.
//
//   const connect = createKafkaConnectClient({ url: 'http://127.0.0.1:8083' });
//   await connect.createOrUpdate('debezium-outbox', config);   // idempotent PUT, 409s retried
//   await connect.waitUntilRunning('debezium-outbox', { timeoutMs: 60_000 });
export * from './connect-client';
export { createKafkaConnectClient, type ConnectClientOptions } from './http-connect-client';
export { readinessOf, type Readiness } from './readiness';
