import { parse } from "content-type";
import type { FastifyRequest } from "fastify";
import { connectorError, type ConnectorError } from "../contract/index.js";

/** The labels that mean UTF-8 (`utf8` is a common misspelling every decoder takes). */
const UTF8_LABELS = new Set(["utf-8", "utf8"]);

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers["content-length"];
  return request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** A charset as an error may name it: a label the platform's decoder knows (a finite set), never arbitrary header text. */
function shownCharset(label: string): string {
  try {
    new TextDecoder(label);
    return `charset ${label.toLowerCase()}`;
  } catch {
    return "an unknown charset";
  }
}

/**
 * The refusal of a request body whose `Content-Type` names a charset other than UTF-8
 * (`application/json; charset=utf-16`): 415 `unsupported_media_type` naming the charset, or
 * `null` to read it. No charset, `utf-8` in any case, quoted or not, is read; so is a request
 * without a body or a `Content-Type` that does not parse (fastify refuses that one itself).
 *
 * @example
 * app.addHook("preParsing", async (request, _reply, payload) => { const refusal = charsetRefusal(request); if (refusal) throw refusal; return payload; });
 */
export function charsetRefusal(request: FastifyRequest): ConnectorError | null {
  const header = request.headers["content-type"];
  if (header === undefined || !hasBody(request)) return null;
  let charset: string | undefined;
  try {
    charset = parse(header).parameters.charset;
  } catch {
    return null;
  }
  if (charset === undefined || UTF8_LABELS.has(charset.toLowerCase())) return null;
  return connectorError("unsupported_media_type", { reason: `its Content-Type names ${shownCharset(charset)}: send the body in UTF-8 (charset=utf-8, or no charset)` });
}
