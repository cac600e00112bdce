// `npm run certs -- [--out DIR] [--rotate] [--owner UID:GID]`: DEVELOPMENT ONLY mTLS certificates for every workload
// of the catalog (tools/stack/certs.ts). Default DIR: the local stack's .stack/certs (a stack start does this too).
// compose's one-shot `certs` job writes into its volumes with --out /certs --owner 65532:65532 (the apps' user).
import { parseArgs } from 'node:util';
import { certsDir, ensureCertificates } from '../stack/certs';
import { loadStackConfig } from '../stack/config';
import { StackError } from '../stack/errors';

/** main runs the command and returns its exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      rotate: { type: 'boolean', default: false },
      owner: { type: 'string' },
    },
    strict: true,
  });
  const owner = values.owner === undefined ? undefined : parseOwner(values.owner);
  const dir = values.out ?? certsDir(loadStackConfig());
  const report = await ensureCertificates(dir, undefined, { rotate: values.rotate, owner });
  const what = report.newCa
    ? `a new development CA and ${report.issued.length} certificates`
    : report.issued.length > 0
      ? `re-issued ${report.issued.join(', ')}`
      : 'every certificate valid, nothing to do';
  console.log(`certs: ${what} in ${dir} (DEVELOPMENT ONLY)`);
  return 0;
}

function parseOwner(text: string): { uid: number; gid: number } {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new StackError(`--owner "${text}": expected UID:GID, e.g. 65532:65532`);
  return { uid: Number(match[1]), gid: Number(match[2]) };
}
