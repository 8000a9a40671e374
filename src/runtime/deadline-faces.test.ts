import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCliTestBed, type CliTestBed } from "../cli/testing/cli-bed.js";
import { createConnector, type Connector } from "../connector/index.js";
import { buildServer } from "../server/index.js";
import { openStore, type Store } from "../store/index.js";
import { Runtime } from "./runtime.js";

// Every face answers within the action's deadline whatever Intercom does: the emulator hangs,
// stalls, refuses with 503 or 429, over real HTTP; deadlines of 1.5 s keep the tests short.

const DEADLINE_SECONDS = 1.5;
const LEAD_ID = "6762f0a51bb69f9f2193bb5c";

let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let store: Store;
let app: FastifyInstance;
let serviceUrl: string;
let apiKey: string;
/** The sockets Intercom requests came in on (not the control API's). */
const intercomSockets = new Set<Socket>();

beforeAll(async () => {
  bed = await startCliTestBed();
  bed.em.emulator.app.server.on("request", (request: IncomingMessage) => {
    if (request.url?.startsWith("/_emulator") !== true) intercomSockets.add(request.socket);
  });
  connector = await createConnector({ databaseUrl: join(bed.dir, "library.db"), secretKey: randomBytes(32), actionDeadlineSeconds: DEADLINE_SECONDS, retention: false });
  const added = await connector.addConnection({ access_token: bed.env.INTERCOM_ACCESS_TOKEN ?? "", base_url: bed.em.baseUrl });
  if (!added.ok) throw added.error;
  libraryConnection = added.value.connection.id;
  store = await openStore(join(bed.dir, "service.db"), { secretKey: randomBytes(32) });
  app = await buildServer({ runtime: new Runtime({ store, actionDeadlineSeconds: DEADLINE_SECONDS, retention: false }), logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  serviceUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const created = await store.createConnection({ name: "service", region: "us", baseUrl: bed.em.baseUrl, accessToken: bed.env.INTERCOM_ACCESS_TOKEN ?? "" });
  apiKey = created.apiKey;
});

afterAll(async () => {
  await app.close();
  await store.close();
  await connector.close();
  await bed.cleanup();
});

beforeEach(async () => {
  await bed.em.control("DELETE", `/workspaces/${bed.em.workspace.id}/faults`);
});

const fault = async (body: Record<string, unknown>): Promise<void> => {
  const answer = await bed.em.control("POST", `/workspaces/${bed.em.workspace.id}/faults`, body);
  expect(answer.status).toBe(201);
};

/** Intercom sockets still open, once those the client closed have had a moment to go. */
async function openIntercomSockets(): Promise<number> {
  const count = (): number => [...intercomSockets].filter((socket) => !socket.destroyed).length;
  for (let i = 0; i < 50 && count() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return count();
}

/** Milliseconds `work` took, with what it answered. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function viaService(path: string, body?: unknown): Promise<{ status: number; retryAfter: string | null; error: { code: string; message: string; retry_after?: number } }> {
  const response = await fetch(`${serviceUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "X-API-Key": apiKey, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as { error: { code: string; message: string; retry_after?: number } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), error: parsed.error };
}

describe("an Intercom that hangs", { timeout: 60_000 }, () => {
  it("gets the library a 504 value within the deadline, the socket closed", async () => {
    await fault({ kind: "hang", count: 20 });
    const { ms, value } = await timed(() => connector.connection(libraryConnection).getLead({ contact_id: LEAD_ID }));
    expect(ms).toBeGreaterThanOrEqual(DEADLINE_SECONDS * 1000 - 10);
    expect(ms).toBeLessThan(DEADLINE_SECONDS * 1000 + 500);
    expect(!value.ok && value.error.toJSON()).toMatchObject({ code: "intercom_timeout", status: 504, retry_after: 5 });
    expect(!value.ok && value.error.retryAfterSeconds).toBe(5);
    expect(!value.ok && value.error.message).toMatch(/deadline of 1\.5 s \(1 attempt to reach Intercom\)/);
    expect(await openIntercomSockets()).toBe(0);
  });

  it("ends the library's listLeads() stream with intercom_timeout within the deadline of its page", async () => {
    await fault({ kind: "hang", count: 20 });
    const started = performance.now();
    const read = async (): Promise<number> => {
      const emails: unknown[] = [];
      for await (const lead of connector.connection(libraryConnection).listLeads()) emails.push(lead.email);
      return emails.length;
    };
    await expect(read()).rejects.toMatchObject({ code: "intercom_timeout", retryAfterSeconds: 5 });
    expect(performance.now() - started).toBeLessThan(DEADLINE_SECONDS * 1000 + 500);
    expect(await openIntercomSockets()).toBe(0);
  });

  it("gets the service's caller a 504 with Retry-After within the deadline, for an action and a ListLeads page", async () => {
    await fault({ kind: "hang", count: 20 });
    for (const send of [() => viaService("/v1/actions/GetLead", { contact_id: LEAD_ID }), () => viaService("/v1/actions/ListLeads")]) {
      const { ms, value } = await timed(send);
      expect(ms).toBeLessThan(DEADLINE_SECONDS * 1000 + 500);
      expect(value.status).toBe(504);
      expect(value.retryAfter).toBe("5");
      expect(value.error).toMatchObject({ code: "intercom_timeout", retry_after: 5 });
      expect(value.error.message).toMatch(/1 attempt to reach Intercom/);
    }
    expect(await openIntercomSockets()).toBe(0);
  });

  it("gets the CLI's caller one line and exit 1 within the deadline (ACTION_DEADLINE_SECONDS)", async () => {
    await fault({ kind: "hang", count: 20 });
    const { ms, value } = await timed(() => bed.run(["call", "GetLead", "--input", JSON.stringify({ contact_id: LEAD_ID }), "--state", bed.state], { ACTION_DEADLINE_SECONDS: String(DEADLINE_SECONDS) }));
    expect(value.code).toBe(1);
    expect(value.stderr).toMatch(/^error intercom_timeout: Intercom did not answer in time: no answer within the action's deadline of 1\.5 s/m);
    // The process starts, opens its store and exits besides: still well before a default deadline.
    expect(ms).toBeLessThan(DEADLINE_SECONDS * 1000 + 10_000);
  });
});

describe("an Intercom that refuses", { timeout: 60_000 }, () => {
  it("answers repeated 503s as 503 with Intercom's Retry-After, the retries stopped before a wait would cross the deadline", async () => {
    await fault({ kind: "503", count: 20, retry_after: 1 });
    const { ms, value } = await timed(() => viaService("/v1/actions/GetLead", { contact_id: LEAD_ID }));
    // Waits of 1 s: the second would end at about 2 s, past 1.5 s.
    expect(ms).toBeLessThan(DEADLINE_SECONDS * 1000);
    expect(value.status).toBe(503);
    expect(value.retryAfter).toBe("1");
    expect(value.error).toMatchObject({ code: "intercom_unavailable", retry_after: 1 });
  });

  it("answers a 429 whose Retry-After is past the deadline at once, with that wait", async () => {
    await fault({ kind: "429", count: 1, retry_after: 9 });
    const { ms, value } = await timed(() => viaService("/v1/actions/GetLead", { contact_id: LEAD_ID }));
    expect(ms).toBeLessThan(500);
    expect(value.status).toBe(429);
    expect(value.retryAfter).toBe("9");
    expect(value.error).toMatchObject({ code: "intercom_rate_limited", retry_after: 9 });
  });

  it("cuts a body that never finishes at the deadline", async () => {
    await fault({ kind: "stall_body", count: 1 });
    const { ms, value } = await timed(() => viaService("/v1/actions/ListLeads"));
    expect(ms).toBeLessThan(DEADLINE_SECONDS * 1000 + 500);
    expect(value.status).toBe(504);
    expect(value.retryAfter).toBe("5");
    expect(await openIntercomSockets()).toBe(0);
  });
});

describe("a stream slower than the deadline in all", { timeout: 60_000 }, () => {
  it("reads every page of listLeads(): the deadline is each page's, not the whole stream's", async () => {
    for (let i = 0; i < 160; i++) bed.em.workspace.insertContact({ role: "lead", email: `stream${i}@example.com` });
    const started = performance.now();
    const emails: unknown[] = [];
    for await (const lead of connector.connection(libraryConnection).listLeads()) {
      // The reader dawdles over the first page for longer than a deadline.
      if (emails.push(lead.email) === 1) await new Promise((resolve) => setTimeout(resolve, DEADLINE_SECONDS * 1000 + 200));
    }
    expect(emails.length).toBeGreaterThanOrEqual(160);
    expect(performance.now() - started).toBeGreaterThan(DEADLINE_SECONDS * 1000);
  });
});

describe("the deadline setting", { timeout: 60_000 }, () => {
  it("is refused when it is not a number of seconds in (0, 3600]", async () => {
    for (const seconds of [0, -1, 3601, Number.NaN]) {
      expect(() => new Runtime({ store, actionDeadlineSeconds: seconds }), String(seconds)).toThrow(RangeError);
      await expect(createConnector({ store, actionDeadlineSeconds: seconds }), String(seconds)).rejects.toThrow(/actionDeadlineSeconds/);
    }
    const run = await bed.run(["call", "GetLead", "--input", JSON.stringify({ contact_id: LEAD_ID }), "--state", bed.state], { ACTION_DEADLINE_SECONDS: "3601" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ACTION_DEADLINE_SECONDS '3601' is invalid\. The value must be at most 3600/);
  });
});
