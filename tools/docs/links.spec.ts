// The repository stands alone: no Markdown file in it links to a path outside the repository, and every relative
// link points at a file or folder that exists (a moved document breaks the build, not the reader).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');

/** markdownFiles are the tracked and new (not ignored) Markdown files of the working tree. */
function markdownFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], {
    cwd: root,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter(Boolean)
    .filter((file) => existsSync(resolve(root, file)));
}

/** relativeLinks returns the targets of inline Markdown links and images that are not URLs or anchors. */
export function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const targets = [...withoutCode.matchAll(/!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
    (m) => m[1] ?? '',
  );
  return targets.filter((target) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target));
}

describe('Markdown links', () => {
  it('finds the links it must judge', () => {
    expect(relativeLinks('see [a](docs/a.md), [b](https://x.test), [c](#top), `[d](../e.md)`')).toEqual([
      'docs/a.md',
    ]);
  });

  it('stay inside the repository and point at something that exists', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const file of files) {
      for (const target of relativeLinks(readFileSync(resolve(root, file), 'utf8'))) {
        const path = resolve(dirname(resolve(root, file)), decodeURI(target.split('#')[0] ?? ''));
        if (relative(root, path).startsWith('..')) problems.push(`${file}: ${target} leaves the repository`);
        else if (!existsSync(path)) problems.push(`${file}: ${target} does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });
});
