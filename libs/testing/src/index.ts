// @blog/testing: what every service's integration tests need, written once. Tests only (apps list it in
// devDependencies and import it from *.spec.ts and src/testing/, which their builds leave out).
//
//   const h = await startOnStack({ service: userService, definition: user.UserServiceService, schema: 'users',
//                                  emits: [AggregateTypes.profile] });
//   const created = await h.bus.feed(events.AccountCreated, 'AccountCreated', { aggregateType, aggregateId, data });
//   await h.emitted.next('UserCreated', created.aggregateId);          // by event type and aggregate (record key)
//   await h.logs.next('duplicate event skipped', { messageId: created.id });
//   await waitFor('the profile', () => findProfile(h.store, userId));
export * from './wait';
export * from './failure';
export * from './events/debezium';
export * from './events/event-tap';
export * from './events/event-bus';
export * from './logs/log-tap';
export * from './stack/env';
export * from './stack/store';
export * from './stack/hold-open';
export * from './stack/harness';
export * from './rest/fuzz';
export * from './rest/flood';
export * from './rest/raw-http';
export * from './rest/sse';
