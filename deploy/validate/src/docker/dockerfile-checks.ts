// Rules for the one app image recipe (deploy/docker/Dockerfile) and the build context filter (/.dockerignore).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** APP_STATE_DIR is the image's one writable folder, owned by the runtime user: compose mounts named volumes there. */
export const APP_STATE_DIR = '/var/lib/blog';

/** Stage is one FROM ... AS name section of a Dockerfile. */
interface Stage {
  name: string;
  from: string;
  lines: string[];
}

/** parseStages splits a Dockerfile into its stages (continuation lines joined, comments dropped). */
export function parseStages(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[2] ?? String(stages.length), from: from[1], lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** workspaceDirs lists the npm workspaces of the repository (`libs/*`-style globs of the root package.json). */
export function workspaceDirs(repoRoot: string): string[] {
  const { workspaces = [] } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  return workspaces.flatMap((glob) => {
    const parent = glob.replace(/\/\*$/, '');
    if (parent === glob) return [glob];
    return readdirSync(join(repoRoot, parent))
      .map((d) => `${parent}/${d}`)
      .filter((d) => existsSync(join(repoRoot, d, 'package.json')));
  });
}

/** checkDockerfile returns every problem of the app Dockerfile, given the workspaces npm ci must see. */
export function checkDockerfile(dockerfile: string, workspaces: readonly string[]): string[] {
  const problems: string[] = [];
  const stages = parseStages(dockerfile);
  const names = stages.map((s) => s.name);
  for (const required of ['workspace', 'build', 'prune', 'runtime']) {
    if (!names.includes(required)) problems.push(`Dockerfile: stage ${required} is missing`);
  }
  const runtime = stages.at(-1);
  if (!runtime || runtime.name !== 'runtime')
    return [...problems, 'Dockerfile: the last stage must be runtime'];

  const user = runtime.lines.filter((l) => /^USER\s/i.test(l)).at(-1);
  if (!user || /^USER\s+(root|0)(\b|:)/i.test(user))
    problems.push('Dockerfile: the runtime stage must switch to a non-root USER');
  if (!/distroless|alpine|slim/.test(dockerfile.match(/ARG RUNTIME_IMAGE=(\S+)/)?.[1] ?? runtime.from)) {
    problems.push('Dockerfile: the runtime base must be small (distroless, alpine or slim)');
  }
  if (runtime.lines.some((l) => /^RUN\s/i.test(l)))
    problems.push('Dockerfile: the runtime stage must not RUN anything (distroless has no shell)');
  const copies = runtime.lines.filter((l) => /^COPY\s/i.test(l));
  if (copies.length === 0 || copies.some((l) => !/--from=prune/.test(l)))
    problems.push('Dockerfile: the runtime stage must copy only the pruned output');
  const uid = /^USER\s+(\d+)/i.exec(user ?? '')?.[1];
  const ownsStateDir = (l: string) =>
    /^COPY\s/i.test(l) &&
    l.includes(`--chown=${uid}:`) &&
    l.split(/\s+/).at(-1)?.replace(/\/$/, '') === APP_STATE_DIR;
  if (!uid || !runtime.lines.some(ownsStateDir)) {
    problems.push(
      `Dockerfile: the runtime stage must create ${APP_STATE_DIR} owned by the numeric runtime USER (COPY --chown), for named volumes`,
    );
  }
  if (!runtime.lines.some((l) => /^HEALTHCHECK\s/i.test(l)))
    problems.push('Dockerfile: the runtime stage needs a HEALTHCHECK');

  const prune = stages.find((s) => s.name === 'prune');
  if (prune && !prune.lines.some((l) => /npm ci\b.*--omit=dev.*--workspace/.test(l))) {
    problems.push(
      'Dockerfile: the prune stage must install production dependencies of the one app (npm ci --omit=dev --workspace)',
    );
  }
  if (prune && !prune.lines.some((l) => /^COPY --from=build \/out\/? /.test(l))) {
    problems.push('Dockerfile: the prune stage must take the built outputs from build:/out');
  }
  for (const dir of workspaces) {
    if (!dockerfile.includes(`COPY ${dir}/package.json `))
      problems.push(`Dockerfile: ${dir}/package.json is not copied for npm ci`);
  }
  return problems;
}

/** checkDockerignore: the context never carries installed modules, build output, git data, stack state or secrets. */
export function checkDockerignore(dockerignore: string): string[] {
  const entries = new Set(
    dockerignore
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  return ['**/node_modules', '**/dist', '.git', '.stack', '.env', 'deploy/.env']
    .filter((e) => !entries.has(e))
    .map((e) => `.dockerignore: must exclude ${e}`);
}
