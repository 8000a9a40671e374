import { afterEach, describe, expect, it } from "vitest";
import type { DeliveryRetryPolicy } from "../../store/index.js";
import { addressKindPhrase } from "./blocked-addresses.js";
import { PUBLIC_CALLBACKS_ONLY, type ResolveHost } from "./callback-policy.js";
import { startWebhookFixture, type WebhookFixture } from "./testing/fixture.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "./testing/receiver.js";
import { SPECIAL_PURPOSE_ADDRESSES } from "./testing/special-addresses.js";

let f: WebhookFixture | undefined;
const receivers: StandardWebhookReceiver[] = [];
afterEach(async () => {
  await f?.close();
  for (const receiver of receivers.splice(0)) await receiver.close();
  f = undefined;
});

async function receiver(): Promise<StandardWebhookReceiver> {
  const started = await startStandardWebhookReceiver();
  receivers.push(started);
  return started;
}

/** `url` with its host replaced (port, path and `sig` kept). */
function withHost(url: string, host: string): string {
  const changed = new URL(url);
  changed.hostname = host;
  return changed.href;
}

/** The answers a name gets, in turn (the last one repeats), and how often each name was asked. */
function resolverFor(names: Record<string, string[][]>): ResolveHost & { asked: Map<string, number> } {
  const asked = new Map<string, number>();
  const resolve = async (hostname: string) => {
    const turn = asked.get(hostname) ?? 0;
    asked.set(hostname, turn + 1);
    const answers = names[hostname];
    const addresses = answers?.[Math.min(turn, answers.length - 1)];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

const FAST_DEATH: DeliveryRetryPolicy = { firstDelayMs: 20, maxDelayMs: 40, giveUpAfterMs: 300 };

describe("callbacks on non-public addresses (SSRF)", () => {
  it("refuses at creation every special-purpose address of both families, the outside report's included: 400 naming callback_url and the kind, nothing kept", async () => {
    f = await startWebhookFixture({ callbackPolicy: { ...PUBLIC_CALLBACKS_ONLY, resolve: resolverFor({}) } });
    const fx = f;
    for (const [address, kind, range] of SPECIAL_PURPOSE_ADDRESSES) {
      if (address.includes("%")) continue; // a zone has no place in a URL; resolvers may answer one
      const host = address.includes(":") ? `[${address}]` : address;
      const answer = await fx.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: `http://${host}:8080/hook?sig=s3cr3t` } });
      expect(answer.status, range).toBe(400);
      const error = (answer.body as { error: { code: string; field: string; message: string } }).error;
      expect(error, range).toMatchObject({ code: "invalid_input", field: "callback_url" });
      expect(error.message, range).toContain(`Invalid input: callback_url must not point to ${addressKindPhrase(kind)} (`);
      expect(error.message).not.toMatch(/s3cr3t|hook/);
    }
    expect(await fx.store.listSubscriptions()).toEqual([]);
    expect(await fx.store.listWebhooks()).toEqual([]);
    expect((await fx.em.control("GET", `/workspaces/${fx.em.workspace.id}/calls`)).body).toMatchObject({ total: 0 });
  });

  it("refuses at creation a name that resolves to loopback (localhost, or any name the resolver maps there)", async () => {
    const resolve = resolverFor({ "loop.example": [["127.0.0.1"]], "six.example": [["::1"]], "hooks.example": [["2002:7f00:1::"]] });
    f = await startWebhookFixture({ callbackPolicy: { ...PUBLIC_CALLBACKS_ONLY, resolve } });
    const fx = f;
    for (const [url, reason] of [
      ["https://localhost/hook?sig=s3cr3t", /^Invalid input: callback_url must not point to localhost: /],
      ["https://loop.example/hook?sig=s3cr3t", /^Invalid input: callback_url must not point to a loopback address \(loop\.example resolves to 127\.0\.0\.1\)/],
      ["https://six.example/hook?sig=s3cr3t", /^Invalid input: callback_url must not point to a loopback address \(six\.example resolves to ::1\)/],
      ["https://hooks.example/hook?sig=s3cr3t", /^Invalid input: callback_url must not point to a loopback address \(hooks\.example resolves to 2002:7f00:1::\)/],
    ] as const) {
      const answer = await fx.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: url } });
      expect(answer.status, url).toBe(400);
      expect(answer.body, url).toMatchObject({ error: { code: "invalid_input", field: "callback_url", message: expect.stringMatching(reason) as string } });
    }
    expect(await fx.store.listWebhooks()).toEqual([]);
    expect(Object.fromEntries(resolve.asked)).toEqual({ "loop.example": 1, "six.example": 1, "hooks.example": 1 });
  });

  it("refuses at connect time a name that resolved to a public address at creation and to loopback since (rebinding): only the allowed subscription sees events", async () => {
    const rebinding = await receiver();
    const trusted = await receiver();
    // rebind.example answers a public address once (creation, which connects to nothing), then loopback.
    const resolve = resolverFor({ "rebind.example": [["93.184.215.14"], ["127.0.0.1"]], "trusted.example": [["127.0.0.1"]] });
    f = await startWebhookFixture({ deliveryPolicy: FAST_DEATH, callbackPolicy: { allowPrivate: false, allowedHosts: ["trusted.example"], resolve } });
    const fx = f;
    const subscribe = async (url: string, hooks: StandardWebhookReceiver): Promise<string> => {
      const created = await fx.api("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: url } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      hooks.secret = created.body.secret as string;
      return created.body.id as string;
    };
    const rebound = await subscribe(withHost(rebinding.url, "rebind.example"), rebinding);
    await subscribe(withHost(trusted.url, "trusted.example"), trusted);
    expect(resolve.asked.get("rebind.example")).toBe(1);

    fx.startWorker();
    const lead = await fx.createLead("rebinding@example.com");
    await waitUntil(() => trusted.accepted().length === 1, "the allowed subscription's delivery");
    await waitUntil(async () => (await fx.store.outboxStats(rebound)).dead === 1, "the rebound subscription's event dead");
    expect(trusted.accepted()[0]?.payload.id).toBe(lead);
    expect(rebinding.received).toEqual([]);
    const dead = await fx.api("GET", `/v1/subscriptions/${rebound}/dead-letters`);
    expect((dead.body.value as Array<{ last_error: string }>)[0]?.last_error).toMatch(/^refused: the callback's host resolves to a loopback address/);
    expect(resolve.asked.get("rebind.example")).toBeGreaterThan(1);
  });
});
