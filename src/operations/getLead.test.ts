import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lead_Response } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { getLead } from "./getLead.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

describe("GetLead", () => {
  it("returns every Lead_Response path of a lead, in one call", async () => {
    const stored = c.em.workspace.insertContact({
      role: "lead",
      email: "liz@example.com",
      name: "Liz",
      avatar: "https://example.com/liz.png",
      created_at: 1_795_523_438,
      location: { city: "Porto", region: "Porto", country: "Portugal", country_code: "PT", continent_code: "EU" },
    });
    const result = await getLead.run(c.intercom, { contact_id: stored.id });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toEqual({
      id: stored.id,
      created_at: "2026-11-24T12:30:38.000Z",
      user_id: null,
      email: "liz@example.com",
      phone: null,
      name: "Liz",
      avatar: { image_url: "https://example.com/liz.png" },
      unsubscribed_from_emails: false,
      location_data: { city_name: "Porto", country_name: "Portugal", region_name: "Porto", latitude: null, longitude: null, postal_code: null, timezone: null },
    });
    expect(Lead_Response.parse(result.value)).toEqual(result.value);
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /contacts/:contact_id": 1 } });
  });

  it("answers 404 wrong_role naming the role when the id is a user's", async () => {
    const user = c.em.workspace.insertContact({ role: "user", email: "user@example.com" });
    const result = await getLead.run(c.intercom, { contact_id: user.id });
    expect(!result.ok && result.error.toJSON()).toEqual({
      code: "wrong_role",
      status: 404,
      message: `Contact ${user.id} is a user, not a lead`,
      field: "contact_id",
    });
  });

  it("answers 404 not_found for an unknown id", async () => {
    const result = await getLead.run(c.intercom, { contact_id: "5f0000000000000000000000" });
    expect(!result.ok && result.error.code).toBe("not_found");
    expect(!result.ok && result.error.status).toBe(404);
  });
});
