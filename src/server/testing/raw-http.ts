import { connect } from "node:net";

/**
 * An answer read off a raw socket.
 *
 * @example
 * const { status, headers, body } = await rawRequest(port, "GET /health HTTP/1.0\r\n\r\n");
 */
export interface RawAnswer {
  /** The status line's code; 0 when the server closed without answering. */
  status: number;
  /** Header names in lower case (the last value of a repeated header). */
  headers: Record<string, string>;
  body: string;
  /** Everything received, as latin1 (bytes kept one for one). */
  raw: string;
}

/**
 * Sends bytes as they are on a new TCP connection and reads until the server closes it (or
 * `timeoutMs` passes): for requests `fetch` and `app.inject` refuse to make (huge headers, an
 * invalid method, raw non-UTF-8 bytes, no `Host`). Reads one answer: until its `Content-Length`
 * is in, or else until the server closes the connection.
 *
 * @example
 * const answer = await rawRequest(port, "GET /health HTTP/1.0\r\n\r\n");
 * answer.status; // 200
 */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // A whole answer is enough: a server waiting for the rest of a body it ignored keeps the connection.
      if (isComplete(Buffer.concat(chunks).toString("latin1"))) socket.destroy();
    });
    // A server that closes while the request is still being written resets: what came is the answer.
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(parseRawAnswer(Buffer.concat(chunks).toString("latin1")));
    });
  });
}

/** Whether `raw` holds a status line, headers and as many body bytes as `Content-Length` says. */
function isComplete(raw: string): boolean {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(raw.slice(0, end))?.[1];
  return length !== undefined && raw.length - (end + 4) >= Number(length);
}

function parseRawAnswer(raw: string): RawAnswer {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return { status: 0, headers: {}, body: "", raw };
  const [statusLine = "", ...lines] = raw.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, headers, body: Buffer.from(raw.slice(end + 4), "latin1").toString("utf8"), raw };
}
