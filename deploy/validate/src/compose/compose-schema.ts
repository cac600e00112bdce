// The compose file against the Compose Specification's JSON schema. The schema is the one the dclint package ships
// (its `schemas/compose.schema.json`, kept current from compose-spec/compose-spec), so no copy lives in this repo.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

let validator: ValidateFunction | undefined;

/** composeSchemaPath locates the schema inside the installed dclint package (its exports map hides the file). */
export function composeSchemaPath(): string {
  const require = createRequire(__filename);
  return join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
}

function compile(): ValidateFunction {
  const schema = JSON.parse(readFileSync(composeSchemaPath(), 'utf8')) as Record<string, unknown>;
  delete schema.$schema; // draft-07 under an https URL ajv does not know by that name; ajv's default is draft-07
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** validateComposeSchema returns one line per schema violation of an interpolated compose document. */
export function validateComposeSchema(doc: unknown): string[] {
  validator ??= compile();
  if (validator(doc)) return [];
  return (validator.errors ?? []).map(
    (e) => `compose schema: ${e.instancePath || '/'} ${e.message ?? ''}${paramsOf(e.params)}`,
  );
}

const paramsOf = (params: Record<string, unknown>): string =>
  'additionalProperty' in params ? ` (${String(params.additionalProperty)})` : '';
