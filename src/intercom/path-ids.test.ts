import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { confineToBase, outsideBase } from "./path-ids.js";
import { createIntercomTransport } from "./transport.js";

/** Path-like ids, each of which, put in a path, could move the request. */
const BAD_IDS = ["", ".", "..", "%2e%2e", "%2E.", "a/b", "../admins", "?x", "#", "a b", "a\tb", "a\u0000b", "a\nb", "é", "x".repeat(129)];

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A stand-in for an Intercom behind a proxy's path prefix: it records every path and answers 404. */
async function recordingServer(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  server = createServer((request, response) => {
    paths.push(request.url ?? "");
    response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ type: "error.list", errors: [{ code: "not_found", message: "Resource Not Found" }] }));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, paths };
}

describe("ids in request paths", () => {
  it("refuses every path-like id before a request is sent, behind a base URL with a path prefix", async () => {
    const upstream = await recordingServer();
    const intercom = createIntercomTransport({ accessToken: "tok_path-ids", baseUrl: `${upstream.url}/intercom`, maxRetries: 0 });
    for (const id of BAD_IDS) {
      for (const answer of [
        await intercom.getContact(id),
        await intercom.updateContact(id, { name: "x" }),
        await intercom.getCompany(id),
        await intercom.attachCompanyToContact("6762f0a51bb69f9f2193bb5c", id),
        await intercom.listContactCompanies(id),
        await intercom.listContactTags(id),
        await intercom.getConversation(id),
      ]) {
        expect(answer, JSON.stringify(id)).toMatchObject({ ok: false, error: { code: "invalid_input", field: "id" } });
      }
    }
    expect(upstream.paths).toEqual([]);
    // A real id goes under the prefix, percent-encoding untouched.
    expect(await intercom.getContact("6762f0a51bb69f9f2193bb5c")).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(upstream.paths).toEqual(["/intercom/contacts/6762f0a51bb69f9f2193bb5c"]);
  });

  it("tells a request URL under the base from one that leaves it, dot segments included", () => {
    const base = "http://proxy.example/intercom";
    expect(outsideBase(base, "http://proxy.example/intercom/contacts/1")).toBeNull();
    expect(outsideBase(base, "http://proxy.example/intercom")).toBeNull();
    expect(outsideBase(base, "http://proxy.example/intercom/contacts?x=../..")).toBeNull();
    expect(outsideBase(base, "http://proxy.example/admins")).toBe("leaves the base URL's path");
    expect(outsideBase(base, "http://proxy.example/intercomx/contacts")).toBe("leaves the base URL's path");
    expect(outsideBase(base, "http://other.example/intercom/contacts")).toBe("leaves the base URL's origin");
    expect(outsideBase(base, "http://proxy.example/intercom/contacts/..")).toBe("has a . or .. path segment");
    expect(outsideBase(base, "http://proxy.example/intercom/contacts/%2E%2e/x")).toBe("has a . or .. path segment");
    expect(outsideBase(base, "http://proxy.example/intercom/./contacts")).toBe("has a . or .. path segment");
    expect(outsideBase("https://api.intercom.io", "https://api.intercom.io/contacts/1")).toBeNull();
  });

  it("a confined fetch sends nothing outside its base and never names the refused URL", async () => {
    const upstream = await recordingServer();
    const confined = confineToBase(`${upstream.url}/intercom`, fetch);
    await expect(confined(`${upstream.url}/admins?secret=1`)).rejects.toThrow(/^refused to send a request that leaves the base URL's path$/);
    await expect(confined(new URL(`${upstream.url}/intercom/../admins`))).rejects.toThrow(TypeError);
    expect(upstream.paths).toEqual([]);
    expect((await confined(`${upstream.url}/intercom/tags`)).status).toBe(404);
    expect(upstream.paths).toEqual(["/intercom/tags"]);
  });
});
