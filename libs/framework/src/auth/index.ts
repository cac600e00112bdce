// auth: service identities (SPIFFE URIs in X.509 certificates), mTLS credentials and per-method access rules.
//   const tls = readTlsMaterial({ caFile, certFile, keyFile });
//   await bindServer(server, host, port, serverCredentials(tls));           // a client certificate is required
//   createGrpcServer({ ..., extra: [accessInterceptor({ policy, logger, metrics })] });
//   createClient(def, { credentials: clientCredentials(tls, 'user'), ... }); // the server must be `user`
export * from './auth';
export * from './tls';
export * from './access.interceptor';
export * from './security';
