import { IntercomError } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator({ workspaces: [{ token: "test-token", name: "Acme Support", timezone: "Europe/Paris" }] });
});
afterEach(async () => {
  await em.close();
});

describe("admins", () => {
  it("identifies the token's owner with the workspace's app", async () => {
    const me = await em.sdk().admins.identify();
    const owner = em.workspace.admins.get(em.workspace.ownerAdminId);
    expect(me).toMatchObject({
      type: "admin",
      id: em.workspace.ownerAdminId,
      email: owner?.email,
      name: owner?.name,
      app: { type: "app", id_code: em.workspace.id, name: "Acme Support", region: "US", timezone: "Europe/Paris", identity_verification: false },
    });
    // The app's creation time stays the same from call to call.
    em.workspace.clock.advance(3600);
    const again = await em.sdk().admins.identify();
    expect(again?.app?.created_at).toBe(me?.app?.created_at);
  });

  it("lists the workspace's admins and finds one by id", async () => {
    em.workspace.admins.set("777", {
      id: "777", name: "Grace", email: "grace@example.com", job_title: "Engineer", away_mode_enabled: true,
      away_mode_reassign: false, has_inbox_seat: false, team_ids: [5], avatar: "https://example.com/g.png",
    });
    const sdk = em.sdk();
    const list = await sdk.admins.list();
    expect(list.type).toBe("admin.list");
    expect(list.admins?.map((a) => a?.id).sort()).toEqual([em.workspace.ownerAdminId, "777"].sort());
    expect(list.admins?.find((a) => a?.id === "777")).not.toHaveProperty("avatar");
    const withAvatars = await em.request("GET", "/admins?display_avatar=true");
    expect((withAvatars.body as { admins: Array<{ id: string; avatar: unknown }> }).admins.find((a) => a.id === "777")?.avatar).toBe("https://example.com/g.png");
    const grace = await sdk.admins.find({ admin_id: 777 });
    expect(grace).toMatchObject({ type: "admin", id: "777", name: "Grace", away_mode_enabled: true, team_ids: [5] });
  });

  it("answers 404 admin_not_found for an unknown admin", async () => {
    const error = await em.sdk().admins.find({ admin_id: 123 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomError);
    expect((error as IntercomError).statusCode).toBe(404);
    expect((error as IntercomError).body).toMatchObject({ type: "error.list", errors: [{ code: "admin_not_found", message: "Admin not found" }] });
  });
});
