import { readFileSync } from "node:fs";
import type { AddressInfo, Socket } from "node:net";
import Fastify, { errorCodes, type FastifyError, type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "../contract/index.js";
import {
  answerClientError,
  answerFrameworkError,
  clientErrorRefusal,
  FASTIFY_REFUSALS,
  fastifyRefusal,
  installErrorHandling,
  refusalLimitsOf,
  type RefusalLimits,
} from "./errors.js";
import { rawRequest } from "./testing/raw-http.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
let tiny: FastifyInstance | undefined;
afterEach(async () => {
  await h?.close();
  await tiny?.close();
  h = undefined;
  tiny = undefined;
});

/** Put in bodies, queries and headers: no error answer may carry it back. */
const MARK = "LEAKMARK-2c9e";
const LIMITS: RefusalLimits = { bodyLimit: 1_048_576, maxParamLength: 100 };

type FastifyErrorClass = new (...args: unknown[]) => FastifyError;
/** fastify's error classes by code, each with the status an instance carries. */
const FASTIFY_CODES = Object.entries(errorCodes as unknown as Record<string, unknown>)
  .filter((entry): entry is [string, FastifyErrorClass] => typeof entry[1] === "function" && entry[0].startsWith("FST_ERR_"))
  .map(([code, ErrorClass]) => ({ code, ErrorClass, status: new ErrorClass("a", "b", "c").statusCode ?? 500 }));

/**
 * fastify's 4xx errors no request to this service can cause, and why. A fastify release that
 * adds one makes the test below fail until it is mapped in FASTIFY_REFUSALS or listed here.
 */
const OUT_OF_REACH: Readonly<Record<string, string>> = {
  FST_ERR_NOT_FOUND: "sent by fastify's default not-found handler, which installErrorHandling replaces (route_not_found)",
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED: "thrown when a content-type parser is added after start: a startup bug, not a request",
  FST_ERR_INVALID_URL: "thrown when a route is registered with a URL that is not a string: a startup bug",
  FST_ERR_ROUTE_MISSING_CONTENT: "no longer thrown by fastify 5 (kept exported until 6)",
};

/** The one error shape, with a registered code answered at its own status. */
function expectOneShape(status: number, text: string, code: ErrorCode): { code: string; message: string; field?: string } {
  const body = JSON.parse(text) as { error: { code: string; message: string; field?: string } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).every((key) => ["code", "message", "field", "issues", "retry_after"].includes(key)), text).toBe(true);
  expect(body.error.code).toBe(code);
  expect(status).toBe(ERROR_CODES[code].status);
  expect(typeof body.error.message).toBe("string");
  expect(text.includes(MARK), `${code} answers with what the request carried: ${text}`).toBe(false);
  return body.error;
}

describe("fastify's refusals", () => {
  it("keep fastify's status, under a registered code, for each one mapped", () => {
    for (const code of Object.keys(FASTIFY_REFUSALS)) {
      const known = FASTIFY_CODES.find((c) => c.code === code);
      expect(known, `${code} is one of fastify's codes`).toBeDefined();
      if (known === undefined) continue;
      const refusal = fastifyRefusal(new known.ErrorClass("/v1/x", "y", "z"), LIMITS);
      expect(refusal?.status, code).toBe(known.status);
      expect(ERROR_CODES[refusal?.code ?? "internal_error"].status, code).toBe(known.status);
    }
  });

  it("leave no 4xx of fastify's unmapped unless no request can cause it", () => {
    const fourHundreds = FASTIFY_CODES.filter((c) => c.status >= 400 && c.status < 500).map((c) => c.code);
    for (const code of fourHundreds) {
      expect(Object.hasOwn(FASTIFY_REFUSALS, code) !== Object.hasOwn(OUT_OF_REACH, code), `${code}: mapped, or out of reach with a reason (not both)`).toBe(true);
    }
    for (const code of Object.keys(OUT_OF_REACH)) expect(fourHundreds, `${code} is still a 4xx of fastify's`).toContain(code);
  });

  it("leave fastify's 5xx refusal off: the service sets no handler timeout", async () => {
    // FST_ERR_HANDLER_TIMEOUT (503) is fastify's only non-500 5xx; only `handlerTimeout` causes it.
    expect(FASTIFY_CODES.filter((c) => c.status > 500).map((c) => c.code)).toEqual(["FST_ERR_HANDLER_TIMEOUT"]);
    h = await startServiceHarness();
    expect((h.app.initialConfig as { handlerTimeout?: number }).handlerTimeout ?? 0).toBe(0);
    expect(refusalLimitsOf(h.app)).toEqual(LIMITS);
  });

  it("are answered in the one shape, each with its code, status and request id, never quoting the request", async () => {
    h = await startServiceHarness();
    const harness = h;
    const json = { "content-type": "application/json", "x-api-key": h.apiKey };
    const cases: Array<{ name: string; request: { method: string; url: string; headers: Record<string, string>; payload?: string }; code: ErrorCode; field?: string; message?: RegExp }> = [
      { name: "JSON that does not parse", request: { method: "POST", url: "/v1/actions/GetLead", headers: json, payload: `{"contact_id":"${MARK}` }, code: "invalid_input", field: "body", message: /not valid JSON/ },
      { name: "a __proto__ key", request: { method: "POST", url: "/v1/actions/GetLead", headers: json, payload: `{"__proto__":{"x":"${MARK}"}}` }, code: "invalid_input", field: "body" },
      { name: "a constructor.prototype key", request: { method: "POST", url: "/v1/actions/CreateLead", headers: json, payload: `{"constructor":{"prototype":{"x":"${MARK}"}}}` }, code: "invalid_input", field: "body" },
      { name: "an empty JSON body", request: { method: "POST", url: "/v1/actions/GetLead", headers: json, payload: "" }, code: "invalid_input", field: "body", message: /is empty/ },
      { name: "a body over 1 MiB", request: { method: "POST", url: "/v1/actions/CreateLead", headers: json, payload: JSON.stringify({ email: MARK.repeat(100_000) }) }, code: "payload_too_large", message: /over 1048576 bytes/ },
      { name: "XML", request: { method: "POST", url: "/v1/actions/CreateLead", headers: { ...json, "content-type": "application/xml" }, payload: `<email>${MARK}</email>` }, code: "unsupported_media_type", message: /application\/json/ },
      { name: "a form", request: { method: "POST", url: "/v1/connections", headers: { ...json, "content-type": "application/x-www-form-urlencoded" }, payload: `access_token=${MARK}` }, code: "unsupported_media_type" },
      { name: "a Content-Type that does not parse", request: { method: "POST", url: "/v1/actions/GetLead", headers: { ...json, "content-type": `${MARK}///` }, payload: "{}" }, code: "unsupported_media_type" },
      { name: "a body shorter than its Content-Length", request: { method: "POST", url: "/v1/actions/GetLead", headers: { ...json, "content-length": "100" }, payload: "{}" }, code: "malformed_request", message: /Content-Length/ },
      { name: "QUERY without Content-Type", request: { method: "QUERY", url: `/v1/connections?x=${MARK}`, headers: { "x-api-key": h.apiKey } }, code: "malformed_request", message: /QUERY/ },
      { name: "a path parameter that is not percent-encoding", request: { method: "GET", url: `/v1/subscriptions/%zz${MARK}`, headers: json }, code: "invalid_path", message: /encodeURIComponent/ },
      { name: "a path parameter of 101 characters", request: { method: "GET", url: `/v1/connections/${MARK}${"a".repeat(101)}`, headers: json }, code: "path_parameter_too_long", message: /longer than 100 characters/ },
      { name: "a push's path parameter of 101 characters", request: { method: "POST", url: `/intercom/webhooks/${"a".repeat(101)}`, headers: json, payload: "{}" }, code: "path_parameter_too_long" },
      { name: "another method on a known path", request: { method: "PATCH", url: `/v1/actions/GetLead?x=${MARK}`, headers: json, payload: "{}" }, code: "route_not_found" },
    ];
    for (const c of cases) {
      for (const key of [harness.apiKey, undefined]) {
        const headers = Object.fromEntries(Object.entries(c.request.headers).filter(([name]) => name !== "x-api-key"));
        const answer = await harness.app.inject({ ...c.request, method: c.request.method as "GET", headers: key === undefined ? headers : { ...headers, "x-api-key": key } });
        const error = expectOneShape(answer.statusCode, answer.body, c.code);
        expect(answer.headers["content-type"], c.name).toMatch(/^application\/json/);
        expect(answer.headers["x-request-id"], c.name).toMatch(/^[0-9a-f-]{36}$/);
        if (c.field !== undefined) expect(error.field, c.name).toBe(c.field);
        if (c.message !== undefined) expect(error.message, c.name).toMatch(c.message);
      }
    }
  });

  it("answer a fastify schema failure as invalid_input on the part at fault", async () => {
    tiny = Fastify({ logger: false });
    installErrorHandling(tiny);
    tiny.post("/typed", { schema: { body: { type: "object", required: ["n"], properties: { n: { type: "integer" } } } } }, async () => ({ ok: true }));
    const answer = await tiny.inject({ method: "POST", url: "/typed", payload: { n: MARK } });
    expect(answer.statusCode).toBe(400);
    expect(expectOneShape(answer.statusCode, answer.body, "invalid_input").field).toBe("body");
    expect((await tiny.inject({ method: "POST", url: "/typed", payload: { n: 1 } })).statusCode).toBe(200);
  });

  it("answer another 4xx of fastify's as malformed_request, logged with its code, and anything else as a bare 500", async () => {
    const lines: string[] = [];
    tiny = Fastify({ logger: { level: "info", stream: { write: (line: string) => void lines.push(line) } } });
    installErrorHandling(tiny);
    tiny.get("/refused", async () => {
      throw Object.assign(new Error(`fastify's message quoting ${MARK}`), { code: "FST_ERR_SOMETHING_NEW", statusCode: 409 });
    });
    tiny.get("/bug", async () => {
      throw new Error(`a bug's message quoting ${MARK}`);
    });
    const refused = await tiny.inject({ method: "GET", url: "/refused" });
    expect(expectOneShape(refused.statusCode, refused.body, "malformed_request").message).toMatch(/could not read it/);
    expect(lines.some((line) => line.includes("FST_ERR_SOMETHING_NEW") && !line.includes(MARK))).toBe(true);
    const bug = await tiny.inject({ method: "GET", url: "/bug" });
    expect(bug.statusCode).toBe(500);
    expect(JSON.parse(bug.body)).toEqual({ error: { code: "internal_error", message: "Internal error" } });
  });

  it("answer the router's refusals in the one shape through frameworkErrors, with a request id", async () => {
    tiny = Fastify({ logger: false, frameworkErrors: answerFrameworkError, routerOptions: { maxParamLength: 8 } });
    installErrorHandling(tiny);
    tiny.get("/things/:id", async () => ({ ok: true }));
    const bad = await tiny.inject({ method: "GET", url: `/things/%E0%A4%A${MARK}` });
    expectOneShape(bad.statusCode, bad.body, "invalid_path");
    expect(bad.headers["x-request-id"]).toBeDefined();
    // The limit the app was built with is the one the message states.
    const long = await tiny.inject({ method: "GET", url: "/things/123456789" });
    expect(expectOneShape(long.statusCode, long.body, "path_parameter_too_long").message).toBe("A path parameter is longer than 8 characters: use the id the service answered");
    expect((await tiny.inject({ method: "GET", url: "/things/12345678" })).statusCode).toBe(200);
  });
});

/** A stand-in for a server socket: what answerClientError writes, and whether it closed it. */
function fakeSocket(state: { destroyed?: boolean; writable?: boolean; headersSent?: boolean } = {}): Socket & { written: string[]; closed: boolean } {
  const socket = {
    written: [] as string[],
    closed: false,
    destroyed: state.destroyed ?? false,
    writable: state.writable ?? true,
    _httpMessage: state.headersSent === undefined ? null : { headersSent: state.headersSent },
    write(data: string) {
      socket.written.push(data);
      return true;
    },
    destroy() {
      socket.closed = true;
    },
  };
  return socket as unknown as Socket & { written: string[]; closed: boolean };
}

describe("Node's parser refusals", () => {
  it("map its codes to 431, 408 and 400", () => {
    expect(clientErrorRefusal("HPE_HEADER_OVERFLOW", 16_384).toJSON()).toMatchObject({ code: "headers_too_large", status: 431, message: "The request line and headers are over 16384 bytes: send fewer or shorter headers, or a shorter URL" });
    expect(clientErrorRefusal("ERR_HTTP_REQUEST_TIMEOUT", 16_384).status).toBe(408);
    for (const code of ["HPE_INVALID_METHOD", "HPE_INVALID_HEADER_TOKEN", "HPE_UNEXPECTED_CONTENT_LENGTH", "HPE_INVALID_CHUNK_SIZE", undefined]) {
      expect(clientErrorRefusal(code, 16_384).code, String(code)).toBe("malformed_request");
    }
  });

  it("answer on the socket in the one shape and close it; never over an answer under way or to a reset", async () => {
    h = await startServiceHarness();
    const timedOut = fakeSocket();
    answerClientError.call(h.app, Object.assign(new Error("timeout"), { code: "ERR_HTTP_REQUEST_TIMEOUT" }), timedOut);
    expect(timedOut.closed).toBe(true);
    const [written = ""] = timedOut.written;
    expect(written).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(written).toContain("\r\nConnection: close\r\n");
    const body = written.slice(written.indexOf("\r\n\r\n") + 4);
    expect(written).toContain(`\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`);
    expectOneShape(408, body, "request_timeout");

    for (const [name, socket, error] of [
      ["reset", fakeSocket(), "ECONNRESET"],
      ["destroyed", fakeSocket({ destroyed: true }), "HPE_INVALID_METHOD"],
      ["answer under way", fakeSocket({ headersSent: true }), "HPE_INVALID_METHOD"],
      ["not writable", fakeSocket({ writable: false }), "HPE_INVALID_METHOD"],
    ] as const) {
      answerClientError.call(h.app, Object.assign(new Error(MARK), { code: error }), socket);
      expect(socket.written, name).toEqual([]);
    }
    // The raw bytes Node attaches to a parse error (headers, API key) are never logged.
    expect(h.logs.join("").includes(MARK)).toBe(false);
  });
});

describe("refusals over a real socket", () => {
  it("are answered in the one shape: huge headers or URL, bad HTTP, no Host, a huge body, bad paths", async () => {
    h = await startServiceHarness();
    await h.app.listen({ port: 0, host: "127.0.0.1" });
    const port = (h.app.server.address() as AddressInfo).port;
    const key = h.apiKey;
    const cases: Array<{ name: string; bytes: string | Buffer; code: ErrorCode; requestId: boolean }> = [
      { name: "a 20 KB header", bytes: `GET /v1/connections HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nX-Big: ${MARK.repeat(2_000)}\r\n\r\n`, code: "headers_too_large", requestId: false },
      { name: "a 20 KB URL", bytes: `GET /v1/actions/ListLeads?cursor=${MARK.repeat(2_000)} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\n\r\n`, code: "headers_too_large", requestId: false },
      { name: "3,000 headers", bytes: `GET /health HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3_000 }, (_, i) => `X-H${i}: ${MARK}\r\n`).join("")}\r\n`, code: "headers_too_large", requestId: false },
      { name: "a method that is no token", bytes: `G@T /health HTTP/1.1\r\nHost: x\r\n\r\n`, code: "malformed_request", requestId: false },
      { name: "an unknown method", bytes: `FROB /health HTTP/1.1\r\nHost: x\r\n\r\n`, code: "malformed_request", requestId: false },
      { name: "raw non-UTF-8 bytes in the path", bytes: Buffer.concat([Buffer.from("GET /v1/subscriptions/"), Buffer.from([0xff, 0xfe]), Buffer.from(` HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\n\r\n`)]), code: "malformed_request", requestId: false },
      { name: "both Content-Length and chunked", bytes: `POST /v1/actions/GetLead HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n0\r\n\r\n`, code: "malformed_request", requestId: false },
      { name: "a bad chunk size", bytes: `POST /v1/actions/GetLead HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n${MARK}\r\n`, code: "malformed_request", requestId: false },
      { name: "an Expect header that is not 100-continue", bytes: `POST /v1/actions/GetLead HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nExpect: ${MARK}\r\n\r\n`, code: "expectation_failed", requestId: false },
      { name: "HTTP/1.1 without Host", bytes: `GET /v1/connections?x=${MARK} HTTP/1.1\r\nX-API-Key: ${key}\r\nConnection: close\r\n\r\n`, code: "malformed_request", requestId: true },
      { name: "a body over 1 MiB by its Content-Length", bytes: `POST /v1/actions/CreateLead HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{"email":"${MARK}`, code: "payload_too_large", requestId: true },
      { name: "a path parameter that is not percent-encoding", bytes: `GET /v1/subscriptions/%FF%FE HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nConnection: close\r\n\r\n`, code: "invalid_path", requestId: true },
      { name: "a path parameter of 200 characters", bytes: `DELETE /v1/subscriptions/${"a".repeat(200)} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nConnection: close\r\n\r\n`, code: "path_parameter_too_long", requestId: true },
      { name: "JSON that does not parse", bytes: `POST /v1/actions/GetLead HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nContent-Type: application/json\r\nContent-Length: ${MARK.length + 6}\r\nConnection: close\r\n\r\n{"a":"${MARK}`, code: "invalid_input", requestId: true },
    ];
    for (const c of cases) {
      const answer = await rawRequest(port, c.bytes);
      expect(answer.status, `${c.name}: ${answer.raw.slice(0, 200)}`).toBe(ERROR_CODES[c.code].status);
      expect(answer.headers["content-type"], c.name).toMatch(/^application\/json/);
      expectOneShape(answer.status, answer.body, c.code);
      if (c.requestId) expect(answer.headers["x-request-id"], c.name).toMatch(/^[0-9a-f-]{36}$/);
    }
    // HTTP/1.0 may leave Host out (load balancers' health checks do).
    const health = await rawRequest(port, "GET /health HTTP/1.0\r\n\r\n");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
    // The service still answers normally afterwards.
    expect((await fetch(`http://127.0.0.1:${port}/v1/connections`, { headers: { "X-API-Key": key } })).status).toBe(200);
  });
});

/** The rows of docs/errors.md's table of refusals: what refuses, the status and the code. */
function documentedRefusals(): Array<{ by: string; status: number; code: string }> {
  const lines = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8").split("\n");
  const header = lines.findIndex((line) => /^\|\s*refused by\s*\|\s*when\s*\|\s*status\s*\|\s*code\s*\|/.test(line));
  expect(header, "docs/errors.md has a `| refused by | when | status | code |` table").toBeGreaterThanOrEqual(0);
  const rows: Array<{ by: string; status: number; code: string }> = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const [by = "", , status = "", code = ""] = line.split("|").slice(1, -1).map((cell) => cell.trim());
    rows.push({ by, status: Number(status), code: /`(\w+)`/.exec(code)?.[1] ?? code });
  }
  return rows;
}

describe("docs/errors.md", () => {
  it("documents each refusal with the code and status it is answered with", () => {
    const rows = documentedRefusals();
    for (const row of rows) {
      expect(Object.hasOwn(ERROR_CODES, row.code), `${row.by}: ${row.code} is registered`).toBe(true);
      expect(ERROR_CODES[row.code as ErrorCode].status, `${row.by}: ${row.code}`).toBe(row.status);
    }
    const fastifyRows = rows.filter((row) => row.by.startsWith("`FST_ERR_"));
    expect(fastifyRows.map((row) => row.by.replace(/`/g, "")).sort()).toEqual(Object.keys(FASTIFY_REFUSALS).sort());
    for (const row of fastifyRows) {
      const code = row.by.replace(/`/g, "");
      const known = FASTIFY_CODES.find((c) => c.code === code);
      if (known === undefined) throw new Error(`${code} is not one of fastify's codes`);
      expect(fastifyRefusal(new known.ErrorClass("a", "b", "c"), LIMITS)?.code, code).toBe(row.code);
    }
    const node = (by: string): string | undefined => rows.find((row) => row.by.startsWith(by))?.code;
    expect(node("Node `HPE_HEADER_OVERFLOW`")).toBe(clientErrorRefusal("HPE_HEADER_OVERFLOW", 1).code);
    expect(node("Node `ERR_HTTP_REQUEST_TIMEOUT`")).toBe(clientErrorRefusal("ERR_HTTP_REQUEST_TIMEOUT", 1).code);
    expect(node("Node, any other")).toBe(clientErrorRefusal("HPE_INVALID_METHOD", 1).code);
    expect(node("Node, `Expect`")).toBe("expectation_failed");
  });
});
