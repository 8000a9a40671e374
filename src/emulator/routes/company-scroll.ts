import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { IntercomApiError } from "../errors.js";
import type { CompanyRecord } from "../model.js";
import type { Workspace } from "../workspace.js";
import { companyUserCounts, serializeCompany } from "./companies.js";

/** Companies per scroll page. */
export const SCROLL_PAGE = 15;
/** A scroll not used for this long (workspace clock) expires, as Intercom's does after a minute. */
export const SCROLL_TTL_SECONDS = 60;

/** The one open scroll of a workspace: the companies it walks, how far it got, when it was last used. */
interface Scroll {
  param: string;
  ids: string[];
  offset: number;
  usedAt: number;
}

const scrolls = new WeakMap<Workspace, Scroll>();

/**
 * Registers `GET /companies/scroll`: every company (with contacts or not), `SCROLL_PAGE` at a
 * time, in creation order. A request without `scroll_param` opens the workspace's one scroll
 * (replacing an open one); each page carries the `scroll_param` for the next; the page after the
 * last has no companies and no `scroll_param` (the scroll is closed, which is where the SDK's pager
 * stops). An unknown, closed or expired `scroll_param` is a 400.
 *
 * @example
 * registerCompanyScrollRoutes(app);
 */
export function registerCompanyScrollRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: { scroll_param?: string } }>("/companies/scroll", async (request) => {
    const ws = request.workspace;
    const now = ws.clock.now();
    const param = request.query.scroll_param;
    let scroll = scrolls.get(ws);
    if (param === undefined || param === "") {
      const ids = [...ws.companies.values()]
        .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((c) => c.id);
      scroll = { param: randomUUID(), ids, offset: 0, usedAt: now };
      scrolls.set(ws, scroll);
    } else if (scroll === undefined || scroll.param !== param || now - scroll.usedAt > SCROLL_TTL_SECONDS) {
      throw new IntercomApiError(400, "parameter_invalid", "scroll_param is not valid or has expired", { field: "scroll_param" });
    }
    const counts = companyUserCounts(ws);
    // Companies deleted since the scroll opened are skipped.
    const page = scroll.ids.slice(scroll.offset, scroll.offset + SCROLL_PAGE).map((id) => ws.companies.get(id)).filter((c): c is CompanyRecord => c !== undefined);
    const body: Record<string, unknown> = { type: "list", data: page.map((c) => serializeCompany(ws, c, counts.get(c.id) ?? 0)), pages: null, total_count: null };
    if (scroll.offset >= scroll.ids.length) {
      scrolls.delete(ws);
    } else {
      scroll.offset += SCROLL_PAGE;
      scroll.usedAt = now;
      body.scroll_param = scroll.param;
    }
    return body;
  });
}
