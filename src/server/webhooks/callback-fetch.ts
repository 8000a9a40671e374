import type { LookupFunction } from "node:net";
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from "undici";
import { addressKindPhrase } from "./blocked-addresses.js";
import type { CallbackGuard, ResolveHost } from "./callback-policy.js";

export type { ResolveHost } from "./callback-policy.js";

/**
 * A delivery the callback policy refused before any byte was sent. Its message is the reason a
 * failed delivery records (`last_error`): it never holds the callback URL's path or query.
 *
 * @example
 * if (error instanceof CallbackRefusedError) console.log(error.message); // "the callback's host resolves to a loopback address…"
 */
export class CallbackRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CallbackRefusedError";
  }
}

/**
 * The `lookup` a delivery's socket connects through: it resolves the host, and refuses the
 * connection when any of its addresses is one the policy forbids. The check is on the addresses
 * the socket then connects to, so a name that resolves to a public address when subscribed and to
 * a private one when delivered to (DNS rebinding) is refused. Any forbidden address refuses the
 * whole name: the socket may try each of them (happy eyeballs).
 */
function guardedLookup(guard: CallbackGuard, resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options).then(
      (addresses) => {
        const first = addresses[0];
        if (first === undefined) return callback(Object.assign(new Error(`no address for the callback's host`), { code: "ENOTFOUND" }), "", 0);
        for (const { address } of addresses) {
          const kind = guard.checkAddress(hostname, address);
          if (kind !== null) {
            return callback(new CallbackRefusedError(`the callback's host resolves to ${addressKindPhrase(kind)}, and private callbacks are not allowed`), "", 0);
          }
        }
        if (options.all === true) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/**
 * A `fetch` for webhook deliveries that keeps to the callback policy: the URL is checked first
 * (scheme, credentials, a literal address or `localhost`: sockets skip the lookup for a literal
 * address), then every address its host name resolves to, as the connection is made. A refusal
 * rejects with `CallbackRefusedError` (directly, or as the `cause` of fetch's `TypeError`).
 *
 * It is undici's own `fetch` with undici's `Agent`: Node's built-in `fetch` takes a `dispatcher`
 * but exports no `Agent` to build one, and an `Agent` from the npm package handed to the built-in
 * `fetch` breaks as soon as their undici majors differ (Node 26 bundles undici 8).
 *
 * @example
 * const deliver = callbackFetch(new CallbackGuard(PUBLIC_CALLBACKS_ONLY));
 * await postWebhook(attempt, deliver); // a callback on 10.0.0.7 fails: "refused: …"
 */
export function callbackFetch(guard: CallbackGuard, options: { resolve?: ResolveHost } = {}): typeof fetch {
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(guard, options.resolve ?? guard.resolve) } });
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request) throw new TypeError("callbackFetch takes the callback URL, not a Request");
    const allowed = guard.checkUrl(String(input));
    if (!allowed.ok) throw new CallbackRefusedError(`callback_url ${allowed.error}`);
    // The global and undici's types describe the same options, from two copies of undici's typings.
    return undiciFetch(allowed.value, { ...(init as unknown as UndiciRequestInit), dispatcher });
  };
  return guarded;
}
