// One handle on a running platform for both faces: it opens Kafka and PostgreSQL on first use, and closes them.
import { openDatabase, type Database } from './database';
import { DeadLetters } from './dlq';
import { connectEventLog, type EventLog } from './event-log';
import { Sagas } from './sagas';
import type { OpsTarget } from './target';
import { scanTopology, type Topology } from './topology';

/** Ops gives the operations on one target. */
export class Ops {
  private eventLog?: Promise<EventLog>;
  private database?: Promise<Database>;
  private map?: Topology;

  constructor(
    readonly target: OpsTarget,
    /** repoRoot is where the apps' sources are (the topology is read from them). */
    private readonly repoRoot: string,
  ) {}

  /** topology is the architecture map read from the code. */
  topology(): Topology {
    this.map ??= scanTopology(this.repoRoot);
    return this.map;
  }

  log(): Promise<EventLog> {
    // A failed connection is not kept: the next call tries again (the stack may be up by then).
    this.eventLog ??= connectEventLog(this.target.kafkaBrokers, this.target.kafkaSasl).catch(
      (error: unknown) => {
        this.eventLog = undefined;
        throw error;
      },
    );
    return this.eventLog;
  }

  db(): Promise<Database> {
    this.database ??= openDatabase(this.target.databaseUrl).catch((error: unknown) => {
      this.database = undefined;
      throw error;
    });
    return this.database;
  }

  /** deadLetters works on the dead-letter topics. */
  async deadLetters(actor = this.target.actor): Promise<DeadLetters> {
    return new DeadLetters(await this.log(), await this.db(), actor);
  }

  /** sagas reads saga timelines. */
  async sagas(): Promise<Sagas> {
    const letters = await this.deadLetters();
    return new Sagas(await this.log(), await this.db(), this.target, this.topology(), () => letters.list());
  }

  async close(): Promise<void> {
    const log = this.eventLog;
    const db = this.database;
    this.eventLog = undefined;
    this.database = undefined;
    await Promise.allSettled([log?.then((l) => l.close()), db?.then((d) => d.close())]);
  }
}
