import { randomBytes } from "node:crypto";
import { afterEach } from "vitest";
import type { Store, StoreOptions } from "../store.js";
import { stopChildren } from "./children.js";

/**
 * A fresh, empty database for one test, provided by each implementation's test file.
 *
 * @example
 * const fixture: StoreFixture = { url: "sqlite:///tmp/x/db.sqlite", open, rawContents, refuseOutboxKey, dispose };
 */
export interface StoreFixture {
  /** What `openStore` takes to reach this database, from this process or a child. */
  readonly url: string;
  /** A new store instance on this database (migrated unless `migrate: false`). */
  open(options: StoreOptions): Promise<Store>;
  /** Every byte the database keeps at rest (files, or a dump of every table). */
  rawContents(): Promise<Buffer>;
  /**
   * From now on, the database itself refuses (a trigger raising an error) every outbox row whose
   * dedupe key is `dedupeKey`: a failure inside a transaction, after the writes that preceded it.
   */
  refuseOutboxKey(dedupeKey: string): Promise<void>;
  /** Deletes the database. Stores opened on it are closed first by the harness. */
  dispose(): Promise<void>;
}

/**
 * Makes a fresh fixture per call.
 *
 * @example
 * describeStoreConformance("sqlite", makeSqliteFixture);
 */
export type MakeStoreFixture = () => Promise<StoreFixture>;

/**
 * A clock tests move by hand, in epoch milliseconds.
 *
 * @example
 * const clock = new ManualClock(1_700_000_000_000);
 * clock.advance(60_000);
 */
export class ManualClock {
  constructor(private ms: number) {}

  /** The current time, bound so it can be passed as a `clock` option. */
  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * A test's database: a fixture, its first store on a manual clock, and more stores on demand.
 *
 * @example
 * const { store, clock, openAnother } = await setup();
 */
export interface Harness {
  fixture: StoreFixture;
  store: Store;
  clock: ManualClock;
  secretKey: Buffer;
  /** Another store instance on the same database (same key and clock unless overridden). */
  openAnother: (options?: Partial<StoreOptions>) => Promise<Store>;
}

/**
 * 2023-11-14T22:13:20Z: the harness clock's start, so expected times are plain numbers.
 *
 * @example
 * expect(connection.createdAt).toEqual(new Date(START_MS));
 */
export const START_MS = 1_700_000_000_000;

/**
 * Registers cleanup (stores closed, fixtures disposed, child processes stopped) after each test of
 * the enclosing `describe`, and returns the function tests call to get a harness.
 *
 * @example
 * const setup = useHarness(makeStore);
 * it("works", async () => { const { store } = await setup(); });
 */
export function useHarness(makeStore: MakeStoreFixture): (options?: { migrate?: boolean; open?: boolean }) => Promise<Harness> {
  const stores: Store[] = [];
  const fixtures: StoreFixture[] = [];
  afterEach(async () => {
    await stopChildren();
    for (const store of stores.splice(0)) await store.close();
    for (const fixture of fixtures.splice(0)) await fixture.dispose();
  });
  return async (options = {}) => {
    const fixture = await makeStore();
    fixtures.push(fixture);
    const clock = new ManualClock(START_MS);
    const secretKey = randomBytes(32);
    const openAnother = async (overrides: Partial<StoreOptions> = {}): Promise<Store> => {
      const store = await fixture.open({ secretKey, clock: clock.now, ...(options.migrate === false ? { migrate: false } : {}), ...overrides });
      stores.push(store);
      return store;
    };
    // `open: false` leaves the database untouched (for tests whose children must create it).
    const store = options.open === false ? (undefined as unknown as Store) : await openAnother();
    return { fixture, store, clock, secretKey, openAnother };
  };
}
