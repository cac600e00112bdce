import { describe, expect, it } from 'vitest';
import { repoRoot } from '../stack/config';
import { fillRegions, fillTemplate } from './regions';
import { RENDER_COMMAND, renderAll } from './render';

describe('files rendered from the catalog', () => {
  it.each(renderAll(repoRoot).map((r) => [r.path, r] as const))('%s equals a fresh rendering', (path, r) => {
    expect(r.current, `${path} is missing: run \`${RENDER_COMMAND}\``).toBeDefined();
    expect(r.current === r.fresh, `${path} differs from libs/catalog: run \`${RENDER_COMMAND}\``).toBe(true);
  });

  it('renders one manifest per service from the one template', () => {
    const manifests = renderAll(repoRoot).filter((r) => r.path.startsWith('deploy/k8s/base/apps/'));
    const blog = manifests.find((r) => r.path.endsWith('/blog.yaml'))?.fresh ?? '';
    expect(blog).toContain("GRPC_PORT: '7053'");
    expect(blog).toContain('postgres://blog_svc:$(DB_PASSWORD)@blog-db-rw:5432/blog');
    expect(blog).not.toContain('{{');
  });
});

describe('regions', () => {
  const text = ['keep', '  # render:begin list (note)', '  stale', '  # render:end list', 'tail'].join('\n');

  it('replaces only the lines between the markers, indented like the begin marker', () => {
    expect(fillRegions(text, { list: () => 'a\nb' }, 'f')).toBe(
      ['keep', '  # render:begin list (note)', '  a', '  b', '  # render:end list', 'tail'].join('\n'),
    );
  });

  it('refuses a region without a renderer, an unclosed one and a renderer without a region', () => {
    expect(() => fillRegions(text, {}, 'f')).toThrow(/list has no renderer/);
    expect(() => fillRegions('# render:begin x\n', { x: () => '' }, 'f')).toThrow(/not closed/);
    expect(() => fillRegions(text, { list: () => '', other: () => '' }, 'f')).toThrow(
      /other have no markers/,
    );
  });

  it('fills a template: inline values and indented blocks, an empty block leaves no line', () => {
    const template = 'name: {{name}}\nenv:\n  {{env}}\n  {{none}}\nend';
    expect(fillTemplate(template, { name: 'x', env: 'A: 1\nB: 2', none: '' }, 't')).toBe(
      'name: x\nenv:\n  A: 1\n  B: 2\nend',
    );
    expect(() => fillTemplate('{{missing}}', {}, 't')).toThrow(/no value for \{\{missing\}\}/);
  });
});
