import { chmod, mkdir, readdir, readFile, stat } from "node:fs/promises";
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

  it("writes DIR/leads.ndjson when --out is a directory, readable by its owner only, with no temporary file left", async () => {
    for (let i = 0; i < 5; i++) bed.em.workspace.insertContact({ role: "lead", email: `d${i}@example.com` });
    const dir = join(bed.dir, "exports");
    await mkdir(dir);
    const result = await bed.run(["export", "leads", "--out", `${dir}/`, "--state", bed.state]);
    const out = join(dir, "leads.ndjson");
    expect(result).toEqual({ code: 0, stdout: `exported 5 leads to ${out}\n`, stderr: "" });
    expect((await readFile(out, "utf8")).trimEnd().split("\n")).toHaveLength(5);
    expect(await readdir(dir)).toEqual(["leads.ndjson"]);
    if (process.platform !== "win32") expect((await stat(out)).mode & 0o777).toBe(0o600);
    // Again, without the slash: the same file, replaced.
    expect((await bed.run(["export", "leads", "--out", dir, "--state", bed.state])).code).toBe(0);
    expect(await readdir(dir)).toEqual(["leads.ndjson"]);
  });

  it("refuses a destination it cannot write with exit 2 and one line, before the store or Intercom", async () => {
    bed.em.workspace.insertContact({ role: "lead", email: "r@example.com" });
    const blocked = join(bed.dir, "blocked");
    await mkdir(join(blocked, "leads.ndjson"), { recursive: true });
    const readOnly = join(bed.dir, "read-only");
    await mkdir(readOnly);
    await chmod(readOnly, 0o500);
    const cases: Array<[string, RegExp]> = [
      [blocked, /^error: cannot write \S+\/blocked\/leads\.ndjson: it is a directory; give --out a file name or a folder without leads\.ndjson in it\n$/],
      [join(bed.dir, "missing", "x.ndjson"), /^error: cannot write into \S+\/missing \(ENOENT\): give --out a file in a folder that exists and you can write\n$/],
      [`${join(bed.dir, "nowhere")}/`, /^error: cannot write into \S+\/nowhere: there is no such folder; create it, or give --out a file name\n$/],
    ];
    // Root writes anywhere: the permission case means something only for another user.
    if (process.getuid?.() !== 0) cases.push([readOnly, /^error: cannot write into \S+\/read-only \(EACCES\): give --out a file in a folder that exists and you can write\n$/]);
    for (const [out, message] of cases) {
      const refused = await bed.run(["export", "leads", "--out", out, "--state", bed.state]);
      expect(refused.code, out).toBe(2);
      expect(refused.stderr, out).toMatch(message);
      expect(refused.stdout).toBe("");
    }
    expect(await bed.callCount()).toBe(0);
    // Nothing opened: no store was created, no temporary file left.
    expect((await readdir(bed.dir)).sort()).toEqual(["blocked", "read-only"]);
    expect(await readdir(blocked)).toEqual(["leads.ndjson"]);
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
