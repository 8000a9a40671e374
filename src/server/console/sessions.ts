import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Who a console session acts for: the operator (signed in with the admin key, or from this
 * machine when no key is set), who sees every connection, or one connection (signed in with its
 * API key), who sees that connection alone.
 *
 * @example
 * const scope: ConsoleScope = { kind: "connection", connectionId: "9f1c…" };
 */
export type ConsoleScope = { kind: "admin" } | { kind: "connection"; connectionId: string };

/**
 * One signed-in browser: its scope, the CSRF token every change must carry, and when it ends.
 *
 * @example
 * const session: ConsoleSession = sessions.open({ kind: "admin" });
 */
export interface ConsoleSession {
  readonly scope: ConsoleScope;
  readonly csrfToken: string;
  /**
   * What binds work this session started to it (a "Connect with Intercom" state): random, and
   * not the cookie, so that nothing which stores it holds a credential.
   */
  readonly bindingId: string;
  /** Epoch milliseconds after which the session is over unless used again. */
  expiresAt: number;
}

/** A session that is not used for this long ends (12 hours). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** At most this many sessions are open at once; the oldest goes first. */
const MAX_SESSIONS = 10_000;

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The console's sessions, in this process: the cookie holds a random 32-byte id, the map holds
 * only its SHA-256 (a dump of memory gives no cookie). A session ends at sign-out, after
 * `SESSION_IDLE_MS` unused, or when its connection's API key is rotated or the connection deleted.
 * Kept in memory because a session is a browser's, not the connector's: with several instances,
 * route a browser to one instance (sticky sessions) or sign in again.
 *
 * @example
 * const sessions = new ConsoleSessions(Date.now);
 * const { id, session } = sessions.open({ kind: "admin" });
 * sessions.find(id); // session
 */
export class ConsoleSessions {
  private readonly byHash = new Map<string, ConsoleSession>();

  constructor(private readonly now: () => number) {}

  /** Opens a session and returns the cookie's value (shown to nobody else) with it. */
  open(scope: ConsoleScope): { id: string; session: ConsoleSession } {
    const id = randomBytes(32).toString("base64url");
    const session: ConsoleSession = {
      scope,
      csrfToken: randomBytes(32).toString("base64url"),
      bindingId: randomBytes(16).toString("base64url"),
      expiresAt: this.now() + SESSION_IDLE_MS,
    };
    if (this.byHash.size >= MAX_SESSIONS) this.byHash.delete(this.byHash.keys().next().value as string);
    this.byHash.set(sha256(id), session);
    return { id, session };
  }

  /** The live session of a cookie value, its idle time started again; `null` when none. */
  find(id: string | undefined): ConsoleSession | null {
    if (id === undefined || id === "") return null;
    const hash = sha256(id);
    const session = this.byHash.get(hash);
    if (session === undefined) return null;
    if (session.expiresAt <= this.now()) {
      this.byHash.delete(hash);
      return null;
    }
    session.expiresAt = this.now() + SESSION_IDLE_MS;
    return session;
  }

  /** Ends the session of a cookie value (sign-out). */
  close(id: string | undefined): void {
    if (id !== undefined) this.byHash.delete(sha256(id));
  }

  /** Ends every session signed in with a connection's key but `keep` (its key was rotated, or it was deleted). */
  closeConnection(connectionId: string, keep?: ConsoleSession): void {
    for (const [hash, session] of this.byHash) {
      if (session !== keep && session.scope.kind === "connection" && session.scope.connectionId === connectionId) this.byHash.delete(hash);
    }
  }
}

/**
 * Whether a request's CSRF token is the session's (compared in constant time).
 *
 * @example
 * csrfMatches(session, request.headers["x-csrf-token"]); // false for a form posted from elsewhere
 */
export function csrfMatches(session: ConsoleSession, given: string | string[] | undefined): boolean {
  const token = Array.isArray(given) ? given[0] : given;
  if (token === undefined) return false;
  const a = createHash("sha256").update(token).digest();
  const b = createHash("sha256").update(session.csrfToken).digest();
  return timingSafeEqual(a, b);
}
