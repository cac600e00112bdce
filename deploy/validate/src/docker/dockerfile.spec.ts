import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployPaths, repoRoot } from '../paths';
import { checkDockerfile, checkDockerignore, workspaceDirs } from './dockerfile-checks';

const dockerfile = readFileSync(deployPaths.dockerfile, 'utf8');
const dockerignore = readFileSync(deployPaths.dockerignore, 'utf8');
const workspaces = workspaceDirs(repoRoot);

describe('deploy/docker/Dockerfile', () => {
  it('is multi-stage, prunes to production dependencies and runs as non-root on a small base', () => {
    expect(workspaces).toEqual(
      expect.arrayContaining(['libs/framework', 'libs/proto', 'apps/auth', 'apps/api-gateway']),
    );
    expect(checkDockerfile(dockerfile, workspaces)).toEqual([]);
  });

  it('rejects a root runtime, a missing app manifest, a shell step or no state folder in the runtime stage', () => {
    expect(checkDockerfile(dockerfile.replace('USER 65532:65532', 'USER root'), workspaces)).toContain(
      'Dockerfile: the runtime stage must switch to a non-root USER',
    );
    expect(
      checkDockerfile(dockerfile.replace('COPY apps/visitor/package.json apps/visitor/\n', ''), workspaces),
    ).toContain('Dockerfile: apps/visitor/package.json is not copied for npm ci');
    expect(checkDockerfile(`${dockerfile}RUN echo hi\n`, workspaces)).toContain(
      'Dockerfile: the runtime stage must not RUN anything (distroless has no shell)',
    );
    expect(checkDockerfile(dockerfile.replace('--chown=65532:65532 ', ''), workspaces)).toContain(
      'Dockerfile: the runtime stage must create /var/lib/blog owned by the numeric runtime USER (COPY --chown), for named volumes',
    );
    expect(checkDockerfile(dockerfile.replace('--omit=dev ', ''), workspaces)).toContain(
      'Dockerfile: the prune stage must install production dependencies of the one app (npm ci --omit=dev --workspace)',
    );
  });
});

describe('.dockerignore', () => {
  it('keeps modules, outputs, git, stack state and secrets out of the build context', () => {
    expect(checkDockerignore(dockerignore)).toEqual([]);
    expect(checkDockerignore(dockerignore.replace('.stack\n', ''))).toEqual([
      '.dockerignore: must exclude .stack',
    ]);
  });
});
