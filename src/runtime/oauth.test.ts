import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../emulator/testing/harness.js";
import { openStore, type Store } from "../store/index.js";
import { Runtime } from "./runtime.js";

// "Connect with Intercom" end to end over real HTTP: the runtime starts the flow, a customer's
// browser (fetch, following the emulator's authorize page) picks a workspace, the redirect comes
// back, the runtime trades the code and makes a connection whose token works.

const REDIRECT = "https://connector.example.com/console/oauth/callback";

let em: TestEmulator;
let store: Store;
let now: number;
let app: { clientId: string; clientSecret: string };

beforeEach(async () => {
  em = await startTestEmulator();
  store = await openStore(":memory:", { secretKey: randomBytes(32) });
  now = Date.now();
  app = em.emulator.oauth.register({ name: "Acme connector", redirectUris: [REDIRECT] });
});
afterEach(async () => {
  await store.close();
  await em.close();
});

function runtimeWith(oauth = true): Runtime {
  return new Runtime({
    store,
    now: () => now,
    retention: false,
    ...(oauth ? { oauth: { clientId: app.clientId, clientSecret: app.clientSecret, appBaseUrl: em.baseUrl, apiBaseUrl: em.baseUrl } } : {}),
  });
}

/** What a browser does on the authorize page: submit the workspace's form (or Cancel); the redirect's query. */
async function authorize(url: string, decision: "allow" | "deny" = "allow"): Promise<URLSearchParams> {
  const pageAnswer = await fetch(url);
  expect(pageAnswer.status).toBe(200);
  const html = await pageAnswer.text();
  expect(html).toContain("Acme connector would like to connect to your Intercom workspace");
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)">(.*?)<\/form>/g)];
  const form = forms.find((match) => (match[2] ?? "").includes(`value="${decision}"`));
  if (form === undefined) throw new Error(`no ${decision} form in ${html}`);
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? "").matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(input[1] ?? "", (input[2] ?? "").replaceAll("&#38;", "&"));
  fields.set("decision", decision);
  const answer = await fetch(new URL(form[1] ?? "", em.baseUrl), { method: "POST", body: fields, redirect: "manual" });
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return location.searchParams;
}

describe("Connect with Intercom", () => {
  it("makes a connection whose token works, with the app's client secret for pushes", async () => {
    const runtime = runtimeWith();
    const started = await runtime.beginOAuth({ session: "session-1", region: "eu", redirectUri: REDIRECT });
    if (!started.ok) throw started.error;
    const url = new URL(started.value.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${em.baseUrl}/oauth`);
    expect(url.searchParams.get("client_id")).toBe(app.clientId);
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT);
    const back = await authorize(started.value.url);
    expect(back.get("state")).toBe(url.searchParams.get("state"));
    const made = await runtime.finishOAuth({ session: "session-1", state: back.get("state"), code: back.get("code") });
    if (!made.ok) throw made.error;
    expect(made.value.connection.region).toBe("eu");
    expect(made.value.apiKey).toMatch(/^icc_/);
    expect(await store.getIntercomClientSecret(made.value.connection.id)).toBe(app.clientSecret);
    const tags = await runtime.call(made.value.connection.id, "ListTags", {});
    expect(tags.ok).toBe(true);
    // The token is stored encrypted, never as given back by Intercom.
    const credentials = await store.getConnectionCredentials(made.value.connection.id);
    expect(credentials?.accessToken).toMatch(/^oauth_/);
  });

  it("refuses a replayed, forged, expired or another session's state, creating nothing", async () => {
    const runtime = runtimeWith();
    const first = await runtime.beginOAuth({ session: "s1", redirectUri: REDIRECT });
    if (!first.ok) throw first.error;
    const back = await authorize(first.value.url);
    // Another session presenting this redirect burns the state: the rightful one must start again.
    const stolen = await runtime.finishOAuth({ session: "s2", state: back.get("state"), code: back.get("code") });
    expect(!stolen.ok && stolen.error.toJSON()).toMatchObject({ code: "oauth_state_invalid", status: 400, field: "state" });
    const replay = await runtime.finishOAuth({ session: "s1", state: back.get("state"), code: back.get("code") });
    expect(!replay.ok && replay.error.code).toBe("oauth_state_invalid");
    for (const state of ["forged-state", "", undefined, 42, "x".repeat(300)]) {
      const forged = await runtime.finishOAuth({ session: "s1", state, code: back.get("code") });
      expect(!forged.ok && forged.error.code, String(state)).toBe("oauth_state_invalid");
    }
    const late = await runtime.beginOAuth({ session: "s1", redirectUri: REDIRECT });
    if (!late.ok) throw late.error;
    const lateBack = await authorize(late.value.url);
    now += 11 * 60_000;
    const expired = await runtime.finishOAuth({ session: "s1", state: lateBack.get("state"), code: lateBack.get("code") });
    expect(!expired.ok && expired.error.code).toBe("oauth_state_invalid");
    expect(await store.listConnections()).toEqual([]);
  });

  it("answers the admin's Cancel, and Intercom's refusal of a code used twice", async () => {
    const runtime = runtimeWith();
    const denied = await runtime.beginOAuth({ session: "s1", redirectUri: REDIRECT });
    if (!denied.ok) throw denied.error;
    const cancel = await authorize(denied.value.url, "deny");
    expect(cancel.get("error")).toBe("access_denied");
    const answer = await runtime.finishOAuth({ session: "s1", state: cancel.get("state"), code: cancel.get("code") ?? undefined, error: cancel.get("error") });
    expect(!answer.ok && answer.error.toJSON()).toMatchObject({ code: "oauth_denied", status: 400 });

    const once = await runtime.beginOAuth({ session: "s1", redirectUri: REDIRECT });
    if (!once.ok) throw once.error;
    const back = await authorize(once.value.url);
    expect((await runtime.finishOAuth({ session: "s1", state: back.get("state"), code: back.get("code") })).ok).toBe(true);
    const again = await runtime.beginOAuth({ session: "s1", redirectUri: REDIRECT });
    if (!again.ok) throw again.error;
    const reused = await runtime.finishOAuth({ session: "s1", state: new URL(again.value.url).searchParams.get("state"), code: back.get("code") });
    expect(!reused.ok && reused.error.toJSON()).toMatchObject({ code: "oauth_exchange_failed", status: 502, message: "Intercom did not trade the authorization code for a token: Intercom answered 401" });
    expect(await store.listConnections()).toHaveLength(1);
  });

  it("is oauth_not_configured without an app, and refuses an unknown region, before anything", async () => {
    const none = runtimeWith(false);
    const started = await none.beginOAuth({ session: "s1", redirectUri: REDIRECT });
    expect(!started.ok && started.error.toJSON()).toMatchObject({ code: "oauth_not_configured", status: 404 });
    const region = await runtimeWith().beginOAuth({ session: "s1", region: "mars", redirectUri: REDIRECT });
    expect(!region.ok && region.error.toJSON()).toMatchObject({ code: "invalid_input", field: "region" });
  });

  it("the emulator's authorize page refuses an unknown app or redirect URL", async () => {
    expect((await fetch(`${em.baseUrl}/oauth?client_id=nope&state=x`)).status).toBe(400);
    const wrong = await fetch(`${em.baseUrl}/oauth?client_id=${app.clientId}&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("This redirect_uri is not one of the app&#39;s redirect URLs.");
  });
});
