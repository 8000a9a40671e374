import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a {@link WebhookReceiver} got. */
export interface ReceivedHook {
  at: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: Record<string, unknown>;
  /** Whether `X-Hub-Signature` is `sha1=` + the HMAC-SHA1 of the raw body under the secret. */
  signatureValid: boolean;
  /** The status the receiver answered. */
  answered: number;
}

/** A local HTTP server standing in for a webhook subscriber. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedHook[];
  /** Resolves once `count` requests arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedHook[]>;
  close(): Promise<void>;
}

/** Checks an `X-Hub-Signature` the way a subscriber should: in constant time. */
function verify(secret: string, rawBody: string, header: string | string[] | undefined): boolean {
  if (typeof header !== "string" || !header.startsWith("sha1=")) return false;
  const expected = Buffer.from(createHmac("sha1", secret).update(rawBody).digest("hex"), "utf8");
  const given = Buffer.from(header.slice("sha1=".length), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Starts a webhook receiver on a free local port. `statuses` are answered in turn (the last one
 * repeats); each request's signature is checked against `secret`.
 *
 * @example
 * const receiver = await startWebhookReceiver({ secret: "s", statuses: [500, 200] });
 * await receiver.waitFor(2);
 * await receiver.close();
 */
export async function startWebhookReceiver(options: { secret: string; statuses?: number[] }): Promise<WebhookReceiver> {
  const statuses = options.statuses ?? [200];
  const received: ReceivedHook[] = [];
  /** Pending `waitFor` checks; each returns true once satisfied. */
  const waiters = new Set<() => boolean>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const answered = statuses[Math.min(received.length, statuses.length - 1)] ?? 200;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        // Left empty: the test sees the raw body.
      }
      received.push({
        at: performance.now(),
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body,
        signatureValid: verify(options.secret, rawBody, req.headers["x-hub-signature"]),
        answered,
      });
      res.statusCode = answered;
      res.end();
      for (const check of waiters) if (check()) waiters.delete(check);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/intercom`,
    received,
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} webhook requests, got ${received.length}`));
        }, timeoutMs);
        const check = (): boolean => {
          if (received.length < count) return false;
          clearTimeout(timer);
          resolve(received.slice(0, count));
          return true;
        };
        if (!check()) waiters.add(check);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A URL on which nothing listens: a port the OS handed out and that was closed again.
 *
 * @example
 * const url = await deadUrl(); // "http://127.0.0.1:40123/hooks"
 */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/hooks`;
}
