import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

/**
 * Connections: round-trip, token encrypted at rest, API keys hashed and looked up by hash.
 *
 * @example
 * connectionTests(makeSqliteFixture);
 */
export function connectionTests(makeStore: MakeStoreFixture): void {
  describe("connections", () => {
    const setup = useHarness(makeStore);
    const distinctiveToken = (): string => `tok_${randomBytes(24).toString("hex")}`;

    it("round-trips every field, with the token only through getConnectionCredentials", async () => {
      const { store } = await setup();
      const token = distinctiveToken();
      const { connection, apiKey } = await store.createConnection({ name: "Acme EU", region: "eu", accessToken: token });
      expect(connection).toEqual({ id: expect.any(String) as string, name: "Acme EU", region: "eu", baseUrl: null, createdAt: new Date(START_MS) });
      expect(apiKey.length).toBeGreaterThanOrEqual(32);
      expect(JSON.stringify(connection)).not.toContain(token);
      expect(await store.getConnection(connection.id)).toEqual(connection);
      expect(await store.getConnectionCredentials(connection.id)).toEqual({ ...connection, accessToken: token });

      const withBase = await store.createConnection({ name: "Emulator", region: "us", baseUrl: "http://127.0.0.1:4010", accessToken: "t2" });
      expect((await store.getConnection(withBase.connection.id))?.baseUrl).toBe("http://127.0.0.1:4010");
      expect(await store.getConnection("missing")).toBeNull();
      expect(await store.getConnectionCredentials("missing")).toBeNull();
    });

    it("never writes the access token or the API key in clear to the database", async () => {
      const { store, fixture } = await setup();
      const token = distinctiveToken();
      const rotated = distinctiveToken();
      const { connection, apiKey } = await store.createConnection({ name: "Acme", region: "us", accessToken: token });
      await store.updateConnection(connection.id, { accessToken: rotated });
      const bytes = await fixture.rawContents();
      expect(bytes.length).toBeGreaterThan(0);
      // The name is stored in clear: proves the dump does contain the rows it should.
      expect(bytes.includes("Acme")).toBe(true);
      for (const secret of [token, rotated, apiKey]) {
        expect(bytes.includes(secret)).toBe(false);
        expect(bytes.includes(Buffer.from(secret, "utf16le"))).toBe(false);
      }
      expect((await store.getConnectionCredentials(connection.id))?.accessToken).toBe(rotated);
    });

    it("cannot decrypt tokens with another secret key", async () => {
      const { store, openAnother } = await setup();
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: distinctiveToken() });
      // Unmigrated: a migrated open refuses another key outright (key-check tests); the tokens hold anyway.
      const wrongKey = await openAnother({ secretKey: randomBytes(32), migrate: false });
      expect(await wrongKey.getConnection(connection.id)).toEqual(connection);
      const error: unknown = await wrongKey.getConnectionCredentials(connection.id).catch((e: unknown) => e);
      expect(isStoreError(error, "decryption_failed")).toBe(true);
    });

    it("finds a connection by its API key, and by nothing else", async () => {
      const { store } = await setup();
      const a = await store.createConnection({ name: "A", region: "us", accessToken: "ta" });
      const b = await store.createConnection({ name: "B", region: "au", accessToken: "tb" });
      expect(a.apiKey).not.toBe(b.apiKey);
      expect(await store.findConnectionByApiKey(a.apiKey)).toEqual(a.connection);
      expect(await store.findConnectionByApiKey(b.apiKey)).toEqual(b.connection);
      expect(await store.findConnectionByApiKey(`${a.apiKey}x`)).toBeNull();
      expect(await store.findConnectionByApiKey("")).toBeNull();
      expect(await store.findConnectionByApiKey(a.connection.id)).toBeNull();
    });

    it("rotates an API key: the old one stops working", async () => {
      const { store } = await setup();
      const { connection, apiKey } = await store.createConnection({ name: "A", region: "us", accessToken: "ta" });
      const next = await store.rotateApiKey(connection.id);
      expect(next).not.toBeNull();
      expect(next).not.toBe(apiKey);
      expect(await store.findConnectionByApiKey(apiKey)).toBeNull();
      expect(await store.findConnectionByApiKey(next ?? "")).toEqual(connection);
      expect(await store.rotateApiKey("missing")).toBeNull();
    });

    it("sets an operator-chosen API key: the old one stops working, a taken or weak key is refused", async () => {
      const { store, fixture } = await setup();
      const a = await store.createConnection({ name: "A", region: "us", accessToken: "ta" });
      const b = await store.createConnection({ name: "B", region: "us", accessToken: "tb" });
      const chosen = `chosen-${randomBytes(12).toString("hex")}`;
      expect(await store.setApiKey(a.connection.id, chosen)).toBe(true);
      expect(await store.findConnectionByApiKey(chosen)).toEqual(a.connection);
      expect(await store.findConnectionByApiKey(a.apiKey)).toBeNull();
      // Setting the key a connection already has is allowed (a restart with the same CONNECTOR_API_KEY).
      expect(await store.setApiKey(a.connection.id, chosen)).toBe(true);
      expect(await store.setApiKey("missing", `other-${randomBytes(12).toString("hex")}`)).toBe(false);
      for (const bad of [chosen, "short", "has a space in it!!", ""]) {
        const error: unknown = await store.setApiKey(b.connection.id, bad).catch((e: unknown) => e);
        expect(isStoreError(error, "invalid_argument"), bad).toBe(true);
      }
      expect(await store.findConnectionByApiKey(b.apiKey)).toEqual(b.connection);
      expect(await store.findConnectionByApiKey(chosen)).toEqual(a.connection);
      expect((await fixture.rawContents()).includes(chosen)).toBe(false);
    });

    it("lists in creation order, updates, and deletes with the connection's subscriptions", async () => {
      const { store, clock } = await setup();
      const a = await store.createConnection({ name: "A", region: "us", accessToken: "ta" });
      clock.advance(1);
      const b = await store.createConnection({ name: "B", region: "eu", accessToken: "tb" });
      expect((await store.listConnections()).map((c) => c.name)).toEqual(["A", "B"]);

      const updated = await store.updateConnection(a.connection.id, { name: "A2", region: "au", baseUrl: "http://localhost:1" });
      expect(updated).toEqual({ ...a.connection, name: "A2", region: "au", baseUrl: "http://localhost:1" });
      expect(await store.getConnection(a.connection.id)).toEqual(updated);
      expect((await store.getConnectionCredentials(a.connection.id))?.accessToken).toBe("ta");
      expect(await store.updateConnection(a.connection.id, { baseUrl: null })).toEqual({ ...updated, baseUrl: null });
      expect(await store.updateConnection("missing", { name: "x" })).toBeNull();

      const sub = await store.createSubscription({ connectionId: a.connection.id, triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date(START_MS) });
      await store.commitPoll(sub.id, { expectedCursorVersion: 0, newCursor: "{}", events: [{ dedupeKey: "k", payload: 1 }] });
      expect(await store.deleteConnection(a.connection.id)).toBe(true);
      expect(await store.deleteConnection(a.connection.id)).toBe(false);
      expect(await store.getConnection(a.connection.id)).toBeNull();
      expect(await store.getSubscription(sub.id)).toBeNull();
      expect(await store.listEvents(sub.id, { limit: 10 })).toEqual([]);
      expect(await store.listConnections()).toEqual([b.connection]);
    });

    it("refuses invalid input with invalid_argument", async () => {
      const { store } = await setup();
      const attempts = [
        store.createConnection({ name: "A", region: "xx" as "us", accessToken: "t" }),
        store.createConnection({ name: "A", region: "us", accessToken: "" }),
        store.createConnection({ name: " ", region: "us", accessToken: "t" }),
      ];
      for (const attempt of attempts) {
        const error: unknown = await attempt.catch((e: unknown) => e);
        expect(isStoreError(error, "invalid_argument")).toBe(true);
      }
      expect(await store.listConnections()).toEqual([]);
    });
  });
}
