import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { User_Response } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { getUser } from "./getUser.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

describe("GetUser", () => {
  it("returns every User_Response path of a user, in one call", async () => {
    const stored = c.em.workspace.insertContact({
      role: "user",
      external_id: "crm-42",
      email: "ada@example.com",
      phone: "+44 20 7946 0000",
      name: "Ada",
      avatar: "https://example.com/ada.png",
      unsubscribed_from_emails: true,
      created_at: 1_795_523_438,
      location: { city: "London", region: "England", country: "United Kingdom", country_code: "GB", continent_code: "EU" },
    });
    const result = await getUser.run(c.intercom, { user_id: stored.id });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toEqual({
      id: stored.id,
      created_at: "2026-11-24T12:30:38.000Z",
      user_id: "crm-42",
      email: "ada@example.com",
      phone: "+44 20 7946 0000",
      name: "Ada",
      session_count: null,
      avatar: { image_url: "https://example.com/ada.png" },
      unsubscribed_from_emails: true,
      location_data: { city_name: "London", country_name: "United Kingdom", region_name: "England", latitude: null, longitude: null, postal_code: null, timezone: null },
      pseudonym: null,
    });
    expect(User_Response.parse(result.value)).toEqual(result.value);
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /contacts/:contact_id": 1 } });
  });

  it("maps a user without email, name or location to nulls", async () => {
    const stored = c.em.workspace.insertContact({ role: "user", external_id: "only-ext" });
    const result = await getUser.run(c.intercom, { user_id: stored.id });
    expect(result.ok && result.value).toMatchObject({ user_id: "only-ext", email: null, name: null, phone: null, avatar: { image_url: null } });
  });

  it("answers 404 wrong_role naming the role when the id is a lead's", async () => {
    const lead = c.em.workspace.insertContact({ role: "lead", email: "lead@example.com" });
    const result = await getUser.run(c.intercom, { user_id: lead.id });
    expect(!result.ok && result.error.toJSON()).toEqual({
      code: "wrong_role",
      status: 404,
      message: `Contact ${lead.id} is a lead, not a user`,
      field: "user_id",
    });
    expect((await c.calls()).total).toBe(1);
  });

  it("answers 404 not_found for an unknown id", async () => {
    const result = await getUser.run(c.intercom, { user_id: "5f0000000000000000000000" });
    expect(!result.ok && result.error.toJSON()).toEqual({ code: "not_found", status: 404, message: "No user with id 5f0000000000000000000000", field: "user_id" });
  });
});
