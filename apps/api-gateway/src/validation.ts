// Request validation with two Ajv instances: bodies are checked as sent (no type coercion, unknown fields refused by
// the schemas' additionalProperties: false, nothing silently removed), while path and query strings are coerced
// ("20" -> 20) because they are text by nature. Fastify's default would strip unknown body fields instead.
//
// Every part is also searched for the NUL character: PostgreSQL cannot store U+0000 in text, so a NUL that reached a
// service would fail there. It is refused here, naming the field like any other validation error (the services refuse
// it too, for callers that do not come through the gateway).
import Ajv, { type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function ajv(options: Options): Ajv {
  const instance = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  });
  addFormats(instance);
  return instance;
}

/** NUL_MESSAGE is the validation message of a string that contains U+0000. */
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/** nulPointers lists the JSON pointers ('/tags/1') of every string in `value` that contains U+0000. */
export function nulPointers(value: unknown, pointer = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [pointer] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nulPointers(item, `${pointer}/${index}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      nulPointers(item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    );
  }
  return [];
}

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// The schema's errors and one error per string with a NUL, in Ajv's shape so the error handler names the field.
function refusingNul(validate: Validator): Validator {
  const check: Validator = (data) => {
    const valid = validate(data);
    const errors: ErrorObject[] = valid ? [] : [...(validate.errors ?? [])];
    for (const instancePath of nulPointers(data)) {
      if (errors.some((error) => error.instancePath === instancePath)) continue;
      errors.push({ instancePath, schemaPath: '#', keyword: 'noNul', params: {}, message: NUL_MESSAGE });
    }
    check.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  };
  return check;
}

/** validatorCompiler is the app's schema compiler for every route. */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const bodies = ajv({ coerceTypes: false });
  const text = ajv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) =>
    refusingNul((httpPart === 'body' ? bodies : text).compile(schema as object));
}
