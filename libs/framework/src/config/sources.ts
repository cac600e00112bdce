// Where configuration comes from: the environment, and a config file that can change while the service runs
// (a mounted Kubernetes ConfigMap, a file next to a compose service). Precedence, lowest first:
//   schema defaults  <  environment  <  CONFIG_FILE
// The file is the live layer: it is re-read on change, so it must be able to override what the process started with.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './config';

/**
 * readConfigFile reads a config source into variables:
 * - a directory (a ConfigMap volume): one file per variable, the file name is the name, its content the value;
 * - a file starting with `{`: a JSON object of names to strings, numbers or booleans;
 * - any other file: `NAME=value` lines (dotenv style; `#` comments, optional quotes).
 */
export function readConfigFile(path: string): Env {
  if (statSync(path).isDirectory()) {
    return Object.fromEntries(
      readdirSync(path, { withFileTypes: true })
        // ConfigMap volumes keep their real files under `..data` and timestamped folders; only the plain names count.
        .filter((entry) => !entry.name.startsWith('.') && !entry.isDirectory())
        .map((entry) => [entry.name, readFileSync(join(path, entry.name), 'utf8').trim()]),
    );
  }
  const text = readFileSync(path, 'utf8');
  return text.trimStart().startsWith('{') ? fromJson(path, text) : fromDotenv(path, text);
}

/** mergeSources lays the file's variables over the environment's. */
export function mergeSources(env: Env, file: Env): Env {
  return { ...env, ...file };
}

function fromJson(path: string, text: string): Env {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path}: a JSON config file must hold one object of NAME: value`);
  }
  return Object.fromEntries(
    Object.entries(parsed).map(([name, value]) => {
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        throw new Error(`${path}: ${name} must be a string, a number or a boolean`);
      }
      return [name, String(value)];
    }),
  );
}

function fromDotenv(path: string, text: string): Env {
  const env: Env = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`${path}:${index + 1}: expected NAME=value`);
    const [, name = '', value = ''] = match;
    env[name] = /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
  });
  return env;
}
