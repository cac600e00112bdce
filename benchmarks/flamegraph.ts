// Renders a V8 .cpuprofile (node --cpu-prof, or the benchmarks' --cpu-prof) as a flame graph in SVG: one box per
// call path, as wide as the time spent in it and below it, callers at the bottom. Written here rather than taken from
// npm: the flame graph packages there draw in a browser (d3-flame-graph, speedscope) or capture their own profiles
// (0x), and this machine has no headless browser; an SVG of boxes is a page of code. Idle time is left out.
//
//   npx tsx benchmarks/flamegraph.ts <profile.cpuprofile> <out.svg> [title]
import { readFileSync, writeFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Frame is one box of the graph: a call path's name, its time (self + below) and its callees. */
interface Frame {
  readonly name: string;
  total: number;
  readonly children: Map<string, Frame>;
}

const WIDTH = 1800;
const ROW = 17;
const SKIPPED = new Set(['(idle)', '(root)']);

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.includes('node_modules/')
    ? url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length)
    : url.replace(/^file:\/\/.*?\/(apps|libs|benchmarks)\//, '$1/');
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
}

function build(profile: Profile): Frame {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const root: Frame = { name: 'all', total: 0, children: new Map() };
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    if (!node || SKIPPED.has(node.callFrame.functionName)) return;
    const time = profile.timeDeltas[index] ?? 0;
    const path: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame && !SKIPPED.has(frame.callFrame.functionName)) path.push(frameName(frame));
    }
    let frame = root;
    root.total += time;
    for (const name of path.reverse()) {
      let next = frame.children.get(name);
      if (!next) frame.children.set(name, (next = { name, total: 0, children: new Map() }));
      next.total += time;
      frame = next;
    }
  });
  return root;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function colour(name: string): string {
  // Warm colours by where the code lives, so the layers read at a glance.
  if (name.includes('apps/') || name.includes('libs/')) return 'hsl(30, 90%, 60%)';
  if (name.includes('fastify') || name.includes('find-my-way')) return 'hsl(50, 85%, 60%)';
  if (name.includes('@opentelemetry')) return 'hsl(280, 50%, 70%)';
  if (name.includes('grpc')) return 'hsl(200, 60%, 65%)';
  if (name.includes('pino') || name.includes('sonic-boom')) return 'hsl(140, 50%, 60%)';
  return 'hsl(10, 75%, 62%)';
}

function render(root: Frame, title: string): string {
  const boxes: string[] = [];
  let depth = 0;
  const draw = (frame: Frame, x: number, level: number) => {
    const width = (frame.total / root.total) * WIDTH;
    if (width < 0.3) return;
    depth = Math.max(depth, level);
    const label = width > 40 ? escape(frame.name.slice(0, Math.floor(width / 6.5))) : '';
    const share = ((frame.total / root.total) * 100).toFixed(2);
    boxes.push(
      `<g><title>${escape(frame.name)} (${share} %)</title><rect x="${x.toFixed(1)}" y="{Y${level}}" width="${width.toFixed(1)}" height="${ROW - 1}" fill="${colour(frame.name)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(1)}" y="{T${level}}">${label}</text>` : '') +
        `</g>`,
    );
    let childX = x;
    for (const child of [...frame.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      draw(child, childX, level + 1);
      childX += (child.total / root.total) * WIDTH;
    }
  };
  draw(root, 0, 0);
  const height = (depth + 1) * ROW + 40;
  const body = boxes
    .join('\n')
    .replace(/\{Y(\d+)\}/g, (_m, level: string) => String(height - (Number(level) + 1) * ROW - 5))
    .replace(/\{T(\d+)\}/g, (_m, level: string) => String(height - Number(level) * ROW - 9));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdf8"/>`,
    `<text x="6" y="18" font-size="14">${escape(title)}</text>`,
    body,
    `</svg>`,
  ].join('\n');
}

const [input, output, title] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: flamegraph.ts <profile.cpuprofile> <out.svg> [title]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(input, 'utf8')) as Profile;
writeFileSync(output, render(build(profile), title ?? input));
console.log(`${output}: flame graph of ${input}`);
