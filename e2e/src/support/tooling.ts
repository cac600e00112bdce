// The one door into the workspace tooling (tools/): the suite starts the system with the same machinery as
// `npm start` (tools/start) on the local stack of `npm run stack:up` (tools/stack). tools/ is not a library, so
// it is reached by path; the deep imports below are the lower-level parts that tools/stack/index.ts does not
// export yet (see stack-parts.ts).
/* eslint-disable @nx/enforce-module-boundaries */
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
} from '../../../tools/stack';
export { repoRoot } from '../../../tools/stack/config';
export { stopProcessGroup, isAlive } from '../../../tools/stack/process/processes';
export {
  appSpecs,
  buildApps,
  hasSource,
  stopAppsInReverse,
  type AppSpec,
  type RunningApp,
} from '../../../tools/start/apps';
export {
  brokerPid,
  prepareBroker,
  startBroker,
  stopBroker,
  waitForBroker,
} from '../../../tools/stack/kafka/broker';
export { startWorker, stopWorker, waitForWorker, workerPid } from '../../../tools/stack/connect/worker';
export { ensureJarCache } from '../../../tools/stack/jvm/jar-cache';
export { requireJava } from '../../../tools/stack/prerequisites';
export { loadOrCreateSecrets } from '../../../tools/stack/secrets';
export { loadConnectorDefinition } from '../../../tools/stack/connect/connector';
export { zipkinEnabled, zipkinUrl } from '../../../tools/stack/zipkin/zipkin';
export {
  contractViolations,
  startPrismProxy,
  type ContractViolation,
  type PrismProxy,
} from '../../../tools/openapi/prism-proxy';
