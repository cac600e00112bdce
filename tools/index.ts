// @blog/tools: the public entry of the workspace tooling for the suites that drive it (e2e): the machinery of
// `npm start` (start/) on the local stack of `npm run stack:up` (stack/), and the lower-level parts the e2e system
// controls one by one (the broker, the Connect worker, app processes).
export {
  acquireTestStack,
  appEntry,
  appPidFile,
  connectClient,
  loadStackConfig,
  services,
  gateway,
  isPortFree,
  StackError,
  stackInfo,
  type StackConfig,
  type StackInfo,
  type TestStack,
} from './stack/index';
export { repoRoot } from './stack/config';
export { toolsCredentials } from './blog/target';
export { certsDir, tlsEnvIn, tlsEnvOf } from './stack/certs';
export { stopProcessGroup, isAlive } from './stack/process/processes';
export {
  appSpecs,
  buildApps,
  hasSource,
  stopAppsInReverse,
  type AppSpec,
  type RunningApp,
} from './start/apps';
export { brokerPid, prepareBroker, startBroker, stopBroker, waitForBroker } from './stack/kafka/broker';
export { startWorker, stopWorker, waitForWorker, workerPid } from './stack/connect/worker';
export { ensureJarCache } from './stack/jvm/jar-cache';
export { requireJava } from './stack/prerequisites';
export { loadOrCreateSecrets } from './stack/secrets';
export { loadConnectorDefinition } from './stack/connect/connector';
export { zipkinEnabled, zipkinUrl } from './stack/zipkin/zipkin';
export {
  contractViolations,
  startPrismProxy,
  type ContractViolation,
  type PrismProxy,
} from './openapi/prism-proxy';
