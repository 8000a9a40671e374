import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "../contract/index.js";
import { CONNECTOR_ROUTES } from "./openapi/index.js";
import { POLL_STATE_KEY_PURPOSE, PollStateCodec } from "../runtime/poll-state.js";
import { CONNECTION_ROUTES, HEALTH_PATH, INTERCOM_PUSH_ROUTE, OPENAPI_PATH } from "./routes.js";
import { rawRequest } from "./testing/raw-http.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

// A battery of malformed requests against every route the service has (the connector's route
// table and the service's own endpoints), with a valid API key and without: no answer may be a
// 5xx, every error must be in the one shape under a registered code at that code's status, and
// none may carry back a value the request sent (MARK, put in bodies, queries and headers).

const MARK = "LEAKMARK-91d4";
const PUSH_SECRET = "push-client-secret";

interface Route {
  readonly method: string;
  readonly path: string;
}
const ROUTES: readonly Route[] = [
  ...CONNECTOR_ROUTES,
  ...Object.values(CONNECTION_ROUTES),
  INTERCOM_PUSH_ROUTE,
  { method: "GET", path: HEALTH_PATH },
  { method: "GET", path: OPENAPI_PATH },
];

/** One request of the battery. */
interface Probe {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

/** What went wrong with one answer (empty when it is right). */
function problemsOf(probe: Probe, status: number, text: string): string[] {
  const { "x-api-key": key, ...shown } = probe.headers ?? {};
  const where = `${probe.method} ${probe.url.slice(0, 160)}${probe.url.length > 160 ? "…" : ""} ${key === undefined ? "without a key" : "with a key"} ${JSON.stringify(shown).slice(0, 200)} → ${status}`;
  if (status >= 500) return [`${where}: a 5xx: ${text.slice(0, 300)}`];
  if (status < 400 || probe.method === "HEAD") return [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`${where}: not JSON: ${text.slice(0, 200)}`];
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  if (typeof body !== "object" || body === null || Object.keys(body).join() !== "error" || typeof error !== "object" || error === null) return [`${where}: not the one shape: ${text.slice(0, 200)}`];
  const code = error.code;
  if (typeof code !== "string" || !Object.hasOwn(ERROR_CODES, code)) return [`${where}: unregistered code ${String(code)}`];
  const problems: string[] = [];
  if (ERROR_CODES[code as ErrorCode].status !== status) problems.push(`${where}: ${code} answered at ${status}, registered at ${ERROR_CODES[code as ErrorCode].status}`);
  if (typeof error.message !== "string" || error.message === "") problems.push(`${where}: ${code} without a message`);
  if (text.includes(MARK)) problems.push(`${where}: ${code} quotes the request: ${text.slice(0, 300)}`);
  return problems;
}

let h: ServiceHarness;
/** Filled path parameters: real ids of this harness, so that a probe reaches the handler. */
let ids: Record<string, string>;
let pushConnectionId: string;
/** A polling state of each kind a flow could send back, forged or not. */
let states: Record<string, string>;
/** Signs a state as the service does: what the route does past the signature check is probed too. */
const encodeState = (state: { subscriptionId: string; ackedThrough: number | null }): string => new PollStateCodec(h.store.deriveKey(POLL_STATE_KEY_PURPOSE)).encode(state);

beforeAll(async () => {
  // A budget that never runs out: a 429 would hide what a probe would otherwise get.
  h = await startServiceHarness({ callsPerMinute: 10_000_000 });
  const push = await h.store.createConnection({ name: "Pushes", region: "us", baseUrl: h.em.baseUrl, accessToken: h.em.token, intercomClientSecret: PUSH_SECRET });
  pushConnectionId = push.connection.id;
  const webhook = await h.call("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: "https://example.com/hook" }, headers: { "content-type": "application/json" } });
  expect(webhook.status).toBe(201);
  const webhookId = (webhook.body as { id: string }).id;
  ids = { connectionId: h.connection.id, subscriptionId: webhookId, eventId: "1" };

  const stateOf = async (url: string, key?: string): Promise<string> => {
    const answer = await h.call("GET", url, key === undefined ? {} : { key });
    expect(answer.status).toBe(202);
    return new URL(String(answer.headers.location)).searchParams.get("state") ?? "";
  };
  const lead = await stateOf("/v1/triggers/TrigNewLead/poll");
  const other = await h.newConnection();
  const forged = (body: unknown): string => `poll.${Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8").toString("base64url")}`;
  const leadId = (JSON.parse(Buffer.from(lead.split(".")[1] ?? "", "base64url").toString("utf8")) as { s: string }).s;
  const encodePollState = encodeState;
  states = {
    valid: lead,
    truncated: lead.slice(0, lead.length - 7),
    "one character more": `${lead}A`,
    "standard base64": lead.replace(/-/g, "+").replace(/_/g, "/"),
    "another trigger's": await stateOf("/v1/triggers/TrigNewUser/poll"),
    "another connection's": await stateOf("/v1/triggers/TrigNewLead/poll", other.apiKey),
    "a webhook's": encodePollState({ subscriptionId: webhookId, ackedThrough: null }),
    "a bare webhook id": webhookId,
    "no such subscription": encodePollState({ subscriptionId: "00000000-0000-4000-8000-000000000000", ackedThrough: 3 }),
    "bare unknown id": "0B6C3F0E-8A4D-4C2E-9A57-1F2D3C4B5A69",
    "acked past any event": encodePollState({ subscriptionId: leadId, ackedThrough: Number.MAX_SAFE_INTEGER }),
    "acked beyond safe integers": forged({ s: leadId, a: 2 ** 60 }),
    "acked 1e308": forged(`{"s":"${leadId}","a":1e308}`),
    "acked -0": forged(`{"s":"${leadId}","a":-0}`),
    "acked negative": forged({ s: leadId, a: -1 }),
    "acked a fraction": forged({ s: leadId, a: 0.5 }),
    "acked as a string": forged({ s: leadId, a: "1" }),
    "acked as an object": forged({ s: leadId, a: { $gt: 0 } }),
    "id not a uuid": forged({ s: `${leadId}' OR 1=1 --`, a: null }),
    "id an array": forged({ s: [leadId], a: null }),
    "extra key": forged({ s: leadId, a: null, x: MARK }),
    "__proto__ key": forged(`{"s":"${leadId}","a":null,"__proto__":{"x":"${MARK}"}}`),
    "an array": forged([leadId, null]),
    "null": forged("null"),
    "deeply nested": forged(`${"[".repeat(10_000)}${"]".repeat(10_000)}`),
    "whitespace padded": forged(`  {"s" : "${leadId}" , "a" : null}  `),
    "not UTF-8": `poll.${Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]).toString("base64url")}`,
    "not base64": `poll.${MARK}!!!***`,
    "prefix only": "poll.",
    "other prefix": `leads.${lead.slice(5)}`,
    "a marker": MARK,
    "10,000 characters": `poll.${"A".repeat(10_000)}`,
    "percent-encoded junk": "%FF%FE%00",
    "a NUL": "poll.\u0000",
  };
});

afterAll(async () => {
  await h.close();
});

/** The route's path with each `{param}` filled by `fill` (encoded), or the harness's real ids. */
function pathOf(route: Route, fill?: string): string {
  return route.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    if (fill !== undefined) return fill;
    return name === "connectionId" && route.path.startsWith("/intercom/") ? pushConnectionId : (ids[name] ?? "x");
  });
}

function hubSignature(body: string | Buffer): string {
  return `sha1=${createHmac("sha1", PUSH_SECRET).update(body).digest("hex")}`;
}

/**
 * Sends each probe with the harness's API key and without, and returns what was wrong. The
 * connection deleting route gets a fresh connection per probe: the first would delete the one
 * every other probe uses.
 */
async function send(probes: readonly Probe[]): Promise<string[]> {
  const problems: string[] = [];
  for (const probe of probes) {
    for (const withKey of [true, false]) {
      const headers: Record<string, string> = { ...probe.headers };
      let url = probe.url;
      if (withKey && headers["x-api-key"] === undefined) {
        if (probe.method === "DELETE" && url.startsWith("/v1/connections/")) {
          const fresh = await h.newConnection();
          headers["x-api-key"] = fresh.apiKey;
          url = url.replace(h.connection.id, fresh.connection.id);
        } else {
          headers["x-api-key"] = h.apiKey;
        }
      }
      const answer = await h.app.inject({ method: probe.method as "GET", url, headers, ...(probe.payload === undefined ? {} : { payload: probe.payload }) });
      problems.push(...problemsOf({ ...probe, url, headers }, answer.statusCode, answer.body));
    }
  }
  return problems;
}

const JSON_TYPE = { "content-type": "application/json" };

/** Bodies no route takes, each with the type it is sent as. */
const BAD_BODIES: ReadonlyArray<{ headers: Record<string, string>; payload: string | Buffer }> = [
  { headers: JSON_TYPE, payload: `{"email":"${MARK}` },
  { headers: JSON_TYPE, payload: "" },
  { headers: JSON_TYPE, payload: `{"__proto__":{"polluted":"${MARK}"}}` },
  { headers: JSON_TYPE, payload: `{"constructor":{"prototype":{"polluted":"${MARK}"}}}` },
  { headers: JSON_TYPE, payload: "[]" },
  { headers: JSON_TYPE, payload: `"${MARK}"` },
  { headers: JSON_TYPE, payload: "null" },
  { headers: JSON_TYPE, payload: "1e999" },
  { headers: JSON_TYPE, payload: `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}` },
  { headers: JSON_TYPE, payload: JSON.stringify({ email: MARK.repeat(80_000) }) },
  { headers: JSON_TYPE, payload: Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]) },
  { headers: { "content-type": "application/json; charset=latin1" }, payload: Buffer.from([0x7b, 0x7d, 0xff]) },
  { headers: { ...JSON_TYPE, "content-length": "100" }, payload: "{}" },
  { headers: { "content-type": "application/xml" }, payload: `<email>${MARK}</email>` },
  { headers: { "content-type": "application/x-www-form-urlencoded" }, payload: `email=${MARK}` },
  { headers: { "content-type": "multipart/form-data; boundary=x" }, payload: `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n${MARK}\r\n--x--` },
  { headers: { "content-type": `${MARK}///` }, payload: "{}" },
  { headers: { "content-type": "text/plain" }, payload: MARK },
  { headers: { "content-type": "application/octet-stream" }, payload: Buffer.from([0, 1, 2, 0xff]) },
  // Right JSON, wrong everything inside.
  {
    headers: JSON_TYPE,
    payload: JSON.stringify({
      email: [MARK],
      name: { $ne: MARK },
      contact_id: { $gt: "" },
      user_id: 1e308,
      companies: [{ company_id: MARK }],
      callback_url: `javascript:alert('${MARK}')`,
      access_token: `${MARK} with spaces`,
      region: MARK,
      base_url: `file:///${MARK}`,
      type: "notification_event",
      topic: MARK,
      data: { item: MARK },
    }),
  },
  { headers: JSON_TYPE, payload: JSON.stringify({ callback_url: `http://127.0.0.1:1/${MARK}?sig=${MARK}` }) },
  { headers: JSON_TYPE, payload: JSON.stringify({ callback_url: `https://user:${MARK}@example.com/hook` }) },
  { headers: JSON_TYPE, payload: JSON.stringify({ email: `${MARK}@`, contact_id: `../${MARK}`, user_id: `%00${MARK}` }) },
  { headers: JSON_TYPE, payload: JSON.stringify({ type: "notification_event", topic: "contact.lead.created", data: { item: { type: "contact", id: MARK, role: MARK } } }) },
];

/** Query strings no route takes. */
const BAD_QUERIES: readonly string[] = [
  `%zz=%zz${MARK}`,
  `cursor=${MARK}`,
  `cursor=${MARK}&cursor=${MARK}2`,
  `cursor=leads.${Buffer.from(`{"after":"${MARK}"}`).toString("base64url")}`,
  `cursor=leads.${Buffer.from(`[1e308,"${MARK}"]`).toString("base64url")}`,
  `cursor[]=${MARK}`,
  `state=${MARK}`,
  `state=${MARK}&state=${MARK}`,
  `state[$ne]=${MARK}`,
  `limit=${MARK}`,
  "limit=0",
  "limit=1e3",
  "limit=-1",
  "limit=1&limit=2",
  "after=-1",
  "after=99999999999999999999",
  "after=1&after=2",
  `after=${MARK}`,
  `__proto__=${MARK}`,
  `constructor=${MARK}`,
  `hasOwnProperty=${MARK}`,
  `toString=${MARK}`,
  `x=%FF%FE${MARK}`,
  "&&&==&=",
  `q=${MARK.repeat(1_000)}`,
  `${"a=1&".repeat(2_000)}b=${MARK}`,
];

/** Methods beside the route's own. */
const ODD_METHODS: readonly string[] = ["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "PROPFIND", "SEARCH", "TRACE", "LOCK", "PURGE", "QUERY"];

/** What a path parameter may be instead of an id (already percent-encoded where it must be). */
const BAD_PARAMS: readonly string[] = [
  "%zz",
  "%FF%FE",
  "%E0%A4%A",
  "a".repeat(101),
  "a".repeat(100),
  "..",
  "%2E%2E",
  "%2F",
  "%00",
  "%C3%BC",
  "x'%20OR%201=1--",
  "-1",
  "1e308",
  "9".repeat(20),
  "00000000-0000-0000-0000-000000000000",
  "__proto__",
  "constructor",
  "%20",
];

/** Headers that are wrong in their own way. */
const ODD_HEADERS: ReadonlyArray<Record<string, string>> = [
  { "x-api-key": "" },
  { "x-api-key": `${MARK}${"k".repeat(8_000)}` },
  { "x-api-key": `icc_${MARK}` },
  { "x-admin-key": MARK },
  { host: `${MARK}.example.com:99999` },
  { host: "[::1" },
  { host: `a b ${MARK}` },
  { host: "" },
  { "x-forwarded-host": MARK, "x-forwarded-proto": MARK, forwarded: `for=${MARK}` },
  { "x-hub-signature": `sha1=${MARK}` },
  { accept: "application/xml", "accept-encoding": MARK, "accept-charset": MARK },
  { "transfer-encoding": MARK },
];

describe("malformed requests to every route", () => {
  it("has the routes it means to probe", () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(CONNECTOR_ROUTES.length + 8);
    expect(Object.keys(states).length).toBeGreaterThan(30);
  });

  it("answer bad bodies and content types without a 5xx, in the one shape", { timeout: 120_000 }, async () => {
    const probes: Probe[] = [];
    for (const route of ROUTES) {
      for (const body of BAD_BODIES) probes.push({ method: route.method, url: `${pathOf(route)}?x=${MARK}`, headers: body.headers, payload: body.payload });
      // Intercom's pushes are read only once signed: sign them so the body is what is judged.
      if (route === INTERCOM_PUSH_ROUTE) {
        for (const body of BAD_BODIES) probes.push({ method: route.method, url: pathOf(route), headers: { ...body.headers, "x-hub-signature": hubSignature(body.payload) }, payload: body.payload });
      }
    }
    expect(await send(probes)).toEqual([]);
  });

  it("answer bad query strings and duplicated parameters without a 5xx", { timeout: 120_000 }, async () => {
    const probes = ROUTES.flatMap((route) => BAD_QUERIES.map((query): Probe => ({ method: route.method, url: `${pathOf(route)}?${query}`, ...(route.method === "POST" ? { headers: JSON_TYPE, payload: "{}" } : {}) })));
    expect(await send(probes)).toEqual([]);
  });

  it("answer odd methods, junk path parameters and odd headers without a 5xx", { timeout: 120_000 }, async () => {
    const probes: Probe[] = [];
    for (const route of ROUTES) {
      for (const method of ODD_METHODS) probes.push({ method, url: `${pathOf(route)}?x=${MARK}` });
      probes.push({ method: "QUERY", url: pathOf(route), headers: JSON_TYPE, payload: "{}" });
      if (route.path.includes("{")) for (const param of BAD_PARAMS) probes.push({ method: route.method, url: `${pathOf(route, param)}?x=${MARK}` });
      for (const headers of ODD_HEADERS) probes.push({ method: route.method, url: pathOf(route), headers });
    }
    expect(await send(probes)).toEqual([]);
  });

  it("answer bad, forged and truncated trigger states without a 5xx: 400 naming state, or the state's own answer", { timeout: 120_000 }, async () => {
    const polling = CONNECTOR_ROUTES.filter((route) => route.kind === "polling-trigger");
    const probes: Probe[] = [];
    for (const route of polling) {
      for (const state of Object.values(states)) {
        probes.push({ method: "GET", url: `${route.path}?state=${encodeURIComponent(state)}` });
        probes.push({ method: "GET", url: `${route.path}?state=${encodeURIComponent(state)}&state=${encodeURIComponent(state)}` });
        probes.push({ method: "GET", url: `${route.path}?state=${encodeURIComponent(state)}&x=${MARK}` });
      }
      probes.push({ method: "GET", url: `${route.path}?state=%FF%FE` });
      probes.push({ method: "GET", url: `${route.path}?state` });
      probes.push({ method: "GET", url: `${route.path}?state=` });
    }
    expect(await send(probes)).toEqual([]);

    // What each wrong state is answered with, on its own trigger's route.
    const poll = async (state: string): Promise<{ status: number; code?: string; field?: string }> => {
      const answer = await h.call("GET", `/v1/triggers/TrigNewLead/poll?state=${encodeURIComponent(state)}`);
      const error = (answer.body as { error?: { code: string; field?: string } } | null)?.error;
      return { status: answer.status, ...(error === undefined ? {} : { code: error.code, ...(error.field === undefined ? {} : { field: error.field }) }) };
    };
    const invalid = { status: 400, code: "invalid_input", field: "state" };
    for (const name of ["truncated", "acked beyond safe integers", "acked 1e308", "acked negative", "acked a fraction", "acked as a string", "acked as an object", "id not a uuid", "id an array", "extra key", "__proto__ key", "an array", "null", "deeply nested", "not UTF-8", "not base64", "prefix only", "other prefix", "a marker", "10,000 characters", "percent-encoded junk", "a NUL", "another trigger's", "one character more"]) {
      expect(await poll(states[name] ?? ""), name).toEqual(invalid);
    }
    // Unsigned (the earlier releases' forms, and payloads anyone could write) or re-spelled: not this service's.
    for (const name of ["acked -0", "whitespace padded", "a bare webhook id", "bare unknown id"]) {
      expect(await poll(states[name] ?? ""), name).toEqual(invalid);
    }
    const respelled = states["standard base64"] ?? "";
    if (respelled !== states.valid) expect(await poll(respelled)).toEqual(invalid);
    expect(await poll(states["another connection's"] ?? "")).toEqual({ status: 403, code: "forbidden", field: "state" });
    // Signed, for a subscription that is gone (the probes above deleted the webhook too): the flow must be re-saved.
    expect(await poll(states["no such subscription"] ?? "")).toEqual({ status: 410, code: "subscription_expired", field: "state" });
    const webhook = await h.call("POST", "/v1/triggers/TrigNewLead/subscriptions", { body: { callback_url: "https://example.com/hook" }, headers: { "content-type": "application/json" } });
    const liveWebhookState = encodeState({ subscriptionId: (webhook.body as { id: string }).id, ackedThrough: null });
    expect(await poll(liveWebhookState)).toEqual({ status: 404, code: "subscription_not_found", field: "state" });
    for (const name of ["valid", "acked past any event"]) {
      expect((await poll(states[name] ?? "")).status, name).toBeLessThan(300);
    }
  });
});

describe("malformed requests over a real socket", () => {
  it("answer huge headers, bad HTTP (once per method: Node refuses it before routing), and every route's huge URL, missing Host and huge body, in the one shape", { timeout: 120_000 }, async () => {
    await h.app.listen({ port: 0, host: "127.0.0.1" });
    const port = (h.app.server.address() as AddressInfo).port;
    const problems: string[] = [];
    // Node's parser refuses these before any route is chosen: one route per method shows it;
    // what depends on the route (its path, its query, its body limit) is sent to every route.
    const parserLevel = new Set(["huge header", "bad header name", "raw bytes in a header", "an Expect header that is not 100-continue", "HTTP/2's preface", "two Content-Lengths"]);
    const oneOfEachMethod = new Set(ROUTES.filter((route, i) => ROUTES.findIndex((other) => other.method === route.method) === i));
    for (const route of ROUTES) {
      for (const withKey of [true, false]) {
        const all: Array<[string, (path: string, keyHeader: string) => string | Buffer]> = [
          ["huge header", (path, keyHeader) => `${route.method} ${path} HTTP/1.1\r\nHost: x\r\n${keyHeader}X-Big: ${MARK.repeat(2_000)}\r\n\r\n`],
          ["huge URL", (path, keyHeader) => `${route.method} ${path}?q=${MARK.repeat(2_000)} HTTP/1.1\r\nHost: x\r\n${keyHeader}\r\n`],
          ["no Host", (path, keyHeader) => `${route.method} ${path}?x=${MARK} HTTP/1.1\r\n${keyHeader}Connection: close\r\n\r\n`],
          ["bad header name", (path, keyHeader) => `${route.method} ${path} HTTP/1.1\r\nHost: x\r\n${keyHeader}Bad Header: ${MARK}\r\n\r\n`],
          ["raw bytes in the query", (path, keyHeader) => Buffer.concat([Buffer.from(`${route.method} ${path}?x=`), Buffer.from([0xff, 0x00]), Buffer.from(` HTTP/1.1\r\nHost: x\r\n${keyHeader}\r\n`)])],
          ["raw bytes in a header", (path, keyHeader) => Buffer.concat([Buffer.from(`${route.method} ${path} HTTP/1.1\r\nHost: x\r\n${keyHeader}X-Junk: `), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from("\r\nConnection: close\r\n\r\n")])],
          ["huge body", (path, keyHeader) => `${route.method} ${path} HTTP/1.1\r\nHost: x\r\n${keyHeader}Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{"x":"${MARK}`],
          ["an Expect header that is not 100-continue", (path, keyHeader) => `${route.method} ${path} HTTP/1.1\r\nHost: x\r\n${keyHeader}Expect: ${MARK}\r\n\r\n`],
          ["HTTP/2's preface", () => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
          ["two Content-Lengths", (path, keyHeader) => `${route.method} ${path} HTTP/1.1\r\nHost: x\r\n${keyHeader}Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}`],
          ["HTTP/1.0 without Host", (path, keyHeader) => `${route.method} ${path}?x=${MARK} HTTP/1.0\r\n${keyHeader}\r\n`],
        ];
        const requests = oneOfEachMethod.has(route) ? all : all.filter(([name]) => !parserLevel.has(name));
        for (const [name, request] of requests) {
          // The delete route would delete the key every other request uses: a fresh one each time.
          const fresh = withKey && route === CONNECTION_ROUTES.delete ? await h.newConnection() : null;
          const path = fresh === null ? pathOf(route) : pathOf(route).replace(h.connection.id, fresh.connection.id);
          const keyHeader = withKey ? `X-API-Key: ${fresh?.apiKey ?? h.apiKey}\r\n` : "";
          const answer = await rawRequest(port, request(path, keyHeader));
          if (answer.status === 0) problems.push(`${name} ${route.method} ${route.path}: no answer`);
          else problems.push(...problemsOf({ method: route.method, url: `${path} (${name})` }, answer.status, answer.body));
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
