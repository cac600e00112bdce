// Checks that turn a missing prerequisite into ONE line naming the fix, before anything is started.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portEnvVar, type StackPorts } from './config';
import { StackError } from './errors';
import { portProblem } from './ports';

/** requireJava returns the java command (JAVA_HOME first) after checking it is Java 17 or newer. */
export function requireJava(env: NodeJS.ProcessEnv = process.env): string {
  const java = env['JAVA_HOME'] ? join(env['JAVA_HOME'], 'bin', 'java') : 'java';
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StackError(
      `java not found (${java}): install Java 17+ (e.g. apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME`,
    );
  }
  const major = javaMajorVersion(`${result.stderr}${result.stdout}`);
  if (major !== undefined && major < 17) {
    throw new StackError(
      `Java ${major} found, Kafka 4.3 with Debezium 3.6 needs Java 17+: install it or set JAVA_HOME`,
    );
  }
  return java;
}

/** javaMajorVersion reads the major version from `java -version` output ("1.8.0_392" is 8, "17.0.15" is 17). */
export function javaMajorVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/** requireMaven checks that mvn runs (only needed while the jar cache is incomplete). */
export function requireMaven(): string {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StackError(
      'mvn not found: Maven downloads the Kafka and Debezium jars once; install it (e.g. apt-get install -y maven)',
    );
  }
  return 'mvn';
}

/** requireWritable creates dir if needed and proves a file can be written in it. */
export function requireWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StackError(
      `cannot write to ${dir} (${code}): make it writable or set STACK_DIR to a writable folder`,
    );
  }
}

/** requirePortFree fails with one line when port cannot be bound, saying whether a listener or a connection holds it. */
export async function requirePortFree(part: keyof StackPorts, port: number, label: string): Promise<void> {
  const problem = await portProblem(port, label, `stop it or set ${portEnvVar(part)} to a free port`);
  if (problem) throw new StackError(problem);
}
