// Operations: liveness and readiness bodies.
import { Type } from 'typebox';

/** Health is the liveness answer. */
export const Health = Type.Object({ status: Type.Literal('ok') });

/** Readiness reports every downstream service's gRPC health and whether token keys are loaded. */
export const Readiness = Type.Object({
  status: Type.String({ description: '"ok" when ready, "unavailable" otherwise' }),
  services: Type.Record(Type.String(), Type.String(), {
    description: 'grpc.health.v1 status of each downstream service: SERVING, NOT_SERVING, UNREACHABLE, ...',
  }),
  keys: Type.String({ description: '"LOADED" once the access-token keys are known, else "MISSING"' }),
});
