// deploy/k8s/overlays/dev/create-dev-secrets.sh, run for real against a recording kubectl (there is no cluster here):
// it must create every Secret key the dev overlay references, and auth must accept the signing key it generates.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AppConfigs, loadAppConfigs } from '../app-env/config-schema';
import { kustomizeBuild, kustomizeUnavailable } from '../kustomize/kubectl';
import { deployPaths, repoRoot } from '../paths';
import { type Doc } from '../yaml';

/** A kubectl that records each call (arguments, and stdin when a Secret value comes through it). */
const STUB = `#!/bin/sh
n=$(( $(cat "$STUB_DIR/count" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$STUB_DIR/count"
printf '%s\\n' "$@" > "$STUB_DIR/$n.args"
case " $* " in
  *" get secret "*) for s in $STUB_EXISTING; do case " $* " in *" $s "*) exit 0 ;; esac; done; exit 1 ;;
  *"=/dev/stdin"*) cat > "$STUB_DIR/$n.stdin" ;;
  *" apply "*) cat > /dev/null ;;
esac
exit 0
`;

interface Call {
  args: string[];
  stdin?: string;
}

/** run executes the script with the recording kubectl; `existing` Secrets are reported as present. */
function run(existing: readonly string[] = []): Call[] {
  const dir = mkdtempSync(join(tmpdir(), 'dev-secrets-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'kubectl'), STUB);
  chmodSync(join(bin, 'kubectl'), 0o755);
  try {
    execFileSync('sh', [join(deployPaths.overlays.dev, 'create-dev-secrets.sh'), 'blog-test'], {
      // The script's `node` is this test's Node.js; openssl and the shell tools come from the system.
      env: {
        PATH: [bin, dirname(process.execPath), process.env.PATH].join(delimiter),
        STUB_DIR: dir,
        STUB_EXISTING: existing.join(' '),
      },
      stdio: 'pipe',
    });
    const count = Number(readFileSync(join(dir, 'count'), 'utf8'));
    return Array.from({ length: count }, (_, i) => {
      const base = join(dir, String(i + 1));
      const args = readFileSync(`${base}.args`, 'utf8').trimEnd().split('\n');
      return { args, stdin: existsSync(`${base}.stdin`) ? readFileSync(`${base}.stdin`, 'utf8') : undefined };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** createdSecrets maps each Secret the calls create to its keys and values. */
function createdSecrets(calls: readonly Call[]): Record<string, Record<string, string>> {
  const secrets: Record<string, Record<string, string>> = {};
  for (const { args, stdin } of calls) {
    const at = args.indexOf('generic');
    if (args[at - 2] !== 'create' || args[at - 1] !== 'secret') continue;
    const data: Record<string, string> = {};
    for (const arg of args) {
      const literal = /^--from-literal=([^=]+)=(.*)$/.exec(arg);
      const file = /^--from-file=([^=]+)=\/dev\/stdin$/.exec(arg);
      if (literal) data[literal[1]] = literal[2];
      if (file) data[file[1]] = stdin ?? '';
    }
    secrets[args[at + 1]] = data;
  }
  return secrets;
}

/** referencedKeys lists Secret name -> keys the rendered documents read (secretKeyRef; CNPG basic-auth Secrets). */
function referencedKeys(docs: readonly Doc[]): Record<string, Set<string>> {
  const refs: Record<string, Set<string>> = {};
  const add = (name: string, key: string) => (refs[name] ??= new Set()).add(key);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        const ref = v as { name?: string; key?: string };
        if (k === 'secretKeyRef' && ref.name && ref.key) add(ref.name, ref.key);
        const basicAuth = k === 'passwordSecret' ? ref.name : undefined;
        if (basicAuth) ['username', 'password'].forEach((key) => add(basicAuth, key));
        walk(v);
      }
    }
  };
  walk(docs);
  // A KafkaUser's Secret (its SCRAM password) comes from Strimzi's User Operator, not from the script.
  for (const doc of docs) if (doc.kind === 'KafkaUser') delete refs[(doc.metadata as { name: string }).name];
  return refs;
}

let configs: AppConfigs;
let calls: Call[];

beforeAll(async () => {
  configs = await loadAppConfigs(['auth', 'api-gateway']);
  calls = run();
});

describe('deploy/k8s/overlays/dev/create-dev-secrets.sh', () => {
  it.skipIf(kustomizeUnavailable)('creates every Secret key the dev overlay references', () => {
    const secrets = createdSecrets(calls);
    const referenced = referencedKeys(kustomizeBuild(deployPaths.overlays.dev));
    expect(Object.keys(referenced).sort()).toEqual(Object.keys(secrets).sort());
    for (const [name, keys] of Object.entries(referenced))
      expect(Object.keys(secrets[name]).sort(), name).toEqual([...keys].sort());
    expect(secrets['blog-db-auth'].username).toBe('auth_svc');
    expect(secrets['blog-db-auth'].password).toMatch(/^[0-9a-f]{48}$/);
  });

  it('generates a dev-only Ed25519 signing key that auth accepts, and a salt the gateway accepts', async () => {
    const secrets = createdSecrets(calls);
    const keys = configs.auth.schema.shape.AUTH_JWT_PRIVATE_KEYS.safeParse(
      secrets['blog-auth-jwt'].AUTH_JWT_PRIVATE_KEYS,
    );
    expect(keys.success).toBe(true);
    // The same import auth does at start: the pair must sign and verify.
    const { createKeyRing } = (await import(join(repoRoot, 'apps/auth/src/tokens/signing-keys.ts'))) as {
      createKeyRing(jwks: unknown): Promise<{ signing: { kid: string } }>;
    };
    const ring = await createKeyRing(keys.data);
    expect(ring.signing.kid).toMatch(/^dev-only-[0-9a-f-]{36}$/);
    expect(
      configs['api-gateway'].schema.shape.VIEWER_HASH_SALT.safeParse(
        secrets['blog-api-gateway'].VIEWER_HASH_SALT,
      ).success,
    ).toBe(true);
    const annotated = calls
      .filter((c) => c.args.includes('annotate'))
      .map((c) => c.args[c.args.indexOf('secret') + 1]);
    expect(annotated.sort()).toEqual([
      'blog-api-gateway',
      'blog-auth-jwt',
      'blog-console',
      'blog-db-console',
    ]);
    expect(calls.every((c) => !c.args.some((a) => a.includes('"d":')))).toBe(true);
  });

  it('keeps Secrets that exist', () => {
    const again = run(Object.keys(createdSecrets(calls)));
    expect(createdSecrets(again)).toEqual({});
  });
});
