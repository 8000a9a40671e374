import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "../contract/index.js";
import { installErrorHandling, shownPath } from "./errors.js";
import { rawRequest, type RawAnswer } from "./testing/raw-http.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

// Every error the service answers over a real socket is in the one shape, fastify's own
// refusals and a thrown bug included, and none quotes what the request carried (MARK).

const MARK = "LEAKMARK-7e31";

let h: ServiceHarness;
let port: number;
let leadId: string;

beforeAll(async () => {
  h = await startServiceHarness({ callsPerMinute: 10_000_000 });
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  port = (h.app.server.address() as AddressInfo).port;
  leadId = await h.createLeadInIntercom("shape@example.com");
});

afterAll(async () => {
  await h.close();
});

/** The one error shape, with a registered code answered at its own status, quoting nothing sent. */
function expectOneShape(answer: RawAnswer, code: ErrorCode): { code: string; message: string; field?: string; retry_after?: number } {
  expect(answer.status, answer.raw.slice(0, 300)).toBe(ERROR_CODES[code].status);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as { error: { code: string; message: string; field?: string; retry_after?: number } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).every((key) => ["code", "message", "field", "issues", "retry_after"].includes(key)), answer.body).toBe(true);
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toBe("");
  expect(answer.raw.includes(MARK), `${code} quotes the request: ${answer.body}`).toBe(false);
  expect(answer.body).not.toMatch(/at .*\.(ts|js):\d+/);
  return body.error;
}

/** A POST of `body` to an action with these headers, over the socket. */
function post(path: string, contentType: string | null, body: string | Buffer, key: string | null = h.apiKey): Promise<RawAnswer> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  const head =
    `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
    (key === null ? "" : `X-API-Key: ${key}\r\n`) +
    (contentType === null ? "" : `Content-Type: ${contentType}\r\n`) +
    `Content-Length: ${bytes.length}\r\n\r\n`;
  return rawRequest(port, Buffer.concat([Buffer.from(head, "latin1"), bytes]));
}

describe("request bodies in another charset", () => {
  it("are 415 unsupported_media_type naming the charset, with or without a key, and cost nothing", async () => {
    const before = await h.intercomCalls();
    const body = JSON.stringify({ contact_id: leadId });
    for (const [type, payload, named] of [
      ["application/json; charset=utf-16", Buffer.from(body, "utf16le"), "charset utf-16"],
      ["application/json; charset=UTF-16LE", Buffer.from(body, "utf16le"), "charset utf-16le"],
      ["application/json;charset=latin1", Buffer.from(body, "latin1"), "charset latin1"],
      ['application/json; charset="ISO-8859-1"', Buffer.from(body, "latin1"), "charset iso-8859-1"],
      [`application/json; charset=${MARK}`, Buffer.from(body), "an unknown charset"],
    ] as const) {
      for (const key of [h.apiKey, null]) {
        const error = expectOneShape(await post("/v1/actions/GetLead", type, payload, key), "unsupported_media_type");
        expect(error.message).toBe(`The body must be JSON in UTF-8: its Content-Type names ${named}: send the body in UTF-8 (charset=utf-8, or no charset)`);
      }
    }
    expect(await h.intercomCalls()).toBe(before);
  });

  it("are read when the charset is UTF-8 in any case, quoted or not, or absent", async () => {
    for (const type of ["application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8", 'application/json; charset="utf-8"', "application/json;charset=Utf-8", "application/json; charset=utf8"]) {
      const answer = await post("/v1/actions/GetLead", type, JSON.stringify({ contact_id: leadId }));
      expect(answer.status, type).toBe(200);
      expect((JSON.parse(answer.body) as { email?: string }).email, type).toBe("shape@example.com");
    }
  });
});

describe("fastify's own refusals over a real socket", () => {
  it("answer each in the one shape", async () => {
    const cases: Array<[string, () => Promise<RawAnswer>, ErrorCode]> = [
      ["JSON that does not parse", () => post("/v1/actions/GetLead", "application/json", `{"contact_id":"${MARK}`), "invalid_input"],
      ["an empty JSON body", () => post("/v1/actions/GetLead", "application/json", ""), "invalid_input"],
      ["a body over 1 MiB", () => post("/v1/actions/CreateLead", "application/json", JSON.stringify({ email: MARK.repeat(90_000) })), "payload_too_large"],
      ["XML", () => post("/v1/actions/CreateLead", "application/xml", `<email>${MARK}</email>`), "unsupported_media_type"],
      ["a Content-Type that does not parse", () => post("/v1/actions/GetLead", `${MARK}///`, "{}"), "unsupported_media_type"],
      ["no route", () => rawRequest(port, `GET /v1/nothing-here?q=${MARK} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), "route_not_found"],
      ["another method on a known path", () => rawRequest(port, `PATCH /v1/actions/GetLead HTTP/1.1\r\nHost: x\r\nX-API-Key: ${h.apiKey}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`), "route_not_found"],
      ["a bad path parameter", () => rawRequest(port, `GET /v1/subscriptions/%zz HTTP/1.1\r\nHost: x\r\nX-API-Key: ${h.apiKey}\r\nConnection: close\r\n\r\n`), "invalid_path"],
      ["a path parameter over 100 characters", () => rawRequest(port, `GET /v1/subscriptions/${"a".repeat(150)} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${h.apiKey}\r\nConnection: close\r\n\r\n`), "path_parameter_too_long"],
    ];
    for (const [name, send, code] of cases) {
      const answer = await send();
      expect(answer.status, name).not.toBe(0);
      expectOneShape(answer, code);
    }
  });

  it("answer route_not_found short, with the path's odd characters encoded", async () => {
    const answer = await rawRequest(port, `GET /v1/<script>"x'${"a".repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const error = expectOneShape(answer, "route_not_found");
    expect(error.message).toBe(`No route GET /v1/%3Cscript%3E%22x'${"a".repeat(80 - "/v1/%3Cscript%3E%22x'".length)}…`);
    expect(shownPath("/v1/ok?token=secret")).toBe("/v1/ok");
  });
});

describe("a thrown bug", () => {
  let tiny: FastifyInstance | undefined;
  afterEach(async () => {
    await tiny?.close();
    tiny = undefined;
  });

  it("in an onRequest hook or a handler is a bare 500 internal_error, over a real socket", async () => {
    tiny = Fastify({ logger: false });
    installErrorHandling(tiny);
    tiny.addHook("onRequest", async (request) => {
      if (request.url.startsWith("/hook")) throw new Error(`a hook's bug quoting ${MARK}`);
    });
    tiny.get("/hook", async () => ({ ok: true }));
    tiny.get("/handler", async () => {
      throw Object.assign(new TypeError(`a handler's bug quoting ${MARK}`), { statusCode: 500 });
    });
    await tiny.listen({ port: 0, host: "127.0.0.1" });
    const tinyPort = (tiny.server.address() as AddressInfo).port;
    for (const path of ["/hook", "/handler"]) {
      const answer = await rawRequest(tinyPort, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expectOneShape(answer, "internal_error");
      expect(JSON.parse(answer.body)).toEqual({ error: { code: "internal_error", message: "Internal error" } });
    }
  });
});
