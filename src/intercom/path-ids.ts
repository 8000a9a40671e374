import { connectorError, err, INTERCOM_ID_PATTERN, type ConnectorError, type Result } from "../contract/index.js";

/**
 * The transport's own check of an id it is about to put in a request path, behind the
 * contract's (`IdField`): ids also come from Intercom's answers (a contact's companies, a
 * conversation's contact), and a `..` there must not move the request either. `null` when the id
 * may go in a path; else `invalid_input` on `id`, and nothing is sent.
 *
 * @example
 * pathIdRefusal(".."); // { ok: false, error: ConnectorError("invalid_input") }
 * pathIdRefusal("6762f0a51bb69f9f2193bb5c"); // null
 */
export function pathIdRefusal(...ids: readonly string[]): Result<never, ConnectorError> | null {
  for (const id of ids) {
    if (!INTERCOM_ID_PATTERN.test(id)) {
      return err(connectorError("invalid_input", { field: "id", reason: "must be an Intercom id: letters, digits, _ or - only" }, { field: "id" }));
    }
  }
  return null;
}

/**
 * Why a request URL is not under the base URL (another origin, or a path outside its prefix), or
 * `null`. A `.` or `..` segment, even percent-encoded, counts as leaving: WHATWG parsing removes
 * them, and a server behind a proxy might.
 *
 * @example
 * outsideBase("http://proxy.example/intercom", "http://proxy.example/admins"); // "leaves the base URL's path"
 * outsideBase("http://proxy.example/intercom", "http://proxy.example/intercom/contacts/1"); // null
 */
export function outsideBase(baseUrl: string, requestUrl: string): string | null {
  const base = new URL(baseUrl);
  const raw = requestUrl.split(/[?#]/, 1)[0] ?? "";
  const pathStart = raw.indexOf("/", raw.indexOf("//") + 2);
  const rawPath = pathStart === -1 ? "/" : raw.slice(pathStart);
  if (rawPath.split("/").some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return "has a . or .. path segment";
  const url = new URL(requestUrl);
  if (url.origin !== base.origin) return "leaves the base URL's origin";
  const prefix = base.pathname.replace(/\/+$/, "");
  if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return "leaves the base URL's path";
  return null;
}

/**
 * A `fetch` that sends only requests under `baseUrl` and throws `TypeError` for any other: the
 * last line behind the id checks, so that no id, however it got in, takes the token elsewhere.
 *
 * @example
 * const confined = confineToBase("http://127.0.0.1:4010/intercom", fetch);
 * await confined("http://127.0.0.1:4010/admins"); // throws TypeError
 */
export function confineToBase(baseUrl: string, fetchFn: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const problem = outsideBase(baseUrl, url);
    // The message never holds the URL: its path is built from ids a caller gave.
    if (problem !== null) return Promise.reject(new TypeError(`refused to send a request that ${problem}`));
    return fetchFn(input, init);
  };
}
