// The Kafka and Debezium versions, read from their one source: deploy/local/pom.xml (the local stack and the compose
// JVM images resolve their jars from it). Kubernetes (Strimzi) cannot read the pom, so its manifests repeat the
// versions and the checks hold them to these.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** JvmVersions are the pom's kafka.version and debezium.version. */
export interface JvmVersions {
  kafka: string;
  debezium: string;
}

/** jvmVersions reads the versions from deploy/local/pom.xml. */
export function jvmVersions(
  pom = readFileSync(join(repoRoot, 'deploy', 'local', 'pom.xml'), 'utf8'),
): JvmVersions {
  const property = (name: string) => {
    const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom)?.[1];
    if (!value) throw new Error(`deploy/local/pom.xml has no <${name}>`);
    return value.trim();
  };
  return { kafka: property('kafka.version'), debezium: property('debezium.version') };
}
