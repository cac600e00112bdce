import { describe, expect, it } from 'vitest';
import { type Node, nodeAt } from '../registry/registry';
import { skipUnavailable } from './available.filter';
import { random } from './random.strategy';
import { roundRobin } from './round-robin.strategy';
import type { Next } from './selector';

const nodes = ['a:1', 'b:1', 'c:1'].map(nodeAt);
const tally = (next: Next, picks: number) => {
  const counts: Record<string, number> = {};
  for (let i = 0; i < picks; i++) {
    const node = next();
    if (node) counts[node.address] = (counts[node.address] ?? 0) + 1;
  }
  return counts;
};

describe('strategies', () => {
  it('roundRobin hands out nodes in turn', () => {
    const next = roundRobin(nodes);
    expect([next(), next(), next(), next()].map((n) => n?.address)).toEqual(['a:1', 'b:1', 'c:1', 'a:1']);
    expect(tally(roundRobin(nodes), 300)).toEqual({ 'a:1': 100, 'b:1': 100, 'c:1': 100 });
  });

  it('random only picks listed nodes, and each of them', () => {
    const counts = tally(random(nodes), 300);
    expect(Object.keys(counts).sort()).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it.each([
    ['roundRobin', roundRobin],
    ['random', random],
  ])('%s picks nothing from an empty list', (_name, strategy) => {
    expect(strategy([])()).toBeUndefined();
  });
});

describe('skipUnavailable', () => {
  const down = new Set<string>();
  const isAvailable = (node: Node) => !down.has(node.address);

  it('skips a failing node and keeps round-robin even over the others', () => {
    down.clear();
    down.add('b:1');
    expect(tally(skipUnavailable(roundRobin, isAvailable)(nodes), 100)).toEqual({ 'a:1': 50, 'c:1': 50 });
  });

  it('never returns a failing node while another exists, even with a random strategy', () => {
    down.clear();
    down.add('a:1').add('b:1');
    expect(tally(skipUnavailable(random, isAvailable)(nodes), 500)).toEqual({ 'c:1': 500 });
  });

  it('still tries a node when every node is failing', () => {
    down.clear();
    for (const n of nodes) down.add(n.address);
    const next = skipUnavailable(roundRobin, isAvailable)(nodes);
    expect(tally(next, 3)).toEqual({ 'a:1': 1, 'b:1': 1, 'c:1': 1 });
  });
});
