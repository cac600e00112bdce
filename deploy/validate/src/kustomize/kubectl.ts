// The overlays rendered by the real kustomize: `kubectl kustomize` (kubectl >= 1.27 embeds kustomize v5, which the
// overlays' `patches` field needs). Where no such kubectl is installed the Kubernetes checks cannot run; the tests
// that need it skip themselves and print why (kustomizeUnavailable).
import { execFileSync } from 'node:child_process';
import { type Doc, parseYamlDocs } from '../yaml';

/** MIN_KUBECTL is the oldest kubectl whose kustomize renders these overlays (kustomize v5). */
export const MIN_KUBECTL = { major: 1, minor: 27 } as const;

/** kubectlMinor parses `kubectl version --client` output into its minor version, or undefined. */
export function kubectlMinor(versionOutput: string): number | undefined {
  const match = /Client Version: v(\d+)\.(\d+)/.exec(versionOutput);
  return match && Number(match[1]) === MIN_KUBECTL.major ? Number(match[2]) : undefined;
}

/** kustomizeUnavailable says why the overlays cannot be rendered here, or undefined when they can. */
export const kustomizeUnavailable: string | undefined = (() => {
  let output: string;
  try {
    output = execFileSync('kubectl', ['version', '--client'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch {
    return 'kubectl is not installed (the Kubernetes checks render the overlays with `kubectl kustomize`)';
  }
  const minor = kubectlMinor(output);
  if (minor === undefined || minor < MIN_KUBECTL.minor)
    return `kubectl ${output.trim().split('\n')[0]} is older than ${MIN_KUBECTL.major}.${MIN_KUBECTL.minor} (its kustomize lacks \`patches\`)`;
  return undefined;
})();

if (kustomizeUnavailable)
  console.warn(
    `SKIPPED: the Kubernetes checks of deploy/validate: ${kustomizeUnavailable}. Install kubectl >= 1.27.`,
  );

/** kustomizeBuild renders a kustomization directory with `kubectl kustomize` and parses the documents. */
export function kustomizeBuild(dir: string): Doc[] {
  if (kustomizeUnavailable) throw new Error(kustomizeUnavailable);
  return parseYamlDocs(
    execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
  );
}
