// RFC 6902 JSON Patch (add, remove, replace, test), as kustomize applies `patches` whose body is a list of operations.

/** PatchOp is one JSON Patch operation. */
export interface PatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** applyJsonPatch applies operations in order to a copy of `doc`; a failing operation throws, naming its path. */
export function applyJsonPatch<T>(doc: T, ops: readonly PatchOp[]): T {
  const root = { value: structuredClone(doc) as unknown };
  for (const op of ops) {
    const tokens = op.path.split('/').slice(1).map(unescape);
    let parent: unknown = root;
    let key = 'value';
    for (const token of tokens) {
      parent = (parent as Record<string, unknown>)[key];
      key = token;
      if (parent === null || typeof parent !== 'object')
        throw new Error(`json patch ${op.op} ${op.path}: no such path`);
    }
    const container = parent as Record<string, unknown> | unknown[];
    const exists = Array.isArray(container)
      ? key === '-' || Number(key) < container.length
      : key in container;
    switch (op.op) {
      case 'add':
        if (Array.isArray(container))
          container.splice(key === '-' ? container.length : Number(key), 0, op.value);
        else container[key] = op.value;
        break;
      case 'replace':
      case 'remove':
        if (!exists) throw new Error(`json patch ${op.op} ${op.path}: no such path`);
        if (op.op === 'remove') {
          if (Array.isArray(container)) container.splice(Number(key), 1);
          else delete container[key];
        } else if (Array.isArray(container)) container[Number(key)] = op.value;
        else container[key] = op.value;
        break;
      case 'test':
        if (JSON.stringify((container as Record<string, unknown>)[key]) !== JSON.stringify(op.value)) {
          throw new Error(`json patch test ${op.path}: value differs`);
        }
        break;
      default:
        throw new Error(`json patch: unsupported op ${(op as PatchOp).op}`);
    }
  }
  return root.value as T;
}
