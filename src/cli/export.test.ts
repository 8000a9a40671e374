import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lead_Response } from "../contract/index.js";
import { startCliTestBed, type CliTestBed } from "./testing/cli-bed.js";

let bed: CliTestBed;
beforeEach(async () => {
  bed = await startCliTestBed();
});
afterEach(async () => {
  await bed.cleanup();
});

// Each test spawns the CLI several times: generous limits for a loaded machine.
describe("intercom-connector export leads", { timeout: 180_000 }, () => {
  it("writes every lead once as NDJSON, prints a one-line summary, and no progress bar when stderr is not a terminal", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 340; i++) ids.add(bed.em.workspace.insertContact({ role: "lead", email: `l${i}@example.com` }).id);
    for (let i = 0; i < 30; i++) bed.em.workspace.insertContact({ role: "user", email: `u${i}@example.com` });
    const out = join(bed.dir, "leads.ndjson");

    const result = await bed.run(["export", "leads", "--out", out, "--state", bed.state]);
    expect(result).toEqual({ code: 0, stdout: `exported 340 leads to ${out}\n`, stderr: "" });
    // Three pages of 150, and no count for a bar nobody sees.
    expect(await bed.callCount()).toBe(3);
    const text = await readFile(out, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const leads = text.trimEnd().split("\n").map((line) => Lead_Response.parse(JSON.parse(line)));
    expect(leads).toHaveLength(340);
    expect(new Set(leads.map((l) => l.id))).toEqual(ids);
    // No temporary file is left beside it.
    expect(await readdir(bed.dir)).toEqual(expect.arrayContaining(["leads.ndjson", "state"]));
    expect((await readdir(bed.dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("leaves no file behind when the export fails, and says why in one line", async () => {
    bed.em.workspace.insertContact({ role: "lead", email: "l@example.com" });
    const out = join(bed.dir, "leads.ndjson");
    const failed = await bed.run(["export", "leads", "--out", out, "--state", bed.state], { CONNECTION_CALLS_PER_MINUTE: "1" }).then(async (first) => {
      expect(first.code, first.stderr).toBe(0);
      return bed.run(["export", "leads", "--out", join(bed.dir, "again.ndjson"), "--state", bed.state], { CONNECTION_CALLS_PER_MINUTE: "1" });
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error rate_limited: The connection's budget of 1 calls per 60 seconds is spent; retry in \d+ seconds\n$/);
    expect(failed.stdout).toBe("");
    expect((await readdir(bed.dir)).sort()).toEqual(["leads.ndjson", "state"]);

    const usage = await bed.run(["export", "users", "--out", out, "--state", bed.state]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: command-argument value 'users' is invalid for argument 'what'\. Allowed choices are leads\.\n$/);
    const noOut = await bed.run(["export", "leads", "--state", bed.state]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toBe("error: required option '--out <file>' not specified\n");
  });
});
