import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Admin, Team } from "../../contract/catalogue/workspace.js";
import { unwrap } from "../../contract/index.js";
import { addTeam } from "../../emulator/routes/teams.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { listAdmins } from "./listAdmins.js";
import { listTeams } from "./listTeams.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("ListAdmins", () => {
  it("returns every admin as Intercom's admin object, in one GET /admins", async () => {
    c.em.workspace.admins.set("777", {
      id: "777", name: "Grace", email: "grace@example.com", job_title: "Engineer", away_mode_enabled: true,
      away_mode_reassign: false, has_inbox_seat: false, team_ids: [5], avatar: "https://example.com/g.png",
    });
    const admins = await all(unwrap(await listAdmins.run(c.intercom, {})));
    const owner = c.em.workspace.admins.get(c.em.workspace.ownerAdminId);
    expect(admins.map((a) => a.id).sort()).toEqual([c.em.workspace.ownerAdminId, "777"].sort());
    expect(admins.find((a) => a.id === "777")).toEqual({
      type: "admin", id: "777", name: "Grace", email: "grace@example.com", job_title: "Engineer", away_mode_enabled: true,
      away_mode_reassign: false, away_status_reason_id: null, has_inbox_seat: false, team_ids: [5],
    });
    expect(admins.find((a) => a.id === c.em.workspace.ownerAdminId)).toMatchObject({ name: owner?.name, email: owner?.email });
    for (const admin of admins) expect(Admin.parse(admin)).toEqual(admin);
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /admins": 1 } });
  });

  it("refuses any input before calling Intercom", async () => {
    const result = await listAdmins.run(c.intercom, { page: 2 });
    expect(!result.ok && result.error.toJSON()).toMatchObject({ code: "invalid_input", status: 400 });
    expect(!result.ok && result.error.message).toContain("page");
    expect((await c.calls()).total).toBe(0);
  });

  it("throws Intercom's 429 from the iteration as intercom_rate_limited", async () => {
    await c.workspace("POST", "/faults", { kind: "429", count: 5, route: "GET /admins", retry_after: 120 });
    const admins = unwrap(await listAdmins.run(c.transport({ maxRetries: 0 }), {}));
    await expect(all(admins)).rejects.toMatchObject({ code: "intercom_rate_limited", status: 429 });
  });
});

describe("ListTeams", () => {
  it("returns every team as Intercom's team object", async () => {
    const owner = Number(c.em.workspace.ownerAdminId);
    const billing = addTeam(c.em.workspace, { name: "Billing", admin_ids: [owner], distribution_method: "balanced", assignment_limit: 5 });
    const support = addTeam(c.em.workspace, { name: "Support", admin_ids: [] });
    const teams = await all(unwrap(await listTeams.run(c.intercom, {})));
    expect(teams).toEqual([
      { type: "team", id: billing.id, name: "Billing", admin_ids: [owner], admin_priority_level: { primary_admin_ids: [], secondary_admin_ids: [] }, distribution_method: "balanced", assignment_limit: 5 },
      { type: "team", id: support.id, name: "Support", admin_ids: [], admin_priority_level: { primary_admin_ids: [], secondary_admin_ids: [] }, distribution_method: support.distribution_method },
    ]);
    for (const team of teams) expect(Team.parse(team)).toEqual(team);
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /teams": 1 } });
  });

  it("answers one page with no next cursor, and an unavailable Intercom as intercom_unavailable", async () => {
    const page = unwrap(await listTeams.paged.page(c.intercom, {}));
    expect(page).toEqual({ items: [], nextCursor: null });
    await c.workspace("POST", "/faults", { kind: "500", count: 5, route: "GET /teams" });
    const failed = await listTeams.paged.page(c.transport({ maxRetries: 0 }), {});
    expect(!failed.ok && failed.error.toJSON()).toMatchObject({ code: "intercom_unavailable", status: 503 });
  });
});
