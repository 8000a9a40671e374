import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// SIGTERM to the process a user started — `npm start`'s own pid, or the bin's — stops the service:
// nothing keeps listening behind it (npm's shell used to leave node running, orphaned).

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "dist", "cli", "main.js");

const started: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  // Whatever a failed test left: the whole process group (npm, and node under it).
  for (const child of started.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts a command in its own process group with a fresh store and no Intercom token; resolves with the port it listens on. */
function startService(command: string, args: string[]): Promise<{ child: ChildProcess; port: number; exited: Promise<number | null> }> {
  const dir = mkdtempSync(join(tmpdir(), "icc-stop-"));
  dirs.push(dir);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", DATABASE_URL: join(dir, "connector.db") };
  delete env.INTERCOM_ACCESS_TOKEN;
  delete env.CONNECTOR_SECRET_KEY;
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no listening line within 30 s: ${out}`)), 30_000);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /service listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), exited });
      }
    });
    child.stderr?.resume();
    child.on("exit", () => reject(new Error(`exited before listening: ${out}`)));
  });
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function closedWithin(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!(await listening(port))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe("SIGTERM to the process the user started", () => {
  it("runs the built bin (npm ci builds it; else npm run build)", () => {
    expect(existsSync(BIN), BIN).toBe(true);
  });

  it("stops `npm start`: the service behind it closes its port", async () => {
    const { child, port, exited } = await startService("npm", ["start", "--silent"]);
    expect(await listening(port)).toBe(true);
    child.kill("SIGTERM");
    await exited;
    expect(await closedWithin(port, 10_000)).toBe(true);
  });

  it("stops the bin, exit code 0", async () => {
    const { child, port, exited } = await startService(process.execPath, [BIN, "serve"]);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await listening(port)).toBe(false);
  });
});
