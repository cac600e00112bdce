// `npx nx g @blog/tools:service <name>`: a new domain service in the one app shape (docs/architecture.md "App
// shape"). It writes the proto (one RPC, CreateItem; health and reflection come from the framework), the app
// (apps/<name>: config.ts, service.ts on dataService, server.ts, item.mapper.ts, domain/, use-cases/items.ts,
// repository/, a first migration, testing/harness.ts, unit tests and integration tests on the stack), the catalog
// entry, and adds the proto namespace to @blog/proto; afterwards `npm install` links the workspace and
// `npm run render` writes its deployments.
// Loaded by Nx through Node's own TypeScript stripping: plain TypeScript, no enums or parameter properties.
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { formatFiles, generateFiles, names, type Tree } from '@nx/devkit';

/** ServiceGeneratorOptions are the generator's options (schema.json). */
export interface ServiceGeneratorOptions {
  name: string;
  summary?: string;
  skipInstall?: boolean;
  skipRender?: boolean;
}

const CATALOG_DIR = 'libs/catalog/src/services';
const CATALOG_INDEX = `${CATALOG_DIR}/index.ts`;
const PROTO_INDEX = 'libs/proto/src/index.ts';
const INDEX_MARKER = '  // generator: new services go above this line';
/** RESERVED are SQL words a schema cannot be named without quoting (the user service's schema is `users`). */
const RESERVED = new Set(['user', 'order', 'group', 'table', 'select', 'public', 'role', 'grant', 'default']);

/** nextPorts reads the catalog's entries and returns one past the highest gRPC and admin ports. */
export function nextPorts(tree: Tree): { grpcPort: number; adminPort: number } {
  const used = (field: string) =>
    (tree.children(CATALOG_DIR) ?? [])
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .flatMap((f) => [
        ...(tree.read(`${CATALOG_DIR}/${f}`, 'utf8') ?? '').matchAll(new RegExp(`${field}: (\\d+)`, 'g')),
      ])
      .map((m) => Number(m[1]));
  return {
    grpcPort: Math.max(7050, ...used('grpcPort')) + 1,
    adminPort: Math.max(9100, ...used('adminPort')) + 1,
  };
}

/** serviceGenerator writes the service's files and returns the task that installs and renders. */
export default async function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions) {
  const name = options.name;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) throw new Error(`service name ${name} must be kebab-case`);
  if (name === 'api-gateway' || tree.exists(`apps/${name}`)) throw new Error(`apps/${name} exists already`);
  const n = names(name);
  const snake = name.replace(/-/g, '_');
  const schema = RESERVED.has(snake) ? `${snake}s` : snake;
  const ports = nextPorts(tree);
  const values = {
    ...n,
    name,
    summary: options.summary ?? 'TODO: what this service owns.',
    protoPackage: snake,
    schema,
    ...ports,
    migrationId: String(Date.now()),
    tmpl: '',
  };
  generateFiles(tree, join(import.meta.dirname, 'files'), '.', values);

  const catalog = tree.read(CATALOG_INDEX, 'utf8') ?? '';
  if (!catalog.includes(INDEX_MARKER))
    throw new Error(`${CATALOG_INDEX} has lost its line "${INDEX_MARKER.trim()}"`);
  const importLine = `import { ${n.propertyName} } from './${name}';\n`;
  const lastImport = catalog.lastIndexOf('\nimport ');
  const afterImports = catalog.indexOf('\n', lastImport + 1) + 1;
  tree.write(
    CATALOG_INDEX,
    (catalog.slice(0, afterImports) + importLine + catalog.slice(afterImports)).replace(
      INDEX_MARKER,
      `  ${n.propertyName},\n${INDEX_MARKER}`,
    ),
  );

  const proto = tree.read(PROTO_INDEX, 'utf8') ?? '';
  const exports = [...proto.matchAll(/^export \* as \w+ from '\.\/gen\/blog\/.*';$/gm)];
  const last = exports.at(-1);
  if (!last || last.index === undefined) throw new Error(`${PROTO_INDEX} exports no generated namespace`);
  const at = last.index + last[0].length + 1;
  tree.write(
    PROTO_INDEX,
    `${proto.slice(0, at)}export * as ${n.propertyName} from './gen/blog/${snake}/v1/${snake}';\n${proto.slice(at)}`,
  );

  await formatFiles(tree);
  return () => {
    const run = (command: string) => execSync(command, { cwd: tree.root, stdio: 'inherit' });
    if (!options.skipInstall) run('npm install --no-audit --no-fund');
    if (!options.skipRender) run('npm run render');
  };
}
