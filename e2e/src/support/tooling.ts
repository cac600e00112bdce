// The one door into the workspace tooling: its public entry, @blog/tools (tools/index.ts). The suite starts the
// system with the same machinery as `npm start` on the local stack of `npm run stack:up`.
export * from '@blog/tools';
