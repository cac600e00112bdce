// @blog/dev-certs: DEVELOPMENT ONLY certificates for mTLS (see dev-ca.ts).
//   const ca = await createDevCa();
//   const auth = await issueCertificate(ca, { uri: 'spiffe://blog.local/service/auth', ips: ['127.0.0.1'] });
export * from './dev-ca';
