import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSecretKey, SECRET_KEY_FILE } from "./crypto.js";
import { openStore } from "./open.js";

const secretKey = randomBytes(32);
let dir: string;
let umask: number;
beforeEach(async () => {
  // The usual umask, under which SQLite and Node would create 0644 files: what the store must narrow.
  umask = process.umask(0o022);
  dir = await mkdtemp(join(tmpdir(), "icc-modes-"));
  // A folder the service did not create, readable by everyone (a volume, an existing --state).
  await chmod(dir, 0o755);
});
afterEach(async () => {
  process.umask(umask);
  await rm(dir, { recursive: true, force: true });
});

async function modeOf(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

/** Opens the store, writes once (so the WAL holds something), and returns the three files' modes while it is open. */
async function modesWhileOpen(path: string): Promise<string[]> {
  const store = await openStore(path, { secretKey });
  try {
    await store.createConnection({ name: "m", region: "us", accessToken: "t" });
    return await Promise.all([path, `${path}-wal`, `${path}-shm`].map(modeOf));
  } finally {
    await store.close();
  }
}

describe.skipIf(process.platform === "win32")("files the store writes are the owner's only", () => {
  it("creates the database, its -wal and -shm 0600 in an existing world-readable folder", async () => {
    expect(await modesWhileOpen(join(dir, "connector.db"))).toEqual(["600", "600", "600"]);
  });

  it("narrows an existing database, -wal and -shm that were world-readable, and keeps their data", async () => {
    const path = join(dir, "old.db");
    // A database an earlier release left 0644, with its WAL files still there (never checkpointed).
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('here')");
    const copy = new Database(path, { readonly: true });
    copy.prepare("SELECT * FROM kept").all();
    for (const file of [path, `${path}-wal`, `${path}-shm`]) await chmod(file, 0o666);
    db.close();
    copy.close();
    await chmod(path, 0o644);
    expect(await modesWhileOpen(path)).toEqual(["600", "600", "600"]);
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare("SELECT v FROM kept").all()).toEqual([{ v: "here" }]);
    reopened.close();
  });

  it("creates the folders it makes 0700", async () => {
    const path = join(dir, "a", "b", "connector.db");
    await modesWhileOpen(path);
    expect(await modeOf(join(dir, "a"))).toBe("700");
    expect(await modeOf(join(dir, "a", "b"))).toBe("700");
    expect(await modeOf(path)).toBe("600");
  });

  it("narrows an existing key file that was world-readable", async () => {
    const path = join(dir, SECRET_KEY_FILE);
    await writeFile(path, `${secretKey.toString("base64")}\n`, { mode: 0o644 });
    expect(await modeOf(path)).toBe("644");
    expect(await loadSecretKey({ dataDir: dir })).toEqual({ key: secretKey, origin: "file", path });
    expect(await modeOf(path)).toBe("600");
  });
});
