// Fields that every log line written inside a context carries, whichever logger writes it: the inbox puts the
// event's traceId, spanId, sagaId, eventId and eventType there while a handler runs, a gRPC call its requestId,
// traceId and spanId. createLogger's mixin reads them from the active OpenTelemetry context (one AsyncLocalStorage),
// so a handler's plain `logger.info(...)` joins the saga's lines without passing a child logger around.
import { context, createContextKey, type Context } from '@opentelemetry/api';

/** LogFields are the correlation fields of a context. */
export type LogFields = Readonly<Record<string, string | number | undefined>>;

const LOG_FIELDS_KEY = createContextKey('blog.framework.log-fields');

/** withLogFields returns ctx with fields added to (or replacing) those it already carries. */
export function withLogFields(ctx: Context, fields: LogFields): Context {
  const current = ctx.getValue(LOG_FIELDS_KEY) as LogFields | undefined;
  return ctx.setValue(LOG_FIELDS_KEY, { ...current, ...fields });
}

/** logFieldsOf returns the correlation fields of ctx (the active context by default), if any. */
export function logFieldsOf(ctx: Context = context.active()): LogFields | undefined {
  return ctx.getValue(LOG_FIELDS_KEY) as LogFields | undefined;
}
