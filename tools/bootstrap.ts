// @blog/tools/bootstrap: what runs before the rest of the tooling loads (which imports @blog/proto): the workspace
// root and the generation of the proto code a fresh clone lacks.
export { repoRoot } from './stack/config';
export { ensureProtoGenerated } from './stack/proto-generated';
