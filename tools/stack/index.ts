// The local stack without Docker: PostgreSQL, Kafka (KRaft), Kafka Connect with the Debezium outbox connector.
//
//   import { ensureStackUp, stackDown, stackStatus, stackInfo } from '../stack';
//   await ensureStackUp();                  // starts what is not running, returns when everything is ready
//   const { kafkaBrokers, databaseUrls } = stackInfo();
//   await stackDown();                      // stops apps, Connect, Kafka, PostgreSQL; nothing is left running
export { loadStackConfig, type StackConfig, type StackPorts } from './config';
export { StackError } from './errors';
export {
  ensureStackUp,
  stackDown,
  formatReport,
  type UpOptions,
  type UpResult,
  type PartReport,
  type PartName,
} from './stack';
export { stackStatus, formatStatus, type PartStatus } from './status';
export { stackInfo, databaseUrl, type StackInfo } from './info';
export { acquireTestStack, claimStack, type TestStack } from './test-stack';
export {
  services,
  gateway,
  serviceAddrVar,
  MAX_REPLICAS,
  replicaPorts,
  type ServiceName,
  type ServiceSpec,
} from './services';
export {
  ephemeralRange,
  inRange,
  isPortFree,
  portHolder,
  portProblem,
  type PortHolder,
  type PortRange,
} from './ports';
export { appEntry, appPidFile, appOfInstance } from './apps';
export { connectClient } from './connect/worker';
export { loadConnectorDefinition, registerConnector } from './connect/connector';
export { certsDir, ensureCertificates, tlsEnvIn, tlsEnvOf, type TlsEnv } from './certs';
