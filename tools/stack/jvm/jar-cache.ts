// The JVM jar cache under .stack/jvm: filled once by Maven from deploy/local/pom.xml, reused while the pom is
// unchanged (a manifest records the pom's hash and what was copied), refilled from scratch when it changes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { StackConfig } from '../config';
import { StackError } from '../errors';
import { requireMaven } from '../prerequisites';

/** JarCache locates the classpath folder and the Connect plugin.path folder. */
export interface JarCache {
  libDir: string;
  pluginPath: string;
  /** classpath is `lib/*` (the JVM expands the wildcard). */
  classpath: string;
  jars: number;
  pluginJars: number;
  /** zipkinJar is the Zipkin server's exec jar (the trace viewer), run with `java -jar`. */
  zipkinJar: string;
}

interface Manifest {
  pomSha256: string;
  jars: string[];
  pluginJars: string[];
}

const debeziumFolder = 'debezium-postgres';

/** jarCachePaths returns the cache folders without checking them. */
export function jarCachePaths(
  config: StackConfig,
): Pick<JarCache, 'libDir' | 'pluginPath' | 'classpath' | 'zipkinJar'> {
  const libDir = join(config.jvmDir, 'lib');
  return {
    libDir,
    pluginPath: join(config.jvmDir, 'plugins'),
    classpath: join(libDir, '*'),
    zipkinJar: join(config.jvmDir, 'zipkin', 'zipkin-server.jar'),
  };
}

/** inspectJarCache returns the cache when it is complete for the current pom, else undefined. */
export function inspectJarCache(config: StackConfig): JarCache | undefined {
  const paths = jarCachePaths(config);
  const manifestFile = join(config.jvmDir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  if (manifest.pomSha256 !== pomHash(config)) return undefined;
  const present = (dir: string, names: string[]) => names.every((name) => existsSync(join(dir, name)));
  const pluginDir = join(paths.pluginPath, debeziumFolder);
  if (!present(paths.libDir, manifest.jars) || !present(pluginDir, manifest.pluginJars)) return undefined;
  if (!existsSync(paths.zipkinJar)) return undefined;
  return { ...paths, jars: manifest.jars.length, pluginJars: manifest.pluginJars.length };
}

/** ensureJarCache returns the complete cache, running Maven first when it is missing or stale. */
export function ensureJarCache(config: StackConfig): { cache: JarCache; downloaded: boolean } {
  const cached = inspectJarCache(config);
  if (cached) return { cache: cached, downloaded: false };
  const mvn = requireMaven();
  const paths = jarCachePaths(config);
  rmSync(paths.libDir, { recursive: true, force: true });
  rmSync(paths.pluginPath, { recursive: true, force: true });
  rmSync(dirname(paths.zipkinJar), { recursive: true, force: true });
  mkdirSync(config.logDir, { recursive: true });
  const logFile = join(config.logDir, 'maven.log');
  const log = openSync(logFile, 'w');
  try {
    const result = spawnSync(
      mvn,
      ['-q', '-B', '-f', join(config.deployDir, 'pom.xml'), 'package', `-Dstack.jvm.dir=${config.jvmDir}`],
      { stdio: ['ignore', log, log], env: process.env },
    );
    if (result.error || result.status !== 0) {
      throw new StackError(
        `Maven could not fetch the Kafka/Debezium/Zipkin jars (exit ${result.status}): see ${logFile}`,
      );
    }
  } finally {
    closeSync(log);
  }
  const manifest: Manifest = {
    pomSha256: pomHash(config),
    jars: jarsIn(paths.libDir),
    pluginJars: jarsIn(join(paths.pluginPath, debeziumFolder)),
  };
  if (manifest.jars.length === 0 || manifest.pluginJars.length === 0 || !existsSync(paths.zipkinJar)) {
    throw new StackError(`Maven finished but copied no jars into ${config.jvmDir}: see ${logFile}`);
  }
  writeFileSync(join(config.jvmDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    cache: { ...paths, jars: manifest.jars.length, pluginJars: manifest.pluginJars.length },
    downloaded: true,
  };
}

function pomHash(config: StackConfig): string {
  return createHash('sha256')
    .update(readFileSync(join(config.deployDir, 'pom.xml')))
    .digest('hex');
}

function jarsIn(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.jar'))
        .sort()
    : [];
}
