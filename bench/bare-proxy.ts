/**
 * The floor for any service in front of Intercom, for bench:service: a plain node:http server
 * that answers `POST /v1/actions/GetLead` (the service's request, byte for byte) by checking the
 * `X-API-Key` header against one in-memory value, reading `contact_id` from the JSON body and
 * forwarding `GET /contacts/{id}` to the emulator over a keep-alive agent, then passing the
 * emulator's status and JSON back untouched. No store, no budget, no validation beyond the
 * id, no logging, no mapping.
 *
 * Run (bench:service starts it): node --import tsx bench/bare-proxy.ts
 * with UPSTREAM_URL, UPSTREAM_TOKEN, PROXY_API_KEY; prints "bare proxy listening on <url>".
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const upstream = new URL(process.env.UPSTREAM_URL ?? "");
const token = process.env.UPSTREAM_TOKEN ?? "";
const apiKey = process.env.PROXY_API_KEY ?? "";
if (apiKey === "" || token === "") throw new Error("PROXY_API_KEY and UPSTREAM_TOKEN are required");

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const upstreamHeaders = { authorization: `Bearer ${token}`, "intercom-version": "2.14", accept: "application/json" };

function fail(res: http.ServerResponse, status: number, code: string): void {
  const body = JSON.stringify({ error: { code } });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) }).end(body);
}

const server = http.createServer((req, res) => {
  if (req.headers["x-api-key"] !== apiKey) {
    req.resume();
    fail(res, 401, "unauthorized");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let id: unknown;
    try {
      id = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { contact_id?: unknown }).contact_id;
    } catch {
      id = undefined;
    }
    if (typeof id !== "string" || id === "") {
      fail(res, 400, "invalid_input");
      return;
    }
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, path: `/contacts/${encodeURIComponent(id)}`, method: "GET", agent, headers: upstreamHeaders },
      (answer) => {
        const headers: http.OutgoingHttpHeaders = { "content-type": answer.headers["content-type"] ?? "application/json" };
        if (answer.headers["content-length"] !== undefined) headers["content-length"] = answer.headers["content-length"];
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => {
      if (!res.headersSent) fail(res, 502, "intercom_unavailable");
      else res.destroy();
    });
    forwarded.end();
  });
});

server.keepAliveTimeout = 72_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`bare proxy listening on http://127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
