// Each app's environment schema, read from the app's own source at test time: the deployment checks hold compose and
// Kubernetes to what the code requires today, not to a copied list that drifts from it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths';

/** Issue is one problem zod reports: the variable (first path element) and the message. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** ParseResult is the part of a zod safeParse result the checks read. */
export interface ParseResult {
  readonly success: boolean;
  readonly data?: unknown;
  readonly error?: { readonly issues: readonly Issue[] };
}

/** FieldSchema is the schema of one variable. */
export interface FieldSchema {
  safeParse(value: unknown): ParseResult;
  optional(): FieldSchema;
}

/** ObjectSchema is a zod 4 object schema, typed by what the checks use (deploy/validate does not depend on zod). */
export interface ObjectSchema {
  readonly shape: Readonly<Record<string, FieldSchema>>;
  safeParse(value: unknown): ParseResult;
  /** safeExtend replaces fields and keeps the object's refinements (conditional requirements). */
  safeExtend(shape: Record<string, FieldSchema>): ObjectSchema;
}

/** AppConfig is an app's environment schema, where it was read from, and what it requires. */
export interface AppConfig {
  readonly app: string;
  /** source is the module relative to the repository root, e.g. apps/auth/src/config.ts. */
  readonly source: string;
  readonly exportName: string;
  readonly schema: ObjectSchema;
  /** required are the variables without a default that the schema refuses to miss (in any environment). */
  readonly required: readonly string[];
}

const isObjectSchema = (value: unknown): value is ObjectSchema => {
  const v = value as Partial<ObjectSchema> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.safeParse === 'function' &&
    typeof v.safeExtend === 'function' &&
    typeof v.shape === 'object'
  );
};

/** configSourceOf is apps/<app>/src/config.ts when the app has one, else its service.ts (which exports the schema). */
export function configSourceOf(app: string): string {
  const candidates = ['config.ts', 'service.ts'].map((file) => `apps/${app}/src/${file}`);
  const found = candidates.find((path) => existsSync(join(repoRoot, path)));
  if (!found) throw new Error(`${app}: neither ${candidates.join(' nor ')} exists`);
  return found;
}

/** requiredKeys lists the fields that fail when the variable is absent: no default, not optional. */
export const requiredKeys = (schema: ObjectSchema): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);

/** loadAppConfig imports the app's module and returns its one exported object schema. */
export async function loadAppConfig(app: string): Promise<AppConfig> {
  const source = configSourceOf(app);
  // A computed path, imported at test time: vitest resolves @blog/* to the libraries' sources, and no static import
  // ties the deploy project to the apps' code.
  const module = (await import(join(repoRoot, source))) as Record<string, unknown>;
  const schemas = Object.entries(module).filter(([, value]) => isObjectSchema(value));
  if (schemas.length !== 1) {
    throw new Error(
      `${source}: expected exactly one exported environment schema, found ${schemas.length} (${schemas.map(([name]) => name).join(', ')})`,
    );
  }
  const [exportName, schema] = schemas[0] as [string, ObjectSchema];
  return { app, source, exportName, schema, required: requiredKeys(schema) };
}

/** AppConfigs maps an app's name to its loaded schema. */
export type AppConfigs = Readonly<Record<string, AppConfig>>;

/** loadAppConfigs loads the schema of every named app. */
export async function loadAppConfigs(apps: readonly string[]): Promise<AppConfigs> {
  const loaded = await Promise.all(apps.map(loadAppConfig));
  return Object.fromEntries(loaded.map((config) => [config.app, config]));
}
