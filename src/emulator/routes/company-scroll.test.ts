import { type Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";
import { SCROLL_PAGE } from "./company-scroll.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(1_700_000_000, { frozen: true });
});
afterEach(async () => {
  await em.close();
});

describe("GET /companies/scroll", () => {
  it("walks every company with the SDK's pager, contacts or not", async () => {
    const sdk = em.sdk();
    const total = SCROLL_PAGE * 2 + 3;
    for (let i = 0; i < total; i++) {
      em.workspace.clock.advance(1);
      await sdk.companies.createOrUpdate({ company_id: `c${i}`, name: `Company ${i}` });
    }
    const seen: Intercom.Company[] = [];
    for await (const company of await sdk.companies.scroll()) seen.push(company);
    expect(seen.map((c) => c.company_id)).toEqual(Array.from({ length: total }, (_, i) => `c${i}`));
    const calls = (await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body as { calls: Record<string, number> };
    // Three full or partial pages and the empty one that closes the scroll.
    expect(calls.calls["GET /companies/scroll"]).toBe(4);
  });

  it("closes at the end, expires after a minute unused, and a new scroll replaces the open one", async () => {
    await em.sdk().companies.createOrUpdate({ company_id: "only" });
    const first = (await em.request("GET", "/companies/scroll")).body as { data: unknown[]; scroll_param: string; pages: null; total_count: null };
    expect(first).toMatchObject({ type: "list", data: [{ company_id: "only" }], pages: null, total_count: null });
    const end = await em.request("GET", `/companies/scroll?scroll_param=${first.scroll_param}`);
    expect(end.body).toEqual({ type: "list", data: [], pages: null, total_count: null });
    const closed = await em.request("GET", `/companies/scroll?scroll_param=${first.scroll_param}`);
    expect(closed).toMatchObject({ status: 400, body: { errors: [{ code: "parameter_invalid", field: "scroll_param" }] } });

    const opened = (await em.request("GET", "/companies/scroll")).body as { scroll_param: string };
    em.workspace.clock.advance(61);
    expect((await em.request("GET", `/companies/scroll?scroll_param=${opened.scroll_param}`)).status).toBe(400);
    const a = (await em.request("GET", "/companies/scroll")).body as { scroll_param: string };
    const b = (await em.request("GET", "/companies/scroll")).body as { scroll_param: string };
    expect(a.scroll_param).not.toBe(b.scroll_param);
    expect((await em.request("GET", `/companies/scroll?scroll_param=${a.scroll_param}`)).status).toBe(400);
    expect((await em.request("GET", `/companies/scroll?scroll_param=${b.scroll_param}`)).status).toBe(200);
  });
});
