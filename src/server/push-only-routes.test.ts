import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { Runtime } from "../runtime/index.js";
import { openStore, type Store } from "../store/index.js";
import { buildServer } from "./index.js";
import { ANY_CALLBACK } from "./webhooks/callback-policy.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function service(): Promise<{ c: ConnectedEmulator; store: Store; base: string; keyed: (secret?: string) => Promise<{ id: string; apiKey: string }> }> {
  const c = await startConnectedEmulator();
  const store = await openStore(":memory:", { secretKey: randomBytes(32) });
  const runtime = new Runtime({ store, retention: false });
  const app = await buildServer({ runtime, logger: false, callbackPolicy: ANY_CALLBACK });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  close = async () => {
    await app.close();
    await runtime.close();
    await store.close();
    await c.close();
  };
  const keyed = async (secret?: string) => {
    const { connection, apiKey } = await store.createConnection({ name: "push", region: "us", baseUrl: c.em.baseUrl, accessToken: c.em.token, ...(secret === undefined ? {} : { intercomClientSecret: secret }) });
    return { id: connection.id, apiKey };
  };
  return { c, store, base, keyed };
}

describe("the service's push-only triggers", () => {
  it("refuses a webhook subscription and a Power Automate poll on a connection without push set up: 409 push_not_set_up saying how, nothing stored, no Intercom call", async () => {
    const { c, store, base, keyed } = await service();
    const { id, apiKey } = await keyed();
    await c.resetCalls();
    for (const triggerId of ["TrigTagAddedToContact", "TrigLeadConverted"]) {
      const webhook = await fetch(`${base}/v1/triggers/${triggerId}/subscriptions`, {
        method: "POST",
        headers: { "x-api-key": apiKey, "content-type": "application/json" },
        body: JSON.stringify({ callback_url: "http://127.0.0.1:9/hook" }),
      });
      const poll = await fetch(`${base}/v1/triggers/${triggerId}/poll`, { headers: { "x-api-key": apiKey } });
      for (const answer of [webhook, poll]) {
        expect(answer.status, triggerId).toBe(409);
        const body = (await answer.json()) as { error: { code: string; message: string; field: string } };
        expect(body.error).toMatchObject({ code: "push_not_set_up", field: "triggerId" });
        expect(body.error.message).toContain("INTERCOM_CLIENT_SECRET");
        expect(body.error.message).toContain(`/intercom/webhooks/${id}`);
      }
    }
    expect(await store.listSubscriptions({ connectionId: id })).toEqual([]);
    expect((await c.calls()).total).toBe(0);
  });

  it("subscribes both ways once the connection has its client secret, without asking Intercom", async () => {
    const { c, store, base, keyed } = await service();
    const { id, apiKey } = await keyed("the-app-secret");
    await c.resetCalls();
    const webhook = await fetch(`${base}/v1/triggers/TrigTagAddedToContact/subscriptions`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({ callback_url: "http://127.0.0.1:9/hook" }),
    });
    expect(webhook.status).toBe(201);
    const poll = await fetch(`${base}/v1/triggers/TrigLeadConverted/poll`, { headers: { "x-api-key": apiKey } });
    expect(poll.status).toBe(202);
    expect(poll.headers.get("location")).toContain("/v1/triggers/TrigLeadConverted/poll?state=");
    expect((await store.listSubscriptions({ connectionId: id })).map((s) => s.triggerId).sort()).toEqual(["TrigLeadConverted", "TrigTagAddedToContact"]);
    expect((await c.calls()).total).toBe(0);
  });
});
