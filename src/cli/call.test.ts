import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lead_Response, operationIds } from "../contract/index.js";
import { loadSecretKey, openStore } from "../store/index.js";
import { CLI_TEST_TOKEN, startCliTestBed, type CliTestBed } from "./testing/cli-bed.js";
import { killPipedClis, spawnCliIntoPipes, type PipedCli } from "./testing/pipe-cli.js";
import { heldUp, readSlowly } from "./testing/slow-reader.js";

let bed: CliTestBed;
beforeEach(async () => {
  bed = await startCliTestBed();
});
afterEach(async () => {
  await killPipedClis();
  await bed.cleanup();
});

/** `call …` on the bed with stdout and stderr real pipes (paused until the test reads them). */
function piped(args: string[]): PipedCli {
  return spawnCliIntoPipes(["call", ...args, "--state", bed.state], { env: bed.env });
}

/** Leads enough for ListLeads to print several times what a pipe holds (64 KiB). */
function manyLeads(count = 1_200): Set<string> {
  const ids = new Set<string>();
  for (let i = 0; i < count; i++) ids.add(bed.em.workspace.insertContact({ role: "lead", email: `lead${i}@example.com`, name: `Lead number ${i}` }).id);
  return ids;
}

function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l !== "");
  expect(lines, stderr).toHaveLength(1);
  return lines[0] ?? "";
}

// Each test spawns the CLI several times: generous limits for a loaded machine.
describe("intercom-connector call", { timeout: 180_000 }, () => {
  it("prints the action's result as JSON, and reuses the environment's connection without storing the token", async () => {
    const created = await bed.run(["call", "CreateLead", "--input", '{"email":"ada@example.com","name":"Ada"}', "--state", bed.state]);
    expect(created, created.stderr).toMatchObject({ code: 0, stderr: "" });
    const lead = Lead_Response.parse(JSON.parse(created.stdout));
    expect(lead).toMatchObject({ email: "ada@example.com", name: "Ada" });
    expect(created.stdout).toBe(`${JSON.stringify(lead)}\n`);

    const got = await bed.run(["call", "GetLead", "--input", JSON.stringify({ contact_id: lead.id }), "--state", bed.state]);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(lead);

    const missing = await bed.run(["call", "GetUser", "--input", JSON.stringify({ user_id: lead.id }), "--state", bed.state]);
    expect(missing.code).toBe(1);
    expect(oneLine(missing.stderr)).toBe(`error wrong_role: Contact ${lead.id} is a lead, not a user`);
    expect(missing.stdout).toBe("");

    // One connection for the environment's credentials, found again by the keyed hash.
    const { key } = await loadSecretKey({ dataDir: bed.state });
    const store = await openStore(join(bed.state, "connector.db"), { secretKey: key });
    try {
      expect(await store.listConnections()).toHaveLength(1);
    } finally {
      await store.close();
    }
    for (const output of [created, got, missing]) expect(output.stdout + output.stderr).not.toContain(CLI_TEST_TOKEN);
    for (const file of await readdir(bed.state)) {
      expect((await readFile(join(bed.state, file))).includes(Buffer.from(CLI_TEST_TOKEN)), file).toBe(false);
    }
  });

  it("streams ListLeads as one JSON array holding each lead once", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 320; i++) ids.add(bed.em.workspace.insertContact({ role: "lead", email: `l${i}@example.com` }).id);
    bed.em.workspace.insertContact({ role: "user", email: "u@example.com" });
    const listed = await bed.run(["call", "ListLeads", "--state", bed.state]);
    expect(listed.code, listed.stderr).toBe(0);
    const leads = JSON.parse(listed.stdout) as Array<{ id: string }>;
    expect(leads).toHaveLength(320);
    expect(new Set(leads.map((l) => l.id))).toEqual(ids);
    expect(listed.stdout.split("\n")).toHaveLength(320 + 3);

    const empty = await startEmptyList();
    expect(empty).toBe("[]\n");
  });

  it("prints every lead of ListLeads into a pipe read slowly", async () => {
    const ids = manyLeads();
    const cli = piped(["ListLeads"]);
    readSlowly(cli.pipes.stdout);
    cli.pipes.stderr.resume();
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe("");
    expect(Buffer.byteLength(cli.stdout())).toBeGreaterThan(4 * 64 * 1024);
    expect(cli.stdout().endsWith("]\n")).toBe(true);
    const leads = JSON.parse(cli.stdout()) as Array<{ id: string }>;
    expect(leads).toHaveLength(ids.size);
    expect(new Set(leads.map((l) => l.id))).toEqual(ids);
  });

  it("stops quietly with exit 0 when the reader closes the pipe early (`| head -c 10`)", async () => {
    manyLeads();
    const cli = piped(["ListLeads"]);
    cli.pipes.stderr.resume();
    const stdout = cli.pipes.stdout;
    // Held up by the full pipe with most of the listing still to write, so the close meets a writer.
    await heldUp(stdout);
    expect(cli.child.exitCode).toBeNull();
    const head = stdout.read(10) as string;
    expect(head).toMatch(/^\[\n\{"id":"./);
    stdout.destroy();
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe("");
  });

  it("refuses invalid input with exit 2 and one line naming the field, without calling Intercom", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["CreateLead", '{"email":"not-an-email"}', /^error invalid_input: Invalid input: email must be a valid email address$/],
      ["CreateUser", '{"name":"No Email"}', /^error invalid_input: Invalid input: email is required$/],
      ["CreateLead", '{"email":"a@example.com","colour":"red"}', /^error invalid_input: Invalid input: colour is not a known field$/],
      ["GetUser", "[]", /^error invalid_input: Invalid input: input must be an object$/],
      ["GetLead", "{", /^error: --input is not valid JSON/],
    ];
    const results = await Promise.all(cases.map(([op, input]) => bed.run(["call", op, "--input", input, "--state", bed.state])));
    results.forEach((result, i) => {
      const [op, input, message] = cases[i]!;
      expect(result.code, `${op} ${input}`).toBe(2);
      expect(oneLine(result.stderr)).toMatch(message);
      expect(result.stdout).toBe("");
    });
    expect(await bed.callCount()).toBe(0);
  });

  it("refuses an unknown operation, or a missing token, with exit 2 and one line", async () => {
    const unknown = await bed.run(["call", "SendEmail", "--state", bed.state]);
    expect(unknown.code).toBe(2);
    expect(oneLine(unknown.stderr)).toBe(`error: unknown operation 'SendEmail'; valid operation ids: ${operationIds("action").join(", ")}`);

    const noToken = await bed.run(["call", "ListLeads", "--state", bed.state], { INTERCOM_ACCESS_TOKEN: "" });
    expect(noToken.code).toBe(2);
    expect(oneLine(noToken.stderr)).toMatch(/^error: INTERCOM_ACCESS_TOKEN is not set: set it to/);

    const badRegion = await bed.run(["call", "ListLeads", "--state", bed.state], { INTERCOM_REGION: "mars" });
    expect(badRegion.code).toBe(2);
    expect(oneLine(badRegion.stderr)).toBe("error: INTERCOM_REGION 'mars' is invalid. Use us, eu or au.");
    expect(await bed.callCount()).toBe(0);
  });

  it("writes all of a usage error's line into a pipe, even one longer than the pipe holds", async () => {
    const name = `Send${"E".repeat(80 * 1024)}`;
    const cli = piped([name]);
    cli.pipes.stdout.resume();
    readSlowly(cli.pipes.stderr);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toBe(`error: unknown operation '${name}'; valid operation ids: ${operationIds("action").join(", ")}\n`);
    expect(cli.stdout()).toBe("");
  });

  it("answers rate_limited once the connection's budget is spent (CONNECTION_CALLS_PER_MINUTE)", async () => {
    const lead = bed.em.workspace.insertContact({ role: "lead", email: "a@example.com" });
    const args = ["call", "GetLead", "--input", JSON.stringify({ contact_id: lead.id }), "--state", bed.state];
    const env = { CONNECTION_CALLS_PER_MINUTE: "2" };
    for (let i = 0; i < 2; i++) expect((await bed.run(args, env)).code).toBe(0);
    const before = await bed.callCount();
    const refused = await bed.run(args, env);
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toMatch(/^error rate_limited: The connection's budget of 2 calls per 60 seconds is spent; retry in \d+ seconds$/);
    expect(await bed.callCount()).toBe(before);
  });
});

/** ListLeads on a workspace without leads (another emulator workspace through the control API). */
async function startEmptyList(): Promise<string> {
  const created = await bed.em.control("POST", "/workspaces", { token: "tok_empty-workspace" });
  expect(created.status).toBeLessThan(300);
  const result = await bed.run(["call", "ListLeads", "--state", bed.state], { INTERCOM_ACCESS_TOKEN: "tok_empty-workspace" });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}
