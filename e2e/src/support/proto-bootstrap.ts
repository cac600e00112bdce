// Loaded before the stack tooling: makes sure @blog/proto's generated code exists (the tooling imports it).
export { ensureProtoGenerated, repoRoot } from '@blog/tools/bootstrap';
