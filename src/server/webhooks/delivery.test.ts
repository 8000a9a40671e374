import { createHmac, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { DeliveryRetryPolicy } from "../../store/index.js";
import { DeadLetterPage, ReplayedDeadLetter, WebhookSubscriptionStatus } from "../openapi/shapes.js";
import { startWebhookFixture, type WebhookFixture } from "./testing/fixture.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "./testing/receiver.js";
import { PUBLIC_CALLBACKS_ONLY } from "./callback-policy.js";
import { verifyWebhookSignature } from "./signature.js";

let f: WebhookFixture | undefined;
let receiver: StandardWebhookReceiver | undefined;
afterEach(async () => {
  await f?.close();
  await receiver?.close();
  f = undefined;
  receiver = undefined;
});

/** Subscribes the receiver to a trigger through the API; gives the receiver the secret. */
async function subscribe(fx: WebhookFixture, hooks: StandardWebhookReceiver, triggerId = "TrigNewLead"): Promise<{ id: string; secret: string }> {
  const created = await fx.api("POST", `/v1/triggers/${triggerId}/subscriptions`, { body: { callback_url: hooks.url } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const secret = created.body.secret as string;
  hooks.secret = secret;
  return { id, secret };
}

const FAST_RETRIES: DeliveryRetryPolicy = { firstDelayMs: 40, maxDelayMs: 160, giveUpAfterMs: 60_000 };

describe("webhook deliveries", () => {
  it("delivers each new lead once, in outbox order, signed the Standard Webhooks way", async () => {
    f = await startWebhookFixture();
    receiver = await startStandardWebhookReceiver();
    const { id, secret } = await subscribe(f, receiver);
    expect(secret).toMatch(/^whsec_/);
    f.startWorker();
    const leads = [await f.createLead("one@example.com"), await f.createLead("two@example.com"), await f.createLead("three@example.com")];

    await waitUntil(() => receiver!.accepted().length >= 3, "three deliveries");
    await new Promise((resolve) => setTimeout(resolve, 300)); // more polls: nothing more comes
    const got = receiver.received;
    expect(got).toHaveLength(3);
    expect(got.every((d) => d.signatureValid)).toBe(true);
    expect(got.map((d) => d.payload.id).sort()).toEqual([...leads].sort());
    // webhook-id is the outbox id: deliveries follow it.
    const events = await f.store.listEvents(id, { limit: 10 });
    expect(got.map((d) => d.id)).toEqual(events.map((e) => String(e.id)));
    expect(events.every((e) => e.status === "delivered")).toBe(true);
    expect(got[0]?.payload).toMatchObject({ email: expect.any(String) as string, companies: { companies: [] }, tags: { companies: [] } });
    expect(got[0]?.headers["content-type"]).toBe("application/json");
    expect(Math.abs((got[0]?.timestamp ?? 0) - Date.now() / 1000)).toBeLessThan(30);
    // The receiver's check can fail: the same delivery under another secret does not verify.
    const first = got[0];
    if (first === undefined) throw new Error("no delivery");
    expect(verifyWebhookSignature(`whsec_${randomBytes(32).toString("base64")}`, { headers: first.headers, body: first.rawBody })).toBe(false);
  });

  it("rides out a receiver that fails and then is down: every event once, in order, never one overtaking another", async () => {
    f = await startWebhookFixture({ deliveryPolicy: FAST_RETRIES });
    receiver = await startStandardWebhookReceiver();
    const { id } = await subscribe(f, receiver);
    const hooks = receiver;
    hooks.answer = (index) => (index < 3 ? 500 : 200);
    f.startWorker();
    const leads: string[] = [];
    for (let i = 0; i < 5; i++) leads.push(await f.createLead(`burst${i}@example.com`));

    await waitUntil(() => hooks.received.length >= 3, "three failed attempts");
    await hooks.down(); // connection refused for a while
    await waitUntil(async () => (await f!.store.listEvents(id, { limit: 10 }))[0]?.lastError?.startsWith("connection failed") === true, "a refused attempt");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.accepted()).toEqual([]);
    await hooks.up();

    await waitUntil(() => hooks.accepted().length >= 5, "five deliveries", 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const accepted = hooks.accepted();
    expect(accepted).toHaveLength(5);
    expect(accepted.every((d) => d.signatureValid)).toBe(true);
    expect(accepted.map((d) => d.payload.id).sort()).toEqual([...leads].sort());
    const events = await f.store.listEvents(id, { limit: 10 });
    expect(accepted.map((d) => d.id)).toEqual(events.map((e) => String(e.id)));
    // Every attempt (failed ones too) in non-decreasing id order: a failing event held the rest back.
    const attempted = hooks.received.map((d) => Number(d.id));
    expect(attempted).toEqual([...attempted].sort((a, b) => a - b));
    expect(new Set(hooks.received.slice(0, 3).map((d) => d.id)).size).toBe(1);
    expect(await f.store.outboxStats(id)).toEqual({ pending: 0, delivered: 5, dead: 0 });
    expect(events[0]?.attempts).toBeGreaterThanOrEqual(4);
  });

  it("dead-letters past the deadline, shows the dead letters through the API, and replays one", async () => {
    const policy: DeliveryRetryPolicy = { firstDelayMs: 20, maxDelayMs: 60, giveUpAfterMs: 400 };
    f = await startWebhookFixture({ deliveryPolicy: policy });
    receiver = await startStandardWebhookReceiver();
    const hooks = receiver;
    hooks.answer = () => 503;
    const { id } = await subscribe(f, hooks);
    f.startWorker();
    const leads = [await f.createLead("dead1@example.com"), await f.createLead("dead2@example.com")];
    await waitUntil(async () => (await f!.store.outboxStats(id)).dead === 2, "two dead events");

    const fx = f;
    const page = await fx.api("GET", `/v1/subscriptions/${id}/dead-letters`);
    expect(page.status).toBe(200);
    const dead = page.body.value as Array<{ id: string; attempts: number; last_error: string; payload: { id: string } }>;
    expect(dead.map((d) => d.payload.id).sort()).toEqual([...leads].sort());
    expect(dead.every((d) => d.last_error === "HTTP 503")).toBe(true);
    // The first was retried until its deadline; the second, as old, died at its first failure.
    expect(dead[0]?.attempts).toBeGreaterThanOrEqual(2);
    expect(page.body.nextLink).toBeUndefined();
    // What the OpenAPI document says ListDeadLetters answers (GetSubscription, ReplayDeadLetter below).
    expect(DeadLetterPage.safeParse(page.body).error).toBeUndefined();
    // Paged: one per page, nextLink to the next.
    const first = await fx.api("GET", `/v1/subscriptions/${id}/dead-letters?limit=1`);
    expect((first.body.value as unknown[]).length).toBe(1);
    expect(DeadLetterPage.safeParse(first.body).error).toBeUndefined();
    const next = new URL(first.body.nextLink as string);
    const second = await fx.api("GET", next.pathname + next.search);
    expect((second.body.value as Array<{ id: string }>).map((d) => d.id)).toEqual([dead[1]?.id]);
    expect((await fx.api("GET", `/v1/subscriptions/${id}/dead-letters?limit=0`)).status).toBe(400);

    const subscription = await fx.api("GET", `/v1/subscriptions/${id}`);
    expect(subscription.body).toMatchObject({ id, trigger_id: "TrigNewLead", events: { pending: 0, delivered: 0, dead: 2 }, retry: { give_up_after_seconds: 0.4 } });
    expect(WebhookSubscriptionStatus.safeParse(subscription.body).error).toBeUndefined();

    // Back up: replay the first; it is delivered, the other stays dead.
    hooks.answer = () => 200;
    const attemptsBefore = hooks.received.length;
    const replay = await fx.api("POST", `/v1/subscriptions/${id}/dead-letters/${dead[0]?.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ id: dead[0]?.id, status: "pending" });
    expect(ReplayedDeadLetter.safeParse(replay.body).error).toBeUndefined();
    await waitUntil(() => hooks.accepted().length === 1, "the replayed delivery");
    expect(hooks.accepted()[0]).toMatchObject({ id: dead[0]?.id, signatureValid: true });
    expect(hooks.received.length).toBe(attemptsBefore + 1);
    const after = await fx.api("GET", `/v1/subscriptions/${id}/dead-letters`);
    expect((after.body.value as Array<{ id: string }>).map((d) => d.id)).toEqual([dead[1]?.id]);

    const again = await fx.api("POST", `/v1/subscriptions/${id}/dead-letters/${dead[0]?.id}/replay`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ error: { code: "dead_letter_not_found" } });
    expect((await fx.api("POST", `/v1/subscriptions/${id}/dead-letters/not-a-number/replay`)).status).toBe(404);
  });

  it("finishes the delivery in flight when stopped, and starts no other", async () => {
    f = await startWebhookFixture();
    receiver = await startStandardWebhookReceiver();
    const hooks = receiver;
    hooks.answer = () => ({ status: 200, delayMs: 400 });
    let inFlight = 0;
    const { id } = await subscribe(f, hooks);
    const worker = f.startWorker({
      fetch: async (input, init) => {
        inFlight += 1;
        return fetch(input, init);
      },
    });
    await f.createLead("slow1@example.com");
    await f.createLead("slow2@example.com");
    await waitUntil(() => inFlight === 1, "a delivery in flight");
    expect(hooks.received).toEqual([]);
    await worker.stop();
    expect(worker.started).toBe(false);
    // The one in flight was answered and acknowledged before stop() resolved; no other started.
    expect(hooks.received).toHaveLength(1);
    expect((await f.store.outboxStats(id)).delivered).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inFlight).toBe(1);
    expect(hooks.received).toHaveLength(1);
  });

  it("shares the work between two workers on two store instances without delivering an event twice", async () => {
    f = await startWebhookFixture({ deliveryPolicy: FAST_RETRIES });
    receiver = await startStandardWebhookReceiver();
    const hooks = receiver;
    hooks.answer = (index) => (index % 3 === 1 ? 500 : 200);
    const { id } = await subscribe(f, hooks);
    // A second store on the same file, as a second instance of the service would have.
    const second = await f.openRuntime();
    f.startWorker({ owner: "instance-a" });
    f.startWorker({ owner: "instance-b", runtime: second });
    const leads: string[] = [];
    for (let i = 0; i < 8; i++) leads.push(await f.createLead(`shared${i}@example.com`));
    await waitUntil(() => hooks.accepted().length >= 8, "eight deliveries", 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const accepted = hooks.accepted();
    expect(accepted).toHaveLength(8);
    expect(new Set(accepted.map((d) => d.id)).size).toBe(8);
    expect(accepted.map((d) => d.payload.id).sort()).toEqual([...leads].sort());
    const attempted = hooks.received.map((d) => Number(d.id));
    expect(attempted).toEqual([...attempted].sort((a, b) => a - b));
    expect(await f.store.outboxStats(id)).toEqual({ pending: 0, delivered: 8, dead: 0 });
  });

  it("spends the connection's budget on each background poll, and puts polls off while it is spent", async () => {
    // Three calls per minute: the subscription's baseline scan spends the first.
    f = await startWebhookFixture({ callsPerWindow: 3 });
    receiver = await startStandardWebhookReceiver();
    await subscribe(f, receiver);
    const callsPath = `/workspaces/${f.em.workspace.id}/calls`;
    await f.em.control("DELETE", callsPath);
    const budget = f.runtime.budget;
    f.startWorker();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // about seven poll intervals
    const calls = (await f.em.control("GET", callsPath)).body as { total: number };
    // Two polls fit (one search call each when nothing is new); the rest wait for the window.
    expect(calls.total).toBe(2);
    expect((await budget.spend(f.connection.id)).allowed).toBe(false);
    expect(f.logs.some((line) => line.includes("call budget is spent"))).toBe(true);
  });

  it("refuses at delivery a callback on a private address stored past the creation check: a failure with the reason, nothing sent", async () => {
    const policy: DeliveryRetryPolicy = { firstDelayMs: 20, maxDelayMs: 40, giveUpAfterMs: 200 };
    f = await startWebhookFixture({ deliveryPolicy: policy, callbackPolicy: PUBLIC_CALLBACKS_ONLY });
    receiver = await startStandardWebhookReceiver();
    const hooks = receiver;
    const ids: string[] = [];
    // As an earlier release (or another writer of the store) would have kept them: no creation check.
    for (const host of ["localhost", "127.0.0.1"]) {
      const subscription = await f.engine.subscribe(f.connection.id, "TrigNewLead");
      expect((await f.engine.poll(subscription.id)).ok).toBe(true);
      const url = new URL(hooks.url);
      url.hostname = host;
      await f.store.createWebhook({ subscriptionId: subscription.id, callbackUrl: url.href, secret: `whsec_${randomBytes(32).toString("base64")}` });
      ids.push(subscription.id);
    }
    f.startWorker();
    await f.createLead("private@example.com");
    await waitUntil(async () => (await Promise.all(ids.map((id) => f!.store.outboxStats(id)))).every((stats) => stats.dead === 1), "two dead events");
    expect(hooks.received).toEqual([]);

    const [localhost, loopback] = await Promise.all(ids.map((id) => f!.api("GET", `/v1/subscriptions/${id}/dead-letters`)));
    expect((localhost?.body.value as Array<{ last_error: string }>)[0]?.last_error).toMatch(/^refused: callback_url must not point to localhost: /);
    expect((loopback?.body.value as Array<{ last_error: string }>)[0]?.last_error).toMatch(/^refused: callback_url must not point to a loopback address \(127\.0\.0\.1\): /);
    await f.app.close(); // flushes the request logs
    const logs = f.logs.join("\n");
    expect(logs).toMatch(/"reason":"refused: callback_url must not point to localhost[^"]*".*"msg":"webhook (delivery failed|event dead-lettered)"/);
    expect(logs.includes(new URL(hooks.url).searchParams.get("sig") ?? "?")).toBe(false);
    expect(logs.includes(new URL(hooks.url).pathname)).toBe(false);
  });

  it("logs failures, dead letters and pushes without a secret, a callback URL or a signature", async () => {
    const policy: DeliveryRetryPolicy = { firstDelayMs: 20, maxDelayMs: 40, giveUpAfterMs: 200 };
    f = await startWebhookFixture({ deliveryPolicy: policy });
    receiver = await startStandardWebhookReceiver();
    const hooks = receiver;
    hooks.answer = () => 500;
    const { id, secret } = await subscribe(f, hooks);
    f.startWorker();
    await f.createLead("logged@example.com");
    await waitUntil(async () => (await f!.store.outboxStats(id)).dead === 1, "a dead event");
    const pushBody = JSON.stringify({ type: "notification_event", topic: "ping", data: { item: {} } });
    const clientSecret = f.em.workspace.clientSecret;
    const genuine = `sha1=${createHmac("sha1", clientSecret).update(pushBody).digest("hex")}`;
    for (const signature of [genuine, `sha1=${"0".repeat(40)}`]) {
      await fetch(`${f.baseUrl}/intercom/webhooks/${f.connection.id}`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature": signature }, body: pushBody });
    }
    await f.app.close(); // flushes the request logs

    const logs = f.logs.join("\n");
    expect(logs).toContain("webhook delivery failed");
    expect(logs).toContain("webhook event dead-lettered");
    expect(logs).toContain("Intercom push refused");
    for (const secretText of [secret, secret.slice("whsec_".length), clientSecret, f.apiKey, new URL(hooks.url).searchParams.get("sig") ?? "?", genuine.slice(5)]) {
      expect(logs.includes(secretText), "a secret in the logs").toBe(false);
    }
  });
});
