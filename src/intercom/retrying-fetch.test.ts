import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IntercomClient, type IntercomError } from "intercom-client";
import { createRetryingFetch, leanFetch, leanFetcher, retryDelayMs } from "./retrying-fetch.js";
import { startConnectedEmulator, type ConnectedEmulator } from "./testing/emulator.js";

const NOW_MS = 1_700_000_004_000;

describe("retryDelayMs", () => {
  it("honours Retry-After in seconds or as a date", () => {
    expect(retryDelayMs(429, new Headers({ "Retry-After": "3" }), 0, NOW_MS, () => 0)).toBe(3000);
    expect(retryDelayMs(503, new Headers({ "Retry-After": new Date(NOW_MS + 5000).toUTCString() }), 0, NOW_MS, () => 0)).toBe(5000);
  });

  it("waits for X-RateLimit-Reset after a 429", () => {
    expect(retryDelayMs(429, new Headers({ "X-RateLimit-Reset": "1700000010" }), 0, NOW_MS, () => 0)).toBe(6000);
    // A reset already past: go at once (plus the spread).
    expect(retryDelayMs(429, new Headers({ "X-RateLimit-Reset": "1700000000" }), 0, NOW_MS, () => 0.5)).toBe(125);
  });

  it("backs off exponentially after a 5xx, whatever the rate-limit window says", () => {
    const headers = new Headers({ "X-RateLimit-Reset": "1700000010" });
    expect(retryDelayMs(500, headers, 0, NOW_MS, () => 0.5)).toBe(500);
    expect(retryDelayMs(500, headers, 2, NOW_MS, () => 0.5)).toBe(2000);
  });
});

describe("requests the SDK sends through it", () => {
  let c: ConnectedEmulator;
  beforeEach(async () => {
    c = await startConnectedEmulator();
  });
  afterEach(async () => {
    await c.close();
  });

  it("carry the token and Intercom-Version 2.14, or the version the connection sets", async () => {
    const seen: Array<{ version: string | null; authorization: string | null }> = [];
    // A pass-through that only records what goes to the emulator.
    const recordingFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ version: headers.get("intercom-version"), authorization: headers.get("authorization") });
      return fetch(input, init);
    };
    expect((await c.transport({}, { fetch: recordingFetch }).listTags()).ok).toBe(true);
    expect((await c.transport({ version: "2.11" }, { fetch: recordingFetch }).listTags()).ok).toBe(true);
    expect(seen).toEqual([
      { version: "2.14", authorization: `Bearer ${c.em.token}` },
      { version: "2.11", authorization: `Bearer ${c.em.token}` },
    ]);
  });
});

describe("leanFetch answers as Node's fetch does", () => {
  // One local server for both fetches: it records what arrives and answers per path.
  let server: Server;
  let base: string;
  let other: string;
  const seen: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const json = JSON.stringify({ type: "contact", id: "c1", name: "Zoë" });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const url = req.url ?? "/";
        seen.push({ method: req.method ?? "", url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const path = url.split("?")[0] ?? "";
        if (path === "/json") return void res.writeHead(200, "Fine", { "content-type": "application/json", "set-cookie": ["a=1", "b=2"] }).end(`\ufeff${json}`);
        if (path === "/gzip") return void res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync(json));
        if (path === "/deflate") return void res.writeHead(200, { "content-encoding": "deflate" }).end(deflateSync(json));
        if (path === "/deflate-raw") return void res.writeHead(200, { "content-encoding": "deflate" }).end(deflateRawSync(json));
        if (path === "/br") return void res.writeHead(200, { "content-encoding": "br" }).end(brotliCompressSync(json));
        if (path === "/gzip-then-br") return void res.writeHead(200, { "content-encoding": "gzip, br" }).end(brotliCompressSync(gzipSync(json)));
        if (path === "/unknown-coding") return void res.writeHead(200, { "content-encoding": "zstd-ish" }).end("raw bytes");
        if (path === "/empty") return void res.writeHead(204).end();
        if (path === "/error") return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ type: "error.list", errors: [{ code: "not_found", message: "No" }] }));
        if (path === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), 300);
        if (path === "/slow-body") {
          res.writeHead(200, { "content-type": "text/plain" });
          res.write("part");
          return void setTimeout(() => res.end("rest"), 300);
        }
        const redirect = /^\/redirect\/(\d+)$/.exec(path);
        if (redirect !== null) return void res.writeHead(Number(redirect[1]), { location: "/json?from=redirect" }).end("moved");
        if (path === "/loop") return void res.writeHead(302, { location: "/loop" }).end();
        if (path === "/elsewhere") return void res.writeHead(307, { location: `${other}/json` }).end();
        res.writeHead(500).end("no such path");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    // The same server under another origin, for a cross-origin redirect.
    other = `http://localhost:${port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function both(path: string, init?: RequestInit): Promise<Array<{ status: number; statusText: string; headers: string[][]; text: string; url: string; redirected: boolean; received: (typeof seen)[number][] }>> {
    const answers = [];
    for (const send of [fetch, leanFetch]) {
      seen.length = 0;
      const response = await send(`${base}${path}`, init);
      const text = await response.text();
      const headers = [...response.headers.entries()].filter(([name]) => name !== "date" && name !== "keep-alive");
      answers.push({ status: response.status, statusText: response.statusText, headers, text, url: response.url, redirected: response.redirected, received: [...seen] });
    }
    return answers;
  }

  it("sends the same headers and body, and answers the same status, headers and text", async () => {
    const init: RequestInit = {
      method: "post",
      headers: new Headers({ Authorization: "Bearer t", "Content-Type": "application/json", "Intercom-Version": "2.14", "X-Fern-Language": "JavaScript" }),
      body: JSON.stringify({ email: "ada@example.com" }),
    };
    const [builtIn, lean] = await both("/json", init);
    expect(lean).toEqual(builtIn);
    expect(lean?.received[0]?.method).toBe("POST");
    expect(lean?.text).toBe(json);
    // A string body without a type, and a GET with a plain object of headers.
    const [plainBuiltIn, plainLean] = await both("/json?q=1", { method: "PUT", body: "hello" });
    expect(plainLean).toEqual(plainBuiltIn);
    const [getBuiltIn, getLean] = await both("/json", { headers: { accept: "application/json", "user-agent": "intercom-client/7.0.3" } });
    expect(getLean).toEqual(getBuiltIn);
  });

  it("decodes gzip, deflate (wrapped or raw), br and stacked codings, and passes an unknown coding through", async () => {
    for (const path of ["/gzip", "/deflate", "/deflate-raw", "/br", "/gzip-then-br", "/unknown-coding"]) {
      const [builtIn, lean] = await both(path);
      expect(lean, path).toEqual(builtIn);
    }
    const [, gzip] = await both("/gzip");
    expect(gzip?.text).toBe(json);
  });

  it("follows redirects as fetch does: a POST's 302 and a 303 as GETs, a 307 as it was, credentials kept to the same origin only", async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const [builtIn, lean] = await both(`/redirect/${status}`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer t" }, body: "{}" });
      expect(lean, String(status)).toEqual(builtIn);
      expect(lean?.redirected).toBe(true);
    }
    const [builtIn, lean] = await both("/elsewhere", { headers: { authorization: "Bearer t" } });
    expect(lean).toEqual(builtIn);
    expect(lean?.received[1]?.headers.authorization).toBeUndefined();
  });

  it("answers 204 without a body, and an error status with its body", async () => {
    const [emptyBuiltIn, emptyLean] = await both("/empty");
    expect(emptyLean).toEqual(emptyBuiltIn);
    expect((await leanFetch(`${base}/empty`)).body).toBeNull();
    const [errorBuiltIn, errorLean] = await both("/error");
    expect(errorLean).toEqual(errorBuiltIn);
  });

  it("fails as fetch fails: TypeError('fetch failed') for no server or too many redirects, the signal's reason on an abort", async () => {
    const { port } = server.address() as AddressInfo;
    for (const url of [`http://127.0.0.1:${port === 1 ? 2 : 1}/`, `${base}/loop`]) {
      const builtIn = await fetch(url).catch((error: unknown) => error);
      const lean = await leanFetch(url).catch((error: unknown) => error);
      expect(lean).toBeInstanceOf(TypeError);
      expect((lean as Error).message).toBe((builtIn as Error).message);
    }
    const reason = new DOMException("The request timed out", "AbortError");
    expect(await leanFetch(`${base}/slow`, { signal: AbortSignal.abort(reason) }).catch((error: unknown) => error)).toBe(reason);
    const controller = new AbortController();
    setTimeout(() => controller.abort("timeout"), 50);
    expect(await leanFetch(`${base}/slow`, { signal: controller.signal }).catch((error: unknown) => error)).toBe("timeout");
    // Aborted while the body is still arriving: reading it fails.
    const late = new AbortController();
    const response = await leanFetch(`${base}/slow-body`, { signal: late.signal });
    setTimeout(() => late.abort(new Error("gave up")), 50);
    await expect(response.text()).rejects.toThrow("gave up");
  });

  it("reads a body once, and also as a stream, a Blob, bytes or a clone", async () => {
    const response = await leanFetch(`${base}/gzip`);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual(JSON.parse(json));
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);

    const streamed = await leanFetch(`${base}/gzip`);
    expect(await new Response(streamed.body).text()).toBe(json);
    const cloned = (await leanFetch(`${base}/br`)).clone();
    expect(await cloned.text()).toBe(json);
    const blob = await (await leanFetch(`${base}/json`)).blob();
    const builtInBlob = await (await fetch(`${base}/json`)).blob();
    expect([blob.size, blob.type, await blob.text()]).toEqual([builtInBlob.size, builtInBlob.type, await builtInBlob.text()]);
    expect(new TextDecoder().decode(await (await leanFetch(`${base}/deflate-raw`)).arrayBuffer())).toBe(json);
  });

  it("keeps the connection alive between calls", async () => {
    let connections = 0;
    const count = (): void => {
      connections++;
    };
    server.on("connection", count);
    for (let i = 0; i < 5; i++) await (await leanFetch(`${base}/json`)).text();
    server.off("connection", count);
    expect(connections).toBeLessThanOrEqual(1);
  });
});

describe("leanFetcher answers as the SDK's own request layer does", () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const contact = { type: "contact", id: "c1", role: "lead", email: "ada@example.com" };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const url = req.url ?? "/";
        seen.push({ method: req.method ?? "", url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const path = url.split("?")[0] ?? "";
        const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
        if (path === "/contacts/c1" || path === "/contacts") return json(200, path === "/contacts" ? { type: "list", data: [contact] } : contact, { date: "Thu, 03 Dec 2026 18:50:03 GMT" });
        if (path === "/contacts/search") return json(200, { type: "list", data: [contact], total_count: 1 });
        if (path === "/contacts/missing") return json(404, { type: "error.list", request_id: "r1", errors: [{ code: "not_found", message: "No such contact" }] });
        if (path === "/contacts/conflict") return json(409, { type: "error.list", errors: [{ code: "conflict", message: "A contact matching those details already exists with id=c9" }] });
        if (path === "/contacts/limited") return json(429, { type: "error.list", errors: [{ code: "rate_limit_exceeded", message: "Slow down" }] }, { "x-ratelimit-reset": "1700000010" });
        if (path === "/contacts/text-error") return void res.writeHead(502, { "content-type": "text/html" }).end("<html>bad gateway</html>");
        if (path === "/contacts/not-json") return void res.writeHead(200, { "content-type": "application/json" }).end("{not json");
        if (path === "/contacts/empty") return void res.writeHead(200).end();
        if (path === "/contacts/slow") return void setTimeout(() => json(200, contact), 1500);
        json(500, { type: "error.list", errors: [{ code: "server_error", message: "boom" }] });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** The same call through a client on the SDK's request layer and one on leanFetcher: what was sent, and what came back or was thrown. */
  async function both(call: (client: IntercomClient) => Promise<unknown>, options: { baseUrl?: string; timeoutInSeconds?: number } = {}): Promise<unknown[]> {
    const outcomes = [];
    for (const fetcher of [undefined, leanFetcher]) {
      seen.length = 0;
      const client = new IntercomClient({
        token: () => "secret-token",
        baseUrl: options.baseUrl ?? base,
        version: "2.14",
        maxRetries: 0,
        timeoutInSeconds: options.timeoutInSeconds ?? 5,
        fetch: createRetryingFetch({ maxRetries: 0, maxRetryDelayMs: 0, attemptTimeoutMs: 5000 }),
        ...(fetcher === undefined ? {} : { fetcher }),
      });
      let outcome: unknown;
      try {
        outcome = { value: await call(client) };
      } catch (error) {
        const e = error as IntercomError;
        outcome = { thrown: e.constructor.name, message: e.message, statusCode: e.statusCode, body: e.body, status: e.rawResponse?.status, statusText: e.rawResponse?.statusText, type: e.rawResponse?.type };
      }
      const sent = seen.map(({ headers: { host: _host, ...headers }, ...rest }) => ({ ...rest, headers }));
      outcomes.push({ outcome, sent });
    }
    return outcomes;
  }

  const withRaw = async (promise: { withRawResponse(): Promise<{ data: unknown; rawResponse: { headers: Headers; status: number; statusText: string; url: string; redirected: boolean; type: string } }> }) => {
    const { data, rawResponse: raw } = await promise.withRawResponse();
    return { data, raw: { status: raw.status, statusText: raw.statusText, url: raw.url, redirected: raw.redirected, type: raw.type, date: raw.headers.get("date"), isHeaders: raw.headers instanceof Headers } };
  };

  it("sends the same requests and reads the same answers", async () => {
    const calls: Array<(client: IntercomClient) => Promise<unknown>> = [
      (client) => withRaw(client.contacts.find({ contact_id: "c1" })),
      async (client) => (await client.contacts.list({ per_page: 2, starting_after: "a b/c" })).response,
      (client) => withRaw(client.contacts.create({ role: "lead", email: "ada@example.com" })),
      async (client) => (await client.contacts.search({ query: { field: "email", operator: "=", value: "ada@example.com" }, pagination: { per_page: 5 } })).response,
      (client) => client.companies.retrieve({ company_id: "acme" }),
    ];
    for (const call of calls) {
      const [sdk, lean] = await both(call);
      expect(lean).toEqual(sdk);
    }
  });

  it("fails the same way: error statuses with JSON or text bodies, a body that is not JSON, an empty one", async () => {
    for (const id of ["missing", "conflict", "limited", "text-error", "not-json", "empty", "boom"]) {
      const [sdk, lean] = await both((client) => client.contacts.find({ contact_id: id }));
      expect(lean, id).toEqual(sdk);
    }
  });

  it("times out, and reports a network failure, the same way", async () => {
    const [sdkSlow, leanSlow] = await both((client) => client.contacts.find({ contact_id: "slow" }), { timeoutInSeconds: 0.2 });
    expect(leanSlow).toEqual(sdkSlow);
    expect((leanSlow as { outcome: { thrown: string } }).outcome.thrown).toBe("IntercomTimeoutError");
    const [sdkDown, leanDown] = await both((client) => client.contacts.find({ contact_id: "c1" }), { baseUrl: "http://127.0.0.1:1" });
    expect(leanDown).toEqual(sdkDown);
  });

  it("honours a caller's abort signal as the SDK does", async () => {
    const [sdk, lean] = await both((client) => client.contacts.find({ contact_id: "slow" }, { abortSignal: AbortSignal.timeout(100) }));
    expect(lean).toEqual(sdk);
  });
});
