// Marked regions: a hand-written file keeps its own text and gives the lines between two markers to the renderer,
//   # render:begin services (npm run render, from libs/catalog)
//   ...rendered lines...
//   # render:end services
// with the marker's comment syntax (#, --, //). The rendered lines take the begin marker's indentation.

/** RegionRenderer returns a region's lines (without the marker's indentation). */
export type RegionRenderer = () => string;

const BEGIN = /^(\s*)(#|--|\/\/) render:begin ([\w-]+)/;

/** fillRegions replaces every marked region of text with its renderer's lines; an unknown or unclosed region throws. */
export function fillRegions(
  text: string,
  regions: Readonly<Record<string, RegionRenderer>>,
  file: string,
): string {
  const lines = text.split('\n');
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    out.push(line);
    const match = BEGIN.exec(line);
    if (!match) continue;
    const [, indent = '', comment, id = ''] = match;
    const render = regions[id];
    if (!render) throw new Error(`${file}: region ${id} has no renderer`);
    const end = `${comment} render:end ${id}`;
    const close = lines.findIndex((l, j) => j > i && l.trim() === end);
    if (close < 0) throw new Error(`${file}: region ${id} is not closed by "${end}"`);
    const body = render().replace(/\n+$/, '');
    if (body !== '') out.push(...body.split('\n').map((l) => (l === '' ? '' : indent + l)));
    out.push(lines[close] ?? '');
    seen.add(id);
    i = close;
  }
  const missing = Object.keys(regions).filter((id) => !seen.has(id));
  if (missing.length > 0) throw new Error(`${file}: regions ${missing.join(', ')} have no markers`);
  return out.join('\n');
}

/** fillTemplate replaces `{{key}}` in a template; a line that is only `{{key}}` takes a block, indented alike. */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  file: string,
): string {
  const value = (key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`${file}: no value for {{${key}}}`);
    return v;
  };
  return template
    .split('\n')
    .flatMap((line) => {
      const block = /^(\s*)\{\{(\w+)\}\}\s*$/.exec(line);
      if (!block) return [line.replace(/\{\{(\w+)\}\}/g, (_, key: string) => value(key))];
      const [, indent = '', key = ''] = block;
      const text = value(key).replace(/\n+$/, '');
      return text === '' ? [] : text.split('\n').map((l) => (l === '' ? '' : indent + l));
    })
    .join('\n');
}
