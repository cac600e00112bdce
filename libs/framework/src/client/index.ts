/**
 * Typed gRPC clients with call wrappers (tracing -> metrics -> breaker -> retry -> selector).
 *
 * Usage, in a service that calls the user service:
 *
 *   import { user } from '@blog/proto';
 *   import { createClient, createRegistry } from '@blog/framework';
 *
 *   const users = createClient(user.UserServiceService, {
 *     service: 'user',                     // nodes from USER_SERVICE_ADDR (REGISTRY=static|dns)
 *     registry: createRegistry(),
 *     logger,                              // pino
 *     metrics,                             // the service's prom-client Registry
 *     methods: { getUser: { idempotent: true, deadlineMs: 500 } },
 *   });
 *   // Inside a handler the incoming x-request-id and deadline are passed on by themselves; elsewhere pass them:
 *   const { user: profile } = await users.getUser({ userId }, { requestId, deadline });
 *   users.close();                         // on shutdown
 */
export * from './client';
export * from './create-client';
export * from './channel-pool';
export * from './node-set';
export * from './wrappers';
export * from './stream';
