import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, it } from "vitest";
import { killAllClis } from "../cli/testing/spawn-cli.js";
import { isRecording, recordFigures } from "./testing/figures.js";
import { checkKillOutcome } from "./testing/kill-figures.js";
import { runKillLoop, type KillLoopResources } from "./testing/kill-loop.js";

// SIGKILLs of `serve` mid-delivery on PostgreSQL (20 in the recorded run, 6 in npm test) (TEST_DATABASE_URL, a fresh schema): every
// event delivered, a repeat only under its first webhook-id.

const databaseUrl = process.env.TEST_DATABASE_URL;
// The recorded run (RELIABILITY.md) kills 20 times; npm test, 6: the same checks after every kill, in a third of the time.
const KILLS = isRecording() ? 20 : 6;
const resources: KillLoopResources = {};
let schema: string | undefined;

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await killAllClis();
  await resources.receiver?.close();
  await resources.em?.close();
  if (schema !== undefined) await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});

describe.skipIf(databaseUrl === undefined || databaseUrl === "")("SIGKILLs of serve mid-delivery on PostgreSQL", () => {
  it(`${KILLS} kills: 0 lost, repeats only under the same webhook-id`, { timeout: 240_000 }, async () => {
    schema = `icc_kills_${randomBytes(6).toString("hex")}`;
    const url = new URL(databaseUrl ?? "");
    url.searchParams.set("schema", schema);
    const outcome = await runKillLoop({ store: "postgres", env: { DATABASE_URL: url.href, CONNECTOR_SECRET_KEY: randomBytes(32).toString("hex") }, kills: KILLS, batch: 5 }, resources);
    const figures = checkKillOutcome(outcome);
    recordFigures("kills-postgres", "TEST_DATABASE_URL=postgres://… npm run test:reliability", figures);
  });
});
