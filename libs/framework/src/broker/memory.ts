// An in-process Broker for unit tests: partitioned topics, per-key order, consumer groups with committed offsets
// and redelivery of a record (or batch) whose handler rejected. It has no network, no persistence and no transactions.
import {
  batchingOf,
  type Broker,
  type BrokerMessage,
  type DeliveryContext,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
} from './broker';

/** MemoryBrokerOptions tunes the in-memory broker. */
export interface MemoryBrokerOptions {
  /** partitions of every topic (default 3, like the local stack's event topics). */
  partitions?: number;
  /** redeliveryDelayMs is the pause before a rejected record is delivered again (default 10). */
  redeliveryDelayMs?: number;
}

interface Member {
  topics: ReadonlySet<string>;
  batching: ReturnType<typeof batchingOf>;
  fromBeginning: boolean;
  stopped: boolean;
  inFlight: Set<Promise<void>>;
}

interface Group {
  members: Member[];
  /** committed maps `topic/partition` to the next offset to deliver. */
  committed: Map<string, number>;
  /** pumps maps `topic/partition` to its running delivery loop: one per partition keeps partition order. */
  pumps: Map<string, Promise<void>>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** MemoryBroker is the in-memory Broker (unit tests only). */
export class MemoryBroker implements Broker {
  private readonly partitions: number;
  private readonly redeliveryDelayMs: number;
  private readonly logs = new Map<string, BrokerMessage[][]>();
  private readonly groups = new Map<string, Group>();
  private roundRobin = 0;
  private started = false;

  constructor(options: MemoryBrokerOptions = {}) {
    this.partitions = options.partitions ?? 3;
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 10;
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    for (const group of this.groups.values()) {
      for (const member of [...group.members]) await this.leave(group, member);
    }
    this.started = false;
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.assertStarted();
    const log = this.log(topic);
    for (const message of messages) {
      const partition =
        message.key === null ? this.roundRobin++ % this.partitions : hash(message.key) % this.partitions;
      log[partition].push({
        topic,
        partition,
        offset: String(log[partition].length),
        key: message.key,
        value: message.value,
        headers: { ...message.headers },
        timestamp: String(Date.now()),
      });
    }
    this.kickAll();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertStarted();
    const group = this.group(options.groupId);
    const member: Member = {
      topics: new Set(options.topics),
      batching: batchingOf(options),
      fromBeginning: options.fromBeginning ?? true,
      stopped: false,
      inFlight: new Set(),
    };
    group.members.push(member);
    this.kick(group);
    return { stop: () => this.leave(group, member) };
  }

  /** records returns every record of a topic, partition by partition (for assertions). */
  records(topic: string): BrokerMessage[] {
    return (this.logs.get(topic) ?? []).flat();
  }

  /** committedOffset returns the next offset a group will read from a partition, or undefined. */
  committedOffset(groupId: string, topic: string, partition: number): number | undefined {
    return this.groups.get(groupId)?.committed.get(`${topic}/${partition}`);
  }

  /** idle resolves once every group has processed every record it can reach. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.groups.values()].flatMap((group) => [...group.pumps.values()]);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  private assertStarted(): void {
    if (!this.started) throw new Error('MemoryBroker: call start() first');
  }

  private log(topic: string): BrokerMessage[][] {
    let log = this.logs.get(topic);
    if (!log) {
      log = Array.from({ length: this.partitions }, () => []);
      this.logs.set(topic, log);
    }
    return log;
  }

  private group(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { members: [], committed: new Map(), pumps: new Map() };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private async leave(group: Group, member: Member): Promise<void> {
    member.stopped = true;
    group.members = group.members.filter((m) => m !== member);
    await Promise.all(member.inFlight);
    this.kick(group);
  }

  /** owner assigns partition p of a topic to one member, round-robin over the members subscribed to it. */
  private owner(group: Group, topic: string, partition: number): Member | undefined {
    const candidates = group.members.filter((m) => m.topics.has(topic));
    return candidates[partition % Math.max(candidates.length, 1)];
  }

  private kickAll(): void {
    for (const group of this.groups.values()) this.kick(group);
  }

  private kick(group: Group): void {
    const topics = new Set(group.members.flatMap((m) => [...m.topics]));
    for (const topic of topics) {
      for (let partition = 0; partition < this.partitions; partition++) {
        const key = `${topic}/${partition}`;
        if (group.pumps.has(key)) continue;
        // Started on the next microtask, so a handler that publishes cannot re-enter kick() for this partition.
        const pump = Promise.resolve()
          .then(() => this.pump(group, topic, partition))
          .finally(() => {
            group.pumps.delete(key);
            // A record published while this pump was winding down found it still registered: look again.
            if (
              this.owner(group, topic, partition) &&
              (group.committed.get(key) ?? 0) < this.log(topic)[partition].length
            ) {
              this.kick(group);
            }
          });
        group.pumps.set(key, pump);
      }
    }
  }

  private async pump(group: Group, topic: string, partition: number): Promise<void> {
    const key = `${topic}/${partition}`;
    const log = this.log(topic)[partition];
    let failures = 0;
    for (;;) {
      const member = this.owner(group, topic, partition);
      if (!member) return;
      if (!group.committed.has(key)) group.committed.set(key, member.fromBeginning ? 0 : log.length);
      const offset = group.committed.get(key) ?? 0;
      if (offset >= log.length) return;
      const context: DeliveryContext = {
        heartbeat: async () => undefined,
        isStopping: () => member.stopped || this.owner(group, topic, partition) !== member,
      };
      // Like the Kafka brokers' batching: what is there already goes together, up to the cap; nothing waits.
      const batch = log.slice(offset, offset + member.batching.maxBatchSize);
      const delivery = member.batching.handler(batch, context);
      const settled = delivery.then(
        () => undefined,
        () => undefined,
      );
      member.inFlight.add(settled);
      try {
        await delivery;
        group.committed.set(key, offset + batch.length);
        failures = 0;
      } catch {
        failures++;
        await sleep(Math.min(this.redeliveryDelayMs * 2 ** (failures - 1), 1_000));
      } finally {
        member.inFlight.delete(settled);
      }
    }
  }
}

/** hash is FNV-1a: any stable hash keeps one key on one partition, which is all per-key order needs. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
