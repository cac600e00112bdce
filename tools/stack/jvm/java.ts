// How the stack runs a JVM part: plain `java` with the cached jars on the classpath (no Kafka tarball),
// the shared log4j 2 configuration writing to .stack/logs/<part>.log, and a modest heap.
import { join } from 'node:path';
import type { StackConfig } from '../config';
import type { JarCache } from './jar-cache';

/** JavaPart names a JVM process of the stack. */
export type JavaPart = 'kafka' | 'connect' | 'kafka-storage';

/** defaultHeap keeps both JVMs small: the machine is shared with seven Node services and PostgreSQL. */
const defaultHeap = { kafka: '-Xms256m -Xmx512m', connect: '-Xms256m -Xmx768m', 'kafka-storage': '-Xmx256m' };

/** javaArgs builds the argument list of `java` for a part's main class. */
export function javaArgs(
  config: StackConfig,
  cache: JarCache,
  part: JavaPart,
  mainClass: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  // KAFKA_HEAP_OPTS / CONNECT_HEAP_OPTS override the heap, as the Kafka scripts allow.
  const heapVar = part === 'connect' ? 'CONNECT_HEAP_OPTS' : 'KAFKA_HEAP_OPTS';
  const heap = (env[heapVar] || defaultHeap[part]).split(/\s+/).filter(Boolean);
  return [
    ...heap,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=file:${join(config.deployDir, 'log4j2.properties')}`,
    `-Dstack.log.file=${logFile(config, part)}`,
    // Recognises our process behind a pid file (see runningPid) and in `ps`.
    `-Dstack.part=${part}`,
    '-cp',
    cache.classpath,
    mainClass,
    ...args,
  ];
}

/** logFile is where log4j writes a part's log. */
export const logFile = (config: StackConfig, part: JavaPart): string => join(config.logDir, `${part}.log`);

/** consoleFile receives a part's stdout/stderr (JVM errors before log4j is up land there). */
export const consoleFile = (config: StackConfig, part: JavaPart): string =>
  join(config.logDir, `${part}.out`);
