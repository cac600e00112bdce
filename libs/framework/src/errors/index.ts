// errors: domain errors, their mapping to safe gRPC statuses, and the decoder a client uses to read them back.
//
//   throw new InvalidArgumentError('invalid request', { violations: [{ field: 'email', message: 'not an email' }] });
//   // the caller: readErrorDetails(serviceError).violations -> [{ field: 'email', message: 'not an email' }]
export * from './errors';
export * from './status';
export * from './details';
