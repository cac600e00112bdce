import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerMessage } from './broker';
import { nextOffset } from './broker';
import { MemoryBroker } from './memory';

const value = (text: string) => Buffer.from(text);
const texts = (messages: BrokerMessage[]) => messages.map((m) => m.value?.toString());

describe('MemoryBroker', () => {
  let broker: MemoryBroker;
  afterEach(() => broker.stop());

  it('keeps one key in one partition, in publish order', async () => {
    broker = new MemoryBroker({ partitions: 3 });
    await broker.start();
    const keys = ['a', 'b', 'c', 'd', 'e'];
    for (let i = 0; i < 20; i++) {
      await broker.publish('t', [
        { key: keys[i % keys.length], value: value(`${keys[i % keys.length]}${i}`) },
      ]);
    }
    const seen: BrokerMessage[] = [];
    await broker.subscribe({ topics: ['t'], groupId: 'g', handler: async (m) => void seen.push(m) });
    await broker.idle();

    expect(seen).toHaveLength(20);
    for (const key of keys) {
      const ofKey = seen.filter((m) => m.key === key);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      expect(texts(ofKey)).toEqual(texts(broker.records('t').filter((m) => m.key === key)));
      expect(ofKey.map((m) => Number(m.value?.toString().slice(1)))).toEqual(
        [...ofKey.map((m) => Number(m.value?.toString().slice(1)))].sort((x, y) => x - y),
      );
    }
  });

  it('splits partitions between the members of a group and gives every group every record', async () => {
    broker = new MemoryBroker({ partitions: 4 });
    await broker.start();
    const byMember: Record<string, BrokerMessage[]> = { m1: [], m2: [], other: [] };
    await broker.subscribe({ topics: ['t'], groupId: 'g', handler: async (m) => void byMember.m1.push(m) });
    await broker.subscribe({ topics: ['t'], groupId: 'g', handler: async (m) => void byMember.m2.push(m) });
    await broker.subscribe({
      topics: ['t'],
      groupId: 'h',
      handler: async (m) => void byMember.other.push(m),
    });
    await broker.publish(
      't',
      Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: value(String(i)) })),
    );
    await broker.idle();

    expect(byMember.m1.length + byMember.m2.length).toBe(40);
    expect(byMember.m1.length).toBeGreaterThan(0);
    expect(byMember.m2.length).toBeGreaterThan(0);
    const partitionsOf = (ms: BrokerMessage[]) => new Set(ms.map((m) => m.partition));
    const shared = [...partitionsOf(byMember.m1)].filter((p) => partitionsOf(byMember.m2).has(p));
    expect(shared).toEqual([]);
    expect(byMember.other).toHaveLength(40);
  });

  it('redelivers a rejected record before anything after it in its partition, then commits', async () => {
    broker = new MemoryBroker({ partitions: 1, redeliveryDelayMs: 1 });
    await broker.start();
    const seen: string[] = [];
    let failuresLeft = 2;
    await broker.subscribe({
      topics: ['t'],
      groupId: 'g',
      handler: async (m) => {
        seen.push(String(m.value));
        if (String(m.value) === 'second' && failuresLeft-- > 0) throw new Error('boom');
      },
    });
    await broker.publish(
      't',
      ['first', 'second', 'third'].map((v) => ({ key: 'k', value: value(v) })),
    );
    await broker.idle();

    expect(seen).toEqual(['first', 'second', 'second', 'second', 'third']);
    expect(broker.committedOffset('g', 't', 0)).toBe(3);
  });

  it('resumes a group from its committed offset after its member left', async () => {
    broker = new MemoryBroker({ partitions: 1 });
    await broker.start();
    const first: string[] = [];
    const sub = await broker.subscribe({
      topics: ['t'],
      groupId: 'g',
      handler: async (m) => void first.push(String(m.value)),
    });
    await broker.publish('t', [{ key: 'k', value: value('1') }]);
    await broker.idle();
    await sub.stop();
    await broker.publish('t', [{ key: 'k', value: value('2') }]);
    const second: string[] = [];
    await broker.subscribe({
      topics: ['t'],
      groupId: 'g',
      handler: async (m) => void second.push(String(m.value)),
    });
    await broker.idle();

    expect(first).toEqual(['1']);
    expect(second).toEqual(['2']);
  });

  it('starts a new group at the end when fromBeginning is false', async () => {
    broker = new MemoryBroker({ partitions: 1 });
    await broker.start();
    await broker.publish('t', [{ key: 'k', value: value('old') }]);
    const seen: string[] = [];
    await broker.subscribe({
      topics: ['t'],
      groupId: 'late',
      fromBeginning: false,
      handler: async (m) => void seen.push(String(m.value)),
    });
    await broker.publish('t', [{ key: 'k', value: value('new') }]);
    await broker.idle();

    expect(seen).toEqual(['new']);
  });

  it('refuses to publish before start', async () => {
    broker = new MemoryBroker();
    await expect(broker.publish('t', [{ key: null, value: null }])).rejects.toThrow(/start/);
  });
});

describe('nextOffset', () => {
  it('adds one beyond the 53-bit range', () => {
    expect(nextOffset('41')).toBe('42');
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
  });
});

describe('MemoryBroker batches', () => {
  let broker: MemoryBroker;
  afterEach(() => broker.stop());

  it('hands a batchHandler the waiting records of one partition in order, capped, and commits after each batch', async () => {
    broker = new MemoryBroker({ partitions: 1 });
    await broker.start();
    await broker.publish(
      't',
      Array.from({ length: 7 }, (_, i) => ({ key: 'k', value: value(String(i)) })),
    );
    const batches: string[][] = [];
    await broker.subscribe({
      topics: ['t'],
      groupId: 'g',
      handler: async () => expect.unreachable('a batchHandler is given'),
      batchHandler: async (messages) => {
        batches.push(texts([...messages]) as string[]);
        expect(broker.committedOffset('g', 't', 0)).toBe(Number(messages[0].offset));
      },
      maxBatchSize: 3,
    });
    await broker.idle();

    expect(batches).toEqual([['0', '1', '2'], ['3', '4', '5'], ['6']]);
    expect(broker.committedOffset('g', 't', 0)).toBe(7);
  });

  it('delivers a rejected batch again whole, before anything after it', async () => {
    broker = new MemoryBroker({ partitions: 1, redeliveryDelayMs: 1 });
    await broker.start();
    await broker.publish(
      't',
      [0, 1, 2].map((i) => ({ key: 'k', value: value(String(i)) })),
    );
    const batches: string[][] = [];
    let rejections = 1;
    await broker.subscribe({
      topics: ['t'],
      groupId: 'g',
      handler: async () => undefined,
      batchHandler: async (messages) => {
        batches.push(texts([...messages]) as string[]);
        if (rejections-- > 0) throw new Error('not now');
      },
    });
    await broker.idle();

    expect(batches).toEqual([
      ['0', '1', '2'],
      ['0', '1', '2'],
    ]);
    expect(broker.committedOffset('g', 't', 0)).toBe(3);
  });
});
