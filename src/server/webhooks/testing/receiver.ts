import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "../signature.js";

/** One request a {@link StandardWebhookReceiver} got, and what it answered. */
export interface ReceivedDelivery {
  /** `webhook-id`. */
  id: string;
  timestamp: number;
  /** The `webhook-signature` checked with the receiver's secret (false while it has none). */
  signatureValid: boolean;
  rawBody: string;
  payload: Record<string, unknown>;
  headers: IncomingMessage["headers"];
  path: string;
  /** The status answered. */
  status: number;
}

/** What the receiver answers a request with: a status, optionally after a delay. */
export type ReceiverAnswer = number | { status: number; delayMs: number };

/**
 * A subscriber's endpoint for tests: a real node:http server on a port the OS chose, which checks
 * every delivery's Standard Webhooks signature with the secret it is given, answers what the test
 * says, and can go down (connection refused) and come back on the same port.
 */
export interface StandardWebhookReceiver {
  /** The callback URL (with a `sig` query parameter, as Power Automate's URLs carry). */
  readonly url: string;
  readonly received: ReceivedDelivery[];
  /** The signing secret to verify with (known once the subscription is created). */
  secret: string | null;
  /** Decides each answer from the request's position (0-based) and its `webhook-id`. */
  answer: (index: number, id: string) => ReceiverAnswer;
  /** Requests answered 2xx, in arrival order. */
  accepted(): ReceivedDelivery[];
  /** Stops listening: deliveries meet a refused connection until {@link up}. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a receiver; it answers 200 until told otherwise.
 *
 * @example
 * const receiver = await startStandardWebhookReceiver();
 * receiver.secret = created.secret;
 * receiver.answer = (i) => (i < 2 ? 500 : 200);
 */
export async function startStandardWebhookReceiver(): Promise<StandardWebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let server: Server | null = await listen(0, handle);
  const port = (server.address() as AddressInfo).port;

  const receiver: StandardWebhookReceiver = {
    url: `http://127.0.0.1:${port}/hooks/intercom-connector?sig=not-to-be-logged-${port}`,
    received,
    secret: null,
    answer: () => 200,
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    async down() {
      const current = server;
      server = null;
      if (current === null) return;
      current.closeAllConnections();
      await new Promise((resolve) => current.close(resolve));
    },
    async up() {
      if (server !== null) return;
      server = await listen(port, handle);
    },
    async close() {
      await receiver.down();
    },
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const id = String(req.headers["webhook-id"] ?? "");
      const planned = receiver.answer(received.length, id);
      const { status, delayMs } = typeof planned === "number" ? { status: planned, delayMs: 0 } : planned;
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        // The test sees the raw body.
      }
      const delivery: ReceivedDelivery = {
        id,
        timestamp: Number(req.headers["webhook-timestamp"]),
        signatureValid: receiver.secret !== null && verifyWebhookSignature(receiver.secret, { headers: req.headers, body: rawBody }),
        rawBody,
        payload,
        headers: req.headers,
        path: req.url ?? "",
        status,
      };
      const respond = (): void => {
        // Recorded when answered: a delivery counts as received once its status is sent.
        received.push(delivery);
        res.statusCode = status;
        res.end();
      };
      if (delayMs > 0) setTimeout(respond, delayMs);
      else respond();
    });
  }

  return receiver;
}

async function listen(port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

/**
 * Waits until `condition` holds, checking every 20 ms; fails with `what` after `timeoutMs`.
 *
 * @example
 * await waitUntil(() => receiver.accepted().length === 3, "three deliveries");
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
