import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import { KEY_CHECK_SETTING, keyCheckOf } from "../key-check.js";
import { type MakeStoreFixture, useHarness } from "./harness.js";

const MESSAGE = /^this store was written under another secret key: set CONNECTOR_SECRET_KEY to the key this store was created with \(its (file|database): [^)]+\)$/;

/** What a refused open threw, checked to be a `wrong_secret_key` that shows no key. */
async function refusal(open: Promise<unknown>, keys: Buffer[]): Promise<string> {
  const error: unknown = await open.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isStoreError(error, "wrong_secret_key"), String(error)).toBe(true);
  const message = (error as Error).message;
  for (const key of keys) for (const form of ["hex", "base64", "base64url"] as const) expect(message).not.toContain(key.toString(form));
  return message;
}

/**
 * The store's key check: a store written under one secret key refuses to open under another, at
 * first open for new stores and for stores that predate the check alike; instances opening a new
 * database at once agree on one key.
 *
 * @example
 * keyCheckTests(makeSqliteFixture);
 */
export function keyCheckTests(makeStore: MakeStoreFixture): void {
  describe("secret key check", () => {
    const setup = useHarness(makeStore);

    it("refuses to open under another secret key, in one line naming the store and no key; the right key still opens", async () => {
      const { store, openAnother, secretKey } = await setup();
      expect(await store.getSetting(KEY_CHECK_SETTING)).toBe(keyCheckOf(secretKey));
      await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      const other = randomBytes(32);
      expect(await refusal(openAnother({ secretKey: other }), [other, secretKey])).toMatch(MESSAGE);
      // Refused before writing anything, and the right key (another Buffer of the same bytes) opens.
      expect(await store.getSetting(KEY_CHECK_SETTING)).toBe(keyCheckOf(secretKey));
      const again = await openAnother({ secretKey: Buffer.from(secretKey) });
      expect(await again.listConnections()).toHaveLength(1);
    });

    it("refuses another key for an empty store too: the first open's key is the store's", async () => {
      const { openAnother } = await setup();
      await refusal(openAnother({ secretKey: randomBytes(32) }), []);
    });

    it("records the check of a store from before it only under the key its tokens open", async () => {
      const { store, openAnother, secretKey } = await setup();
      await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      // As an earlier release left it: connections, no check.
      expect(await store.deleteSetting(KEY_CHECK_SETTING)).toBe(true);
      await refusal(openAnother({ secretKey: randomBytes(32) }), []);
      expect(await store.getSetting(KEY_CHECK_SETTING)).toBeNull();
      await openAnother();
      expect(await store.getSetting(KEY_CHECK_SETTING)).toBe(keyCheckOf(secretKey));
    });

    it("lets one of several instances opening a new database at once under different keys win; the others are refused", async () => {
      const { openAnother } = await setup({ open: false });
      const keys = Array.from({ length: 4 }, () => randomBytes(32));
      const opened = await Promise.allSettled(keys.map((secretKey) => openAnother({ secretKey })));
      const winners = opened.filter((o) => o.status === "fulfilled");
      expect(winners).toHaveLength(1);
      for (const o of opened) if (o.status === "rejected") expect(isStoreError(o.reason, "wrong_secret_key"), String(o.reason)).toBe(true);
    });

    it("does not check when opened unmigrated (the migrate command opens under a throwaway key)", async () => {
      const { openAnother } = await setup();
      const unmigrated = await openAnother({ secretKey: randomBytes(32), migrate: false });
      expect(await unmigrated.listConnections()).toEqual([]);
    });
  });
}
