import { randomBytes } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lead_Response, User_Response, type ConnectorError, type Result } from "../contract/index.js";
import { openStore } from "../store/index.js";
import { createConnector } from "./connector.js";
import { startConnectorTestBed, type ConnectorTestBed } from "./testing/setup.js";

let bed: ConnectorTestBed;
beforeEach(async () => {
  bed = await startConnectorTestBed();
});
afterEach(async () => {
  await bed.cleanup();
});

function value<T>(result: Result<T, ConnectorError>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error.toJSON())}`);
  return result.value;
}

function failure<T>(result: Result<T, ConnectorError>): ConnectorError {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("createConnector: the actions", () => {
  it("creates and reads leads and users through a connection's typed methods", async () => {
    const { connector, connectionId } = await bed.connected();
    const client = connector.connection(connectionId);

    const lead = value(await client.createLead({ email: "lead@example.com", name: "Lea", image_url: "https://example.com/lea.png" }));
    expect(Lead_Response.parse(lead)).toMatchObject({ email: "lead@example.com", name: "Lea", avatar: { image_url: "https://example.com/lea.png" } });
    expect(value(await client.getLead({ contact_id: lead.id }))).toEqual(lead);

    const user = value(await client.createUser({ email: "ada@example.com", name: "Ada" }));
    expect(User_Response.parse(user)).toMatchObject({ email: "ada@example.com", name: "Ada", session_count: null });
    // CreateUser is an upsert on email: the same user, renamed.
    const again = value(await client.createUser({ email: "ada@example.com", name: "Ada L." }));
    expect(again).toMatchObject({ id: user.id, name: "Ada L." });
    expect(value(await client.getUser({ user_id: user.id }))).toMatchObject({ id: user.id, name: "Ada L." });

    expect(failure(await client.getUser({ user_id: lead.id }))).toMatchObject({ code: "wrong_role", status: 404, field: "user_id" });
    expect(failure(await client.getLead({ contact_id: "000000000000000000000000" }))).toMatchObject({ code: "not_found" });
    expect(failure(await client.createLead({ email: "x@example.com", companies: "no-such-company" }))).toMatchObject({ code: "company_not_found", field: "companies" });
  });

  it("answers invalid input with invalid_input naming the field, without a call to Intercom or a unit of budget", async () => {
    const { connector, connectionId } = await bed.connected({ callsPerWindow: 1 });
    const client = connector.connection(connectionId);
    await bed.resetCalls();
    const cases: Array<[Promise<Result<unknown, ConnectorError>>, string]> = [
      [client.createLead({ email: "not-an-email" }), "email"],
      [client.createUser({} as never), "email"],
      [client.createLead({ email: "a@example.com", image_url: "http://insecure.example.com/a.png" }), "image_url"],
      [client.getUser({ user_id: "a/b" }), "user_id"],
      [client.getLead({ contact_id: "1", extra: true } as never), "extra"],
      [client.run("CreateUser", null), "input"],
      [client.run("SendEmail" as never, {}), "operation"],
    ];
    for (const [call, field] of cases) {
      expect(failure(await call), field).toMatchObject({ code: "invalid_input", status: 400, field });
    }
    expect((await bed.calls()).total).toBe(0);
    // The single unit of budget is still there.
    expect(failure(await client.getLead({ contact_id: "000000000000000000000000" })).code).toBe("not_found");
    expect(failure(await client.getLead({ contact_id: "000000000000000000000000" })).code).toBe("rate_limited");
  });

  it("answers not_found for a connection that does not exist, and sends nothing", async () => {
    const connector = await bed.connector();
    const client = connector.connection("no-such-connection");
    expect(failure(await client.getUser({ user_id: "abc" }))).toMatchObject({ code: "not_found", message: "No connection with id no-such-connection" });
    expect(failure(await client.subscribe("TrigNewLead", () => undefined))).toMatchObject({ code: "not_found" });
    expect(await client.describe()).toBeNull();
    expect((await bed.calls()).total).toBe(0);
  });
});

describe("createConnector: listLeads", () => {
  it("yields each of 320 leads exactly once, fetching one page of 150 at a time, and only when iterated", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 320; i++) ids.add(bed.em.workspace.insertContact({ role: "lead", email: `lead${i}@example.com` }).id);
    for (let i = 0; i < 25; i++) bed.em.workspace.insertContact({ role: "user", email: `user${i}@example.com` });
    const { connector, connectionId } = await bed.connected();
    await bed.resetCalls();

    const leads = connector.connection(connectionId).listLeads();
    expect((await bed.calls()).total).toBe(0);
    const seen: string[] = [];
    for await (const lead of leads) {
      expect(Lead_Response.safeParse(lead).success).toBe(true);
      seen.push(lead.id);
    }
    expect(seen).toHaveLength(320);
    expect(new Set(seen)).toEqual(ids);
    expect(await bed.calls()).toEqual({ total: 3, calls: { "POST /contacts/search": 3 } });
  });

  it("counts the leads with one call", async () => {
    for (let i = 0; i < 7; i++) bed.em.workspace.insertContact({ role: "lead", email: `lead${i}@example.com` });
    bed.em.workspace.insertContact({ role: "user", email: "user@example.com" });
    const { connector, connectionId } = await bed.connected();
    await bed.resetCalls();
    expect(value(await connector.connection(connectionId).countLeads())).toBe(7);
    expect((await bed.calls()).total).toBe(1);
  });
});

describe("createConnector: the connection's budget", () => {
  it("answers the 6th call of a 5-call budget rate_limited with retryAfterSeconds, sending nothing to Intercom", async () => {
    const lead = bed.em.workspace.insertContact({ role: "lead", email: "lead@example.com" });
    const { connector, connectionId } = await bed.connected({ callsPerWindow: 5, windowSeconds: 60 });
    const client = connector.connection(connectionId);
    for (let i = 0; i < 5; i++) expect(value(await client.getLead({ contact_id: lead.id })).id).toBe(lead.id);
    await bed.resetCalls();

    const refused = failure(await client.getLead({ contact_id: lead.id }));
    expect(refused).toMatchObject({ code: "rate_limited", status: 429 });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.message).toBe(`The connection's budget of 5 calls per 60 seconds is spent; retry in ${refused.retryAfterSeconds} seconds`);
    expect(failure(await client.createLead({ email: "new@example.com" })).code).toBe("rate_limited");
    await expect(client.listLeads()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: "rate_limited" });
    expect((await bed.calls()).total).toBe(0);
    expect(bed.em.workspace.contacts.size).toBe(1);
  });

  it("is one budget per connection, shared by connectors on the same database", async () => {
    const first = await bed.connected({ callsPerWindow: 2 });
    const second = await bed.connector({ callsPerWindow: 2 });
    const { connection: other } = value(await first.connector.addConnection({ access_token: bed.em.token, base_url: bed.em.baseUrl, name: "other" }));
    const lead = bed.em.workspace.insertContact({ role: "lead", email: "lead@example.com" });
    expect(value(await first.connector.connection(first.connectionId).getLead({ contact_id: lead.id })).id).toBe(lead.id);
    expect(value(await second.connection(first.connectionId).getLead({ contact_id: lead.id })).id).toBe(lead.id);
    expect(failure(await second.connection(first.connectionId).getLead({ contact_id: lead.id })).code).toBe("rate_limited");
    expect(value(await second.connection(other.id).getLead({ contact_id: lead.id })).id).toBe(lead.id);
  });
});

describe("createConnector: connections and storage", () => {
  it("generates a 0600 key file in dataDir, keeps the token encrypted, and closes the store it opened", async () => {
    const dataDir = join(bed.dir, "data");
    const connector = await createConnector({ dataDir });
    const { connection, apiKey } = value(await connector.addConnection({ access_token: bed.em.token, base_url: `${bed.em.baseUrl}/`, name: "Emulator" }));
    expect(connection).toMatchObject({ name: "Emulator", region: "us", baseUrl: bed.em.baseUrl });
    expect(apiKey).toMatch(/^icc_/);
    expect(JSON.stringify(connection)).not.toContain(bed.em.token);
    const lead = value(await connector.connection(connection.id).createLead({ email: "stored@example.com" }));
    expect(lead.email).toBe("stored@example.com");
    await connector.close();
    await connector.close();

    expect((await stat(join(dataDir, "secret.key"))).mode & 0o777).toBe(0o600);
    for (const file of await readdir(dataDir)) {
      const bytes = await readFile(join(dataDir, file));
      expect(bytes.includes(Buffer.from(bed.em.token)), file).toBe(false);
    }
    // The same dataDir opens the same store with the same key: the connection works again.
    const reopened = await createConnector({ dataDir });
    expect(value(await reopened.connection(connection.id).getLead({ contact_id: lead.id })).id).toBe(lead.id);
    await reopened.close();
    await expect(reopened.connection(connection.id).getLead({ contact_id: lead.id })).rejects.toThrow("the connector is closed");
  });

  it("leaves a store it was given open", async () => {
    const store = await openStore(join(bed.dir, "given.db"), { secretKey: randomBytes(32) });
    const connector = await createConnector({ store });
    const { connection } = value(await connector.addConnection({ access_token: "tok", region: "eu" }));
    expect(connection).toMatchObject({ name: "api.eu.intercom.io", region: "eu", baseUrl: null });
    await connector.close();
    expect(await store.getConnection(connection.id)).toMatchObject({ id: connection.id });
    await store.close();
  });

  it("refuses bad connections with invalid_input naming the field, and bad options with a RangeError", async () => {
    const connector = await bed.connector();
    const before = await connector.runtime.store.listConnections();
    expect(failure(await connector.addConnection({ access_token: " " }))).toMatchObject({ code: "invalid_input", field: "access_token" });
    expect(failure(await connector.addConnection({ access_token: "t", region: "mars" as never }))).toMatchObject({ code: "invalid_input", field: "region" });
    expect(failure(await connector.addConnection({ access_token: "t", base_url: "ftp://x" }))).toMatchObject({ code: "invalid_input", field: "base_url" });
    expect(failure(await connector.addConnection({ access_token: "t", base_url: "https://u:p@x" }))).toMatchObject({ field: "base_url" });
    expect(await connector.runtime.store.listConnections()).toEqual(before);
    await expect(createConnector({ callsPerWindow: 0 })).rejects.toThrow(RangeError);
    await expect(createConnector({ pollIntervalSeconds: -1 })).rejects.toThrow(/pollIntervalSeconds/);
    await expect(createConnector({ lookbackSeconds: Number.NaN })).rejects.toThrow(/lookbackSeconds/);
  });
});
