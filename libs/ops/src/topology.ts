// The architecture as the code declares it, read from the apps' sources (not drawn by hand): which events each
// service handles (its inbox consumer's `.on(Event, ...)` registrations), which events it emits (its
// `emit(Event, ...)` calls), which topic each event travels on (the aggregate type of the emitting service's outbox)
// and which services each app calls over gRPC (its clients and the catalog's callers).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { services as catalogServices } from '@blog/catalog';
import { AggregateTypes, topicFor } from '@blog/proto';

/** Topology is the platform's map. */
export interface Topology {
  services: string[];
  /** rpc edges: caller -> callee. */
  rpc: { from: string; to: string }[];
  /** events: each event type, the topic it is on, who emits it and who handles it. */
  events: { type: string; topic: string; producer: string; consumers: string[] }[];
  /** topics: each topic with its producers and consumers. */
  topics: { topic: string; producers: string[]; consumers: string[] }[];
}

const aggregateOfApp: Record<string, string> = Object.fromEntries(
  Object.values(AggregateTypes).map((type: (typeof AggregateTypes)[keyof typeof AggregateTypes]) => [
    appOfAggregate(type),
    topicFor(type),
  ]),
);

function appOfAggregate(type: string): string {
  const owner = type.split('.')[0] ?? type;
  return owner === 'subscribe' ? 'subscribe' : owner;
}

/** scanTopology reads apps/<name>/src of the repository at `root`. */
export function scanTopology(root: string): Topology {
  const appsDir = join(root, 'apps');
  const apps = readdirSync(appsDir)
    .filter((name) => statSync(join(appsDir, name)).isDirectory())
    .sort();
  const handled = new Map<string, Set<string>>();
  const emitted = new Map<string, Set<string>>();
  const rpc: Topology['rpc'] = [];
  for (const app of apps) {
    const sources = sourceFiles(join(appsDir, app, 'src')).map((f) => readFileSync(f, 'utf8'));
    const on = new Set<string>();
    const out = new Set<string>();
    for (const text of sources) {
      // Typed events (@blog/proto descriptors): `consumer.on(UserCreated, ...)` and `emit(UserCreated, ...)`.
      for (const m of text.matchAll(/\.on\(\s*([A-Z]\w+)\s*,/g)) on.add(m[1] ?? '');
      for (const m of text.matchAll(/\bemit\(\s*([A-Z]\w+)\s*,/g)) out.add(m[1] ?? '');
      for (const m of text.matchAll(/createClient\([^,]+,\s*\{\s*service:\s*'(\w+)'/g))
        rpc.push({ from: app, to: m[1] ?? '' });
    }
    handled.set(app, on);
    emitted.set(app, out);
  }
  const events: Topology['events'] = [];
  for (const [producer, types] of emitted) {
    const topic = aggregateOfApp[producer];
    if (!topic) continue;
    for (const type of [...types].sort()) {
      const consumers = [...handled].filter(([, on]) => on.has(type)).map(([app]) => app);
      events.push({ type, topic, producer, consumers });
    }
  }
  const topics = Object.values(AggregateTypes).map((type) => {
    const topic = topicFor(type);
    const on = events.filter((e) => e.topic === topic);
    return {
      topic,
      producers: [...new Set(on.map((e) => e.producer))],
      consumers: [...new Set(on.flatMap((e) => e.consumers))].sort(),
    };
  });
  // Who may call whom is declared once, in the service catalog (the gateway's clients follow it).
  for (const service of catalogServices)
    for (const caller of service.callers)
      if (apps.includes(caller)) rpc.push({ from: caller, to: service.name });
  const unique = new Map(rpc.map((e) => [`${e.from}>${e.to}`, e]));
  return { services: apps, rpc: [...unique.values()], events, topics };
}

/** consumersOf returns the services that handle an event type. */
export function consumersOf(topology: Topology, type: string): string[] {
  return topology.events.find((e) => e.type === type)?.consumers ?? [];
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testing' && name !== 'migrations') out.push(...sourceFiles(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}
