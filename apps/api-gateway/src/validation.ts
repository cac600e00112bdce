// Request validation with two Ajv instances: bodies are checked as sent (no type coercion, unknown fields refused by
// the schemas' additionalProperties: false, nothing silently removed), while path and query strings are coerced
// ("20" -> 20) because they are text by nature. Fastify's default would strip unknown body fields instead.
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function ajv(options: Options): Ajv {
  const instance = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats(instance);
  return instance;
}

/** validatorCompiler is the app's schema compiler for every route. */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const bodies = ajv({ coerceTypes: false });
  const text = ajv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodies : text).compile(schema as object);
}
