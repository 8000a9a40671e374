import { afterEach, describe, expect, it } from "vitest";
import { killAllClis, spawnCli, type CliProcess } from "./testing/spawn-cli.js";

afterEach(killAllClis);

/** Starts the CLI emulator and reads what it printed once it listens. */
async function startCli(args: string[]): Promise<{ cli: CliProcess; baseUrl: string; token: string; workspaceId: string; controlUrl: string }> {
  const cli = spawnCli(["emulator", "--port", "0", ...args]);
  await cli.waitFor(/^seeded: .*$/m);
  const out = cli.stdout();
  const field = (re: RegExp): string => {
    const value = re.exec(out)?.[1];
    if (value === undefined) throw new Error(`no ${String(re)} in ${out}`);
    return value;
  };
  return {
    cli,
    baseUrl: field(/^Intercom emulator listening on (http:\/\/\S+)$/m),
    token: field(/^token: (\S+)/m),
    workspaceId: field(/^workspace: (\S+)$/m),
    controlUrl: field(/^control API: (\S+)$/m),
  };
}

async function get(url: string, token?: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}`, "Intercom-Version": "2.14" } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe("intercom-connector emulator", () => {
  it("serves a seeded workspace with the given settings on the port it prints, and stops on SIGTERM", async () => {
    const { cli, baseUrl, token, workspaceId, controlUrl } = await startCli([
      "--token", "cli-token", "--seed", "demo", "--timezone", "Europe/Paris", "--rate-limit", "600", "--search-delay", "3",
    ]);
    expect(token).toBe("cli-token");
    expect(controlUrl).toBe(`${baseUrl}/_emulator`);
    const port = Number(new URL(baseUrl).port);
    expect(port).toBeGreaterThan(0);
    expect(cli.stdout()).toContain("seeded: 300 contacts, 20 companies, 10 tags, 50 conversations");

    const contacts = await get(`${baseUrl}/contacts?per_page=5`, token);
    expect(contacts.status).toBe(200);
    expect(contacts.body).toMatchObject({ type: "list", total_count: 300 });
    expect(contacts.headers.get("x-ratelimit-limit")).toBe("100");
    expect((await get(`${baseUrl}/contacts`, "another-token")).status).toBe(401);

    const ws = await get(`${controlUrl}/workspaces/${workspaceId}`);
    expect(ws.body).toMatchObject({ id: workspaceId, token: "cli-token", timezone: "Europe/Paris", rate_limit: 600, search_delay: 3 });

    cli.child.kill("SIGTERM");
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${baseUrl}/contacts`)).rejects.toThrow();
  });

  it("generates and prints a working token when none is given, seeds nothing by default, and stops on SIGINT", async () => {
    const { cli, baseUrl, token } = await startCli([]);
    expect(cli.stdout()).toMatch(/^token: \S+ \(generated; pass --token to choose one\)$/m);
    expect(cli.stdout()).toContain("seeded: 0 contacts, 0 companies, 0 tags, 0 conversations");
    const me = await get(`${baseUrl}/contacts`, token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ total_count: 0 });
    cli.child.kill("SIGINT");
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  // Every flag's validation is covered in-process by program.test.ts; these check the real exit path.
  it("refuses invalid flags with exit code 2 and one line on stderr saying what to fix", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--timezone", "Mars/Olympus_Mons"], /--timezone.*'Mars\/Olympus_Mons' is invalid\. Use an IANA time zone name/],
      [["--port", "four"], /--port.*'four' is invalid\. The port must be a whole number/],
      [["--search-delay", "-1"], /--search-delay.*'-1' is invalid\. The value must be 0 or more/],
    ];
    await Promise.all(cases.map(async ([args, message]) => {
      const cli = spawnCli(["emulator", ...args]);
      const { code } = await cli.exited;
      expect(code, args.join(" ")).toBe(2);
      const lines = cli.stderr().split("\n").filter((l) => l !== "");
      expect(lines, args.join(" ")).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(message);
      expect(cli.stdout()).toBe("");
    }));
  });

  it("says which port is taken and exits 1 when it cannot listen", async () => {
    const first = await startCli(["--token", "a"]);
    const port = new URL(first.baseUrl).port;
    const second = spawnCli(["emulator", "--port", port, "--token", "b"]);
    expect((await second.exited).code).toBe(1);
    expect(second.stderr().trim()).toBe(`error: port ${port} on 127.0.0.1 is in use; pass --port 0 for a free port, or another --port`);
  });
});
