import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Runtime } from "../runtime/index.js";
import { openStore } from "../store/index.js";
import { buildServer } from "./app.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const TOKEN = "metrics-token-0123456789";

async function scrape(harness: ServiceHarness, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<{ status: number; type: string | undefined; text: string }> {
  const answer = await harness.app.inject({ method: "GET", url: "/metrics", headers });
  return { status: answer.statusCode, type: answer.headers["content-type"] as string | undefined, text: answer.body };
}

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("GET /ready", () => {
  it("is 200 with the schema version when the store answers at this release's schema", async () => {
    h = await startServiceHarness();
    const ready = await h.call("GET", "/ready", { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready", schema_version: (await h.store.schemaStatus()).latest });
  });

  it("is 503 not_ready when the schema is behind, and when the store does not answer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "icc-ready-"));
    dirs.push(dir);
    const store = await openStore(join(dir, "c.db"), { secretKey: randomBytes(32), migrate: false });
    const runtime = new Runtime({ store, retention: false });
    const app = await buildServer({ runtime, logger: false });
    try {
      const behind = await app.inject({ method: "GET", url: "/ready" });
      expect(behind.statusCode).toBe(503);
      expect(behind.headers["retry-after"]).toBe("5");
      expect(JSON.parse(behind.body)).toMatchObject({ error: { code: "not_ready", message: expect.stringContaining("version 0 of") as string } });
      await store.migrate();
      expect((await app.inject({ method: "GET", url: "/ready" })).statusCode).toBe(200);
      await store.close();
      const down = await app.inject({ method: "GET", url: "/ready" });
      expect(down.statusCode).toBe(503);
      expect(JSON.parse(down.body)).toMatchObject({ error: { code: "not_ready", message: "The service is not ready: the store does not answer" } });
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe("GET /metrics", () => {
  it("needs METRICS_TOKEN as a bearer token when it is set", async () => {
    h = await startServiceHarness({ metricsToken: TOKEN });
    for (const headers of [{}, { authorization: "Bearer wrong-token-0000000000" }, { authorization: TOKEN }, { "x-api-key": h.apiKey }]) {
      const refused = await scrape(h, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: "metrics_unauthorized" } });
    }
    expect((await scrape(h)).status).toBe(200);
  });

  it("follows the admin API's rule without a token: the admin key when one is set", async () => {
    h = await startServiceHarness({ adminKey: "admin-key-0123456789abcdef" });
    expect((await scrape(h, {})).status).toBe(401);
    expect((await scrape(h, { "x-admin-key": "admin-key-0123456789abcdef" })).status).toBe(200);
  });

  it("counts requests by route, Intercom calls by endpoint, the budget, polls and the outboxes", async () => {
    h = await startServiceHarness({ metricsToken: TOKEN, callsPerMinute: 2 });
    const lead = await h.call("POST", "/v1/actions/CreateLead", { body: { email: "ada@example.com" } });
    expect(lead.status).toBe(200);
    const leadId = (lead.body as { id: string }).id;
    expect((await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: leadId } })).status).toBe(200);
    expect((await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: leadId } })).status).toBe(429);
    expect((await h.call("POST", "/v1/actions/GetLead", { body: { contact_id: "../x" } })).status).toBe(400);

    const { status, type, text } = await scrape(h);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'intercom_connector_http_requests_total{method="POST",route="/v1/actions/CreateLead",status="200"}')).toBe(1);
    expect(sample(text, 'intercom_connector_http_requests_total{method="POST",route="/v1/actions/GetLead",status="429"}')).toBe(1);
    expect(sample(text, 'intercom_connector_http_requests_total{method="POST",route="/v1/actions/GetLead",status="400"}')).toBe(1);
    // Ids never become labels.
    expect(sample(text, 'intercom_connector_intercom_requests_total{method="POST",endpoint="/contacts",status="200"}')).toBe(1);
    expect(sample(text, 'intercom_connector_intercom_requests_total{method="GET",endpoint="/contacts/{id}",status="200"}')).toBe(1);
    expect(text).not.toContain(leadId);
    const connection = h.connection.id;
    expect(sample(text, `intercom_connector_budget_calls_total{connection="${connection}",outcome="spent"}`)).toBe(2);
    expect(sample(text, `intercom_connector_budget_calls_total{connection="${connection}",outcome="refused"}`)).toBe(1);
    expect(sample(text, 'intercom_connector_outbox_events{status="pending"}')).toBe(0);
    expect(sample(text, 'intercom_connector_outbox_events{status="dead"}')).toBe(0);
    expect(text).toContain("intercom_connector_process_resident_memory_bytes");
  });

  it("observes how late a due trigger poll ran", async () => {
    h = await startServiceHarness({ metricsToken: TOKEN });
    h.clock.advance(0);
    expect((await h.call("GET", "/v1/triggers/TrigNewLead/poll")).status).toBe(202);
    const { text } = await scrape(h);
    expect(sample(text, 'intercom_connector_poll_lag_seconds_count{trigger="TrigNewLead"}')).toBe(1);
  });
});
