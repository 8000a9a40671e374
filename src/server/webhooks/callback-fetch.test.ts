import { lookup } from "node:dns/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { OutboxEvent } from "../../store/index.js";
import { callbackFetch, type ResolveHost } from "./callback-fetch.js";
import { ANY_CALLBACK, CallbackGuard, PUBLIC_CALLBACKS_ONLY, type CallbackPolicy } from "./callback-policy.js";
import { postWebhook } from "./deliver.js";
import { startStandardWebhookReceiver, type StandardWebhookReceiver } from "./testing/receiver.js";

let receiver: StandardWebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const EVENT: OutboxEvent = {
  id: 7,
  subscriptionId: "sub_1",
  dedupeKey: "k",
  payload: { id: "lead_1" },
  status: "pending",
  attempts: 0,
  nextAttemptAt: new Date(0),
  lastError: null,
  createdAt: new Date(0),
  deliveredAt: null,
};

/** A resolver that answers `names` itself and nothing else. */
function resolverFor(names: Record<string, string[]>): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = names[hostname];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

/** Delivers one event to `url` the way the worker does, under `policy`. */
async function deliver(url: string, policy: CallbackPolicy, resolve?: ResolveHost): ReturnType<typeof postWebhook> {
  const fetchImpl = callbackFetch(new CallbackGuard(policy), resolve === undefined ? {} : { resolve });
  return postWebhook({ callbackUrl: url, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", event: EVENT, timestampSeconds: 1_700_000_000, timeoutMs: 2_000 }, fetchImpl);
}

/** The receiver's URL with its host replaced by `host` (its port, path and `sig` kept). */
function at(hooks: StandardWebhookReceiver, host: string): string {
  const url = new URL(hooks.url);
  url.hostname = host;
  return url.href;
}

describe("callbackFetch", () => {
  it("refuses a host name that resolves to a private address at delivery (DNS rebinding): no request reaches the receiver", async () => {
    receiver = await startStandardWebhookReceiver();
    const resolve = resolverFor({ "rebind.example": ["127.0.0.1"], "mixed.example": ["93.184.215.14", "10.0.0.7"], "v6.example": ["::ffff:127.0.0.1"] });
    // Subscribing would have let it through: a name is not resolved then.
    expect(new CallbackGuard(PUBLIC_CALLBACKS_ONLY).checkUrl(at(receiver, "rebind.example")).ok).toBe(true);
    expect(await deliver(at(receiver, "rebind.example"), PUBLIC_CALLBACKS_ONLY, resolve)).toEqual({
      ok: false,
      error: "refused: the callback's host resolves to a loopback address, and private callbacks are not allowed",
    });
    expect(await deliver(at(receiver, "mixed.example"), PUBLIC_CALLBACKS_ONLY, resolve)).toMatchObject({ ok: false, error: expect.stringMatching(/^refused: the callback's host resolves to a private address/) as string });
    expect(await deliver(at(receiver, "v6.example"), PUBLIC_CALLBACKS_ONLY, resolve)).toMatchObject({ ok: false, error: expect.stringMatching(/^refused: .* loopback address/) as string });
    expect(resolve.asked).toEqual(["rebind.example", "mixed.example", "v6.example"]);
    expect(receiver.received).toEqual([]);
  });

  it("refuses a literal private address and localhost before connecting (sockets look no literal up)", async () => {
    receiver = await startStandardWebhookReceiver();
    const resolve = resolverFor({});
    for (const host of ["127.0.0.1", "[::ffff:7f00:1]", "localhost"]) {
      const outcome = await deliver(at(receiver, host), PUBLIC_CALLBACKS_ONLY, resolve);
      expect(outcome, host).toMatchObject({ ok: false, error: expect.stringMatching(/^refused: callback_url must not point to (a loopback address|localhost)/) as string });
      expect(JSON.stringify(outcome)).not.toContain("sig=");
    }
    expect(await deliver(at(receiver, "127.0.0.1").replace("http:", "ftp:"), PUBLIC_CALLBACKS_ONLY)).toEqual({ ok: false, error: "refused: callback_url must be an http or https URL" });
    expect(resolve.asked).toEqual([]);
    expect(receiver.received).toEqual([]);
  });

  it("refuses a name the system resolver maps to loopback, whatever families it answers", async () => {
    receiver = await startStandardWebhookReceiver();
    // The system's own answer for localhost (127.0.0.1, ::1 or both), given for another name.
    const resolve: ResolveHost = (_hostname, options) => lookup("localhost", { ...options, all: true });
    const outcome = await deliver(at(receiver, "looks-public.example"), PUBLIC_CALLBACKS_ONLY, resolve);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/^refused: the callback's host resolves to a loopback address/) as string });
    expect(receiver.received).toEqual([]);
    expect(await deliver(at(receiver, "looks-public.example"), ANY_CALLBACK, async () => [{ address: "127.0.0.1", family: 4 }])).toEqual({ ok: true, status: 200 });
  });

  it("delivers to what the policy allows: any address with allowPrivate, an allowed name or range otherwise", async () => {
    receiver = await startStandardWebhookReceiver();
    const resolve = resolverFor({ "hooks.corp.example": ["127.0.0.1"], "other.corp.example": ["127.0.0.1"] });
    expect(await deliver(receiver.url, ANY_CALLBACK)).toEqual({ ok: true, status: 200 });
    expect(await deliver(at(receiver, "hooks.corp.example"), ANY_CALLBACK, resolve)).toEqual({ ok: true, status: 200 });
    expect(await deliver(at(receiver, "hooks.corp.example"), { allowPrivate: false, allowedHosts: ["hooks.corp.example"] }, resolve)).toEqual({ ok: true, status: 200 });
    expect(await deliver(at(receiver, "other.corp.example"), { allowPrivate: false, allowedHosts: ["127.0.0.0/8"] }, resolve)).toEqual({ ok: true, status: 200 });
    expect(await deliver(receiver.url, { allowPrivate: false, allowedHosts: ["127.0.0.1"] })).toEqual({ ok: true, status: 200 });
    const { pathname, search } = new URL(receiver.url);
    expect(receiver.received.map((d) => d.path)).toEqual(Array<string>(5).fill(pathname + search));
  });

  it("fails a name that does not resolve as a connection failure, not a refusal", async () => {
    expect(await deliver("https://nowhere.invalid/hook?sig=s", PUBLIC_CALLBACKS_ONLY, resolverFor({}))).toEqual({ ok: false, error: "connection failed: ENOTFOUND" });
  });
});
