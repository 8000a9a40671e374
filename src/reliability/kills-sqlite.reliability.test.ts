import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { killAllClis } from "../cli/testing/spawn-cli.js";
import { isRecording, recordFigures } from "./testing/figures.js";
import { checkKillOutcome } from "./testing/kill-figures.js";
import { runKillLoop, type KillLoopResources } from "./testing/kill-loop.js";

// SIGKILLs of `serve` mid-delivery on one SQLite file (20 in the recorded run, 6 in npm test): every event delivered, a repeat only
// under its first webhook-id, and the file intact (`PRAGMA integrity_check`).

// The recorded run (RELIABILITY.md) kills 20 times; npm test, 6: the same checks after every kill, in a third of the time.
const KILLS = isRecording() ? 20 : 6;
const resources: KillLoopResources = {};
let dir: string | undefined;

afterAll(async () => {
  await killAllClis();
  await resources.receiver?.close();
  await resources.em?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("SIGKILLs of serve mid-delivery on SQLite", () => {
  it(`${KILLS} kills: 0 lost, repeats only under the same webhook-id, integrity_check ok`, { timeout: 240_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), "reliability-kills-"));
    const file = join(dir, "connector.db");
    const outcome = await runKillLoop({ store: "sqlite", env: { DATABASE_URL: file, CONNECTOR_SECRET_KEY: randomBytes(32).toString("hex") }, kills: KILLS, batch: 5 }, resources);
    const figures = checkKillOutcome(outcome);
    const db = new Database(file, { readonly: true });
    let integrity: string;
    try {
      integrity = (db.pragma("integrity_check") as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join("; ");
    } finally {
      db.close();
    }
    expect(integrity).toBe("ok");
    recordFigures("kills-sqlite", "npm run test:reliability", { ...figures, integrityCheck: integrity });
  });
});
