import { IntercomError } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedWorkspace } from "../seed.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";
import { addTeam } from "./teams.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
});
afterEach(async () => {
  await em.close();
});

describe("teams", () => {
  it("lists none in a new workspace, then the demo's two teams with their admins", async () => {
    const sdk = em.sdk();
    expect(await sdk.teams.list()).toEqual({ type: "team.list", teams: [] });
    seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
    const list = await sdk.teams.list();
    expect(list.teams?.map((t) => t.name)).toEqual(["Support", "Success"]);
    const support = list.teams?.[0];
    expect(support?.admin_ids).toContain(Number(em.workspace.ownerAdminId));
    // Every admin of a team names it in its team_ids.
    const admins = await sdk.admins.list();
    for (const team of list.teams ?? []) {
      for (const id of team.admin_ids ?? []) {
        expect(admins.admins?.find((a) => a?.id === String(id))?.team_ids).toContain(Number(team.id));
      }
    }
    // Seeding again finds the teams by name.
    seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
    expect(em.workspace.teams.size).toBe(2);
  });

  it("finds a team by id; an unknown id is 404 team_not_found", async () => {
    const sdk = em.sdk();
    const team = addTeam(em.workspace, { name: "Billing", admin_ids: [Number(em.workspace.ownerAdminId)], distribution_method: "balanced", assignment_limit: 5 });
    expect(await sdk.teams.find({ team_id: team.id })).toMatchObject({
      type: "team", id: team.id, name: "Billing", admin_ids: [Number(em.workspace.ownerAdminId)], assignment_limit: 5, distribution_method: "balanced",
    });
    const error = await sdk.teams.find({ team_id: "999" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomError);
    expect((error as IntercomError).statusCode).toBe(404);
    expect((error as IntercomError).body).toMatchObject({ type: "error.list", errors: [{ code: "team_not_found", message: "Team not found" }] });
    expect((await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body).toMatchObject({ calls: { "GET /teams/:team_id": 2 } });
  });
});
