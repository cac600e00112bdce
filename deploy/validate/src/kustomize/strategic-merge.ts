// A strategic merge patch for the simple cases overlays use: maps merge key by key (null deletes), lists of built-in
// kinds merge by their patch merge key (containers and env by name, volumeMounts by mountPath, ports by
// containerPort), every other list is replaced. Custom resources have no merge keys, so their lists are replaced,
// exactly as kustomize does for kinds it has no schema for.

/** MERGE_KEYS are the patch merge keys of the built-in list fields overlays patch. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  envFrom: '',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isMap = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** strategicMerge returns `target` with `patch` merged in; builtIn selects the built-in list semantics. */
export function strategicMerge(target: Json, patch: Json, builtIn: boolean, field = ''): Json {
  if (isMap(target) && isMap(patch)) {
    const out: Record<string, Json> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (key === '$patch') continue;
      if (value === null) delete out[key];
      else out[key] = key in out ? strategicMerge(out[key], value, builtIn, key) : value;
    }
    return out;
  }
  const mergeKey = MERGE_KEYS[field];
  if (builtIn && mergeKey && Array.isArray(target) && Array.isArray(patch)) {
    const out = [...target];
    for (const item of patch) {
      const id = isMap(item) ? item[mergeKey] : undefined;
      const at = id === undefined ? -1 : out.findIndex((t) => isMap(t) && t[mergeKey] === id);
      if (at >= 0) out[at] = strategicMerge(out[at], item, builtIn, '');
      else out.push(item);
    }
    return out;
  }
  return patch;
}
