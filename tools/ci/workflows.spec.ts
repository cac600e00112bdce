// The GitHub Actions workflows are checked here, where they cannot run: action-validator (`@action-validator/cli`,
// the workflow and action JSON schemas of SchemaStore, compiled to WebAssembly) validates every file of
// .github/workflows, and a broken copy proves it refuses what the forge would refuse.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '..', '..');
const workflowsDir = join(repo, '.github', 'workflows');
const validator = join(repo, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'workflows-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** validate runs action-validator on one file: its exit status and what it printed. */
function validate(file: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(process.execPath, [validator, file], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const workflows = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name));

describe('GitHub Actions workflows', () => {
  it('there is a workflow with every CI job the project promises', () => {
    const ci = readFileSync(join(workflowsDir, 'ci.yml'), 'utf8');
    for (const step of [
      'npm run lint',
      'npm run format:check',
      'npm run proto:breaking',
      'npm run test:unit',
      'npm run test:stack',
      'docker buildx build',
      'npm run test:compose',
      'deploy:test',
    ])
      expect(ci).toContain(step);
  });

  for (const name of workflows) {
    it(`${name} is a valid workflow`, () => {
      const result = validate(join(workflowsDir, name));
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    });
  }

  it('a broken workflow is refused (a job without runs-on, a misspelt key)', () => {
    const broken = readFileSync(join(workflowsDir, 'ci.yml'), 'utf8')
      .replace('    runs-on: ubuntu-latest\n    timeout-minutes: 20\n', '    timeout-minutes: 20\n')
      .replace('timeout-minutes: 15', 'timeout-minute: 15');
    const file = join(scratch, 'broken.yml');
    writeFileSync(file, broken);
    const result = validate(file);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/runs-on|timeout-minute/);
  });
});
