import { describe, expect, it } from 'vitest';
import { deployPaths } from '../paths';
import { kubectlMinor, kustomizeBuild, kustomizeUnavailable } from './kubectl';

describe('kubectl kustomize', () => {
  it('reads the client version and refuses a kubectl without kustomize v5', () => {
    expect(kubectlMinor('Client Version: v1.32.4-dispatcher\nKustomize Version: v5.5.0')).toBe(32);
    expect(kubectlMinor('Client Version: v1.20.15')).toBe(20);
    expect(kubectlMinor('garbage')).toBeUndefined();
  });

  it.skipIf(kustomizeUnavailable)('renders both overlays into namespaced documents', () => {
    for (const [overlay, namespace] of [
      ['dev', 'blog-dev'],
      ['prod', 'blog'],
    ] as const) {
      const docs = kustomizeBuild(deployPaths.overlays[overlay]);
      const deployment = docs.find(
        (d) => d.kind === 'Deployment' && (d.metadata as { name: string }).name === 'auth',
      );
      expect((deployment?.metadata as { namespace?: string }).namespace).toBe(namespace);
    }
  });
});
