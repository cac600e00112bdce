// The contract layer's own checks: pact drift is caught, the replayer's shape matching fails where it should, a
// broken payload fails Pact verification naming the consumer and the field (on a temporary copy of a committed pact),
// and every topic's producer is held to at least one pact.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregateTypes } from '@blog/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractBreak, verifyProducer } from './message-provider';
import { Interactions } from './interactions';
import { committedPacts, comparePacts, PACTS_DIR, readPact } from './pact-files';
import { matchShape } from './rpc-contract';

const temporary: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'contracts-spec-'));
  temporary.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pact files', () => {
  it('finds no drift when the generated pacts are the committed ones', () => {
    const dir = tempDir();
    for (const path of committedPacts({ consumer: 'visitor' }))
      cpSync(path, join(dir, path.slice(PACTS_DIR.length + 1)));
    expect(comparePacts('visitor', dir, false)).toEqual([]);
  });

  it('reports a generated pact that differs from the committed one, and a committed one no longer generated', () => {
    const dir = tempDir();
    const [path] = committedPacts({ consumer: 'visitor' });
    const pact = readPact(path);
    pact.interactions[0].description = 'changed';
    writeFileSync(join(dir, 'visitor-blog.json'), JSON.stringify(pact));
    expect(comparePacts('visitor', dir, false)).toEqual([{ file: 'visitor-blog.json', problem: 'differs' }]);
    expect(comparePacts('visitor', tempDir(), false)).toEqual([
      { file: 'visitor-blog.json', problem: 'stale' },
    ]);
  });

  it("holds every topic's producer to at least one consumer's pact", () => {
    const providers = new Set(committedPacts().map((path) => readPact(path).provider.name));
    const owners = Object.values(AggregateTypes).map((type) => type.split('.')[0]);
    expect([...providers].sort()).toEqual([...new Set(owners)].sort());
  });
});

describe('provider verification', () => {
  it('fails a payload with a renamed field, naming the consumer and the field (a temporary copy of the pact)', async () => {
    const dir = tempDir();
    const copy = join(dir, 'visitor-blog.json');
    cpSync(join(PACTS_DIR, 'visitor-blog.json'), copy);
    const good = {
      blogId: '3f1b2c4d-0000-4000-8000-000000000001',
      ownerId: '3f1b2c4d-0000-4000-8000-000000000002',
    };
    await verifyProducer(
      'blog',
      { [Interactions.blog.blogDeleting]: async () => good },
      { pactUrls: [copy] },
    );

    const { ownerId, ...rest } = good;
    const renamed = { ...rest, owner_id: ownerId };
    const failure = await verifyProducer(
      'blog',
      { [Interactions.blog.blogDeleting]: async () => renamed },
      { pactUrls: [copy] },
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractBreak);
    expect((failure as ContractBreak).message).toContain('consumer visitor');
    expect((failure as ContractBreak).message).toContain('ownerId');
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual(readPact(join(PACTS_DIR, 'visitor-blog.json')));
  });
});

describe('matchShape', () => {
  it('accepts kinds, equal literals, extra fields, and every element of a list', () => {
    expect(
      matchShape(
        { id: '<uuid>', n: '<number>', tags: ['<string>'], at: '<timestamp>', status: 'ACTIVE' },
        {
          id: '3f1b2c4d-0000-4000-8000-000000000001',
          n: 2,
          tags: ['a', 'b'],
          at: '2026-01-01T00:00:00.000Z',
          status: 'ACTIVE',
          extra: true,
        },
      ),
    ).toEqual([]);
  });

  it('names the path of a missing field, a wrong kind, an unequal literal and an empty list', () => {
    expect(
      matchShape(
        { a: { b: '<string>' }, n: '<number>', s: 'ACTIVE', l: ['<string>'] },
        { a: {}, n: '1', s: 'X', l: [] },
      ),
    ).toEqual([
      { path: '$.a.b', problem: 'missing' },
      { path: '$.n', problem: 'expected <number>, got "1"' },
      { path: '$.s', problem: 'expected "ACTIVE", got "X"' },
      { path: '$.l', problem: 'expected a non-empty list, got []' },
    ]);
  });
});
