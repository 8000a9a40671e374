import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "../contract/index.js";
import { startServiceHarness, type ServiceHarness } from "../server/testing/harness.js";
import { badInputTargets, knownBadRequests, validBodyOf, type BadRequest } from "./testing/bad-inputs.js";
import { recordFigures } from "./testing/figures.js";

// Property: every bad input to every route that takes one, sent over a real socket to a running
// service, is answered 400 invalid_input in the one error shape naming the field at fault, and
// costs nothing: no Intercom call (the emulator counts them), no unit of the connection's budget.

/** Generated bad inputs per route (13 routes: 1,560 a run). */
const RUNS_PER_ROUTE = 120;
/** A budget small enough that one unit spent shows: exactly this many real calls must pass after the run. */
const BUDGET = 3;

/** Each route's inputs go through a connection of their own, so that one route's failure (a spent budget) does not hide another's. */
const keys = new Map<string, string>();

let h: ServiceHarness;
let base: string;
const tried = new Map<string, number>();
const byMutation = new Map<string, number>();
let answered4xx = 0;
let intercomCallsDuringRun = 0;

beforeAll(async () => {
  h = await startServiceHarness({ callsPerMinute: BUDGET });
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await h?.close();
});

/** What is wrong with the answer to one bad request (null when it is right). */
function problemOf(request: BadRequest, status: number, text: string, calls: number): string | null {
  const where = `${request.target} (${request.mutation}) ${request.method} ${request.url.slice(0, 200)} ${request.body?.slice(0, 200) ?? ""} → ${status} ${text.slice(0, 300)}`;
  if (calls !== 0) return `${where}: made ${calls} Intercom call(s)`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${where}: not JSON`;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } }).error;
  if (typeof body !== "object" || body === null || Object.keys(body).join() !== "error" || typeof error !== "object" || error === null) return `${where}: not the one error shape`;
  if (typeof error.code !== "string" || !Object.hasOwn(ERROR_CODES, error.code)) return `${where}: unregistered code`;
  if (ERROR_CODES[error.code as ErrorCode].status !== status) return `${where}: answered at another status than the code's`;
  if (status !== 400 || error.code !== "invalid_input") return `${where}: not 400 invalid_input`;
  if (typeof error.message !== "string" || error.message === "") return `${where}: no message`;
  if (typeof error.field !== "string" || !request.fields.includes(error.field)) return `${where}: names ${String(error.field)}, not ${request.fields.join(" or ")}`;
  return null;
}

async function keyOf(target: string): Promise<string> {
  const known = keys.get(target);
  if (known !== undefined) return known;
  const { apiKey } = await h.newConnection();
  keys.set(target, apiKey);
  return apiKey;
}

async function send(request: BadRequest): Promise<string | null> {
  const key = await keyOf(request.target);
  const before = await h.intercomCalls();
  const response = await fetch(base + request.url, {
    method: request.method,
    headers: { "x-api-key": key, ...(request.body === undefined ? {} : { "content-type": "application/json" }) },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  const calls = (await h.intercomCalls()) - before;
  intercomCallsDuringRun += calls;
  tried.set(request.target, (tried.get(request.target) ?? 0) + 1);
  byMutation.set(request.mutation, (byMutation.get(request.mutation) ?? 0) + 1);
  if (response.status >= 400 && response.status < 500) answered4xx += 1;
  return problemOf(request, response.status, text, calls);
}

describe("bad inputs over a real socket", { timeout: 180_000 }, () => {
  it("the generator breaks valid inputs: each route's base input passes its own schema", () => {
    for (const { route } of badInputTargets()) {
      if (route.body === undefined) continue;
      expect(route.body.safeParse(validBodyOf(route)).success, route.operationId).toBe(true);
    }
  });

  for (const { route, requests } of badInputTargets()) {
    const known = knownBadRequests(route.operationId);
    it(`${route.operationId}: ${RUNS_PER_ROUTE} bad inputs (the issue's ${known.length} among them) answer 400 invalid_input naming the field, with no Intercom call`, async () => {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const problem = await send(request);
          if (problem !== null) throw new Error(problem);
        }),
        // The issue's cases first, on every run; then generated ones up to the count.
        { numRuns: RUNS_PER_ROUTE, examples: known.map((request): [BadRequest] => [request]) },
      );
    });
  }

  it("spent no budget and kept nothing: on each route's connection exactly the budget's calls pass afterwards, the next is 429", async () => {
    expect(await h.store.listSubscriptions()).toEqual([]);
    const lead = await h.createLeadInIntercom("after-the-run@example.com");
    const statuses: Record<string, number[]> = {};
    for (const [target, key] of keys) {
      const answered: number[] = (statuses[target] = []);
      for (let i = 0; i <= BUDGET; i++) {
        const response = await fetch(`${base}/v1/actions/GetLead`, {
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: JSON.stringify({ contact_id: lead }),
        });
        await response.arrayBuffer();
        answered.push(response.status);
      }
    }
    const expected = [...Array<number>(BUDGET).fill(200), 429];
    expect(statuses).toEqual(Object.fromEntries([...keys.keys()].map((target) => [target, expected])));

    const total = [...tried.values()].reduce((a, b) => a + b, 0);
    const knownCount = badInputTargets().reduce((sum, { route }) => sum + knownBadRequests(route.operationId).length, 0);
    // fast-check counts the examples among the runs.
    expect(total).toBe(badInputTargets().length * RUNS_PER_ROUTE);
    expect(answered4xx).toBe(total);
    expect(intercomCallsDuringRun).toBe(0);
    recordFigures("inputs", "npm run test:reliability", {
      tried: total,
      answered4xx,
      intercomCalls: intercomCallsDuringRun,
      budgetSpent: 0,
      issueCases: knownCount,
      byRoute: Object.fromEntries(tried),
      byMutation: Object.fromEntries(byMutation),
    });
  });
});
