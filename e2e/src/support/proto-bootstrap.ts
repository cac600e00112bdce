// Loaded before the stack tooling: makes sure @blog/proto's generated code exists (tools/stack imports it).
/* eslint-disable @nx/enforce-module-boundaries */
export { repoRoot } from '../../../tools/stack/config';
export { ensureProtoGenerated } from '../../../tools/stack/proto-generated';
