import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readFigureFiles, type FigureFile } from "../src/reliability/testing/figures.js";
import { ROOT } from "./processes.js";

// Writes RELIABILITY.md from the figures the reliability suite and the soak recorded in
// reliability/*.json (`npm run test:reliability`, `npm run soak`): no figure is typed by hand.

interface InputFigures {
  tried: number;
  answered4xx: number;
  intercomCalls: number;
  budgetSpent: number;
  /** The issue's own cases (a `..` id, a 900 KB callback URL, the SSRF gaps…), among those tried. */
  issueCases?: number;
  byRoute: Record<string, number>;
  byMutation: Record<string, number>;
}
interface FaultFigures {
  burst: number;
  pollIntervalSeconds: number;
  kinds: Array<{
    kind: string;
    faultedRequests: number;
    leads: number;
    webhookLost: number;
    webhookDuplicated: number;
    pollLost: number;
    pollDuplicated: number;
    webhookRecoveryMs: number;
    pollRecoveryMs: number;
    flowErrors: Record<string, number>;
  }>;
}
interface KillFigures {
  store: string;
  kills: number;
  killsMidDelivery: number;
  leads: number;
  lost: number;
  repeats: number;
  repeatsUnderAnotherId: number;
  events: { pending: number; delivered: number; dead: number };
  restartP50Ms: number | null;
  restartMaxMs: number | null;
  integrityCheck?: string;
}
interface SoakFigures {
  seconds: number;
  rate: number;
  achievedRate: number;
  requests: number;
  errors: number;
  webhookDeliveries: number;
  retention: Record<string, string>;
  pollIntervalSeconds: number;
  runner: string;
  samples: Array<{ atS: number; requests: number; errors: number; p50Ms: number | null; p99Ms: number | null; rssMiB: number | null; dbKiB: number | null; outboxRows: number | null; keyRows: number | null; keysKiB?: number | null; restKiB?: number | null }>;
  verdict: { steadyAfterS: number; tolerance: number; rssGrowth: number; dbGrowth: number; rssFlat: boolean; dbFlat: boolean; restGrowth?: number; restFlat?: boolean; bytesPerKey?: number | null };
}

const files = readFigureFiles();
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** A number as the tables show it; JSON keeps NaN (no sample) as null. */
const fixed = (value: number | null, digits: number): string => (value === null || Number.isNaN(value) ? "—" : value.toFixed(digits));
const signed = (fraction: number): string => `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)} %`;

function provenance(file: FigureFile): string {
  return `Reproduce: \`${file.command}\` · measured ${file.date.slice(0, 10)} on ${file.machine}.`;
}

function missing(section: string, command: string): string {
  return `Not recorded yet (${section}): run \`${command}\`.`;
}

function inputsSection(): string {
  const file = files.inputs as FigureFile<InputFigures> | undefined;
  if (file === undefined) return `## Bad inputs\n\n${missing("inputs", "npm run test:reliability")}`;
  const f = file.figures;
  const routes = Object.entries(f.byRoute).map(([route, n]) => `| ${route} | ${n} |`);
  const mutations = Object.entries(f.byMutation).sort(([a], [b]) => a.localeCompare(b)).map(([mutation, n]) => `| ${mutation} | ${n} |`);
  return [
    "## Bad inputs (fast-check properties over every route that takes an input)",
    "",
    `Each route's input is made from its own schema (its JSON Schema) with exactly one thing broken, and sent to a running service over a real socket${f.issueCases === undefined ? "" : `; ${f.issueCases} of them are issue 10's own cases (a \`..\` id, a 900 KB callback URL, control characters and credentials in it, 6to4, IPv4-translated and documentation-range hosts), sent on every run`}.` +
      " Expected: 400 `invalid_input` in the one error shape, naming the field; no Intercom call (the emulator's count); no unit of budget (afterwards exactly the budget's calls pass on each route's connection, the next is 429).",
    "",
    "| inputs tried | answered 4xx (each 400 `invalid_input` naming the field: figures are recorded only when all are) | Intercom calls | budget spent |",
    "|---:|---:|---:|---:|",
    `| ${f.tried} | ${pct(f.answered4xx, f.tried)} | ${f.intercomCalls} | ${f.budgetSpent} |`,
    "",
    "| route | inputs |",
    "|---|---:|",
    ...routes,
    "",
    "| what was broken | inputs |",
    "|---|---:|",
    ...mutations,
    "",
    provenance(file),
  ].join("\n");
}

function faultsSection(): string {
  const file = files.faults as FigureFile<FaultFigures> | undefined;
  if (file === undefined) return `## Intercom faults during a burst\n\n${missing("faults", "npm run test:reliability")}`;
  const f = file.figures;
  const rows = f.kinds.map((k) => {
    const errors = Object.entries(k.flowErrors).map(([status, n]) => `${n} × ${status === "0" ? "refused" : status}`).join(", ") || "none";
    return `| ${k.kind} | ${k.faultedRequests} | ${k.leads} | ${k.webhookLost} | ${k.webhookDuplicated} | ${seconds(k.webhookRecoveryMs)} | ${k.pollLost} | ${k.pollDuplicated} | ${seconds(k.pollRecoveryMs)} | ${errors} |`;
  });
  return [
    "## Intercom faults during a burst",
    "",
    `\`serve\` (a child process, SQLite, \`POLL_INTERVAL_SECONDS=${f.pollIntervalSeconds}\`) with a webhook subscription and a Power Automate polling flow on \`TrigNewLead\`; for each fault kind of the emulator, the next searches fail that way while ${f.burst} leads are created through the emulator's API. Recovery: from the last faulted request to the last lead delivered to that watcher. A hang costs the transport's 20 s attempt timeout.`,
    "",
    "| fault | faulted searches | leads | webhook lost | webhook duplicated | webhook recovery | flow lost | flow duplicated | flow recovery | flow's other answers |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
    provenance(file),
  ].join("\n");
}

function killsSection(): string {
  const stores = ["kills-sqlite", "kills-postgres"].map((name) => files[name] as FigureFile<KillFigures> | undefined);
  const rows = stores.flatMap((file) => {
    if (file === undefined) return [];
    const k = file.figures;
    return [
      `| ${k.store} | ${k.kills} | ${k.killsMidDelivery} | ${k.leads} | ${k.lost} | ${k.repeats} | ${k.repeatsUnderAnotherId} | ${k.events.pending} / ${k.events.delivered} / ${k.events.dead} | ${k.integrityCheck ?? "—"} | ${fixed(k.restartP50Ms === null ? null : k.restartP50Ms / 1000, 1)} s / ${fixed(k.restartMaxMs === null ? null : k.restartMaxMs / 1000, 1)} s |`,
    ];
  });
  const notes = stores.map((file, i) => (file === undefined ? missing(i === 0 ? "SQLite" : "PostgreSQL", i === 0 ? "npm run test:reliability" : "TEST_DATABASE_URL=postgres://… npm run test:reliability") : `${file.figures.store}: ${provenance(file)}`));
  return [
    "## SIGKILLs of `serve` mid-delivery",
    "",
    "A webhook subscription on `TrigNewLead` whose receiver answers each delivery after 100 ms; each round creates 5 leads, SIGKILLs `serve` as soon as the first is answered 2xx (so the next is in flight) and starts it again on the same store (`WORKER_LEASE_SECONDS=1`). Repeats are deliveries answered 2xx beyond one per lead; each must come under the lead's first `webhook-id`. Outbox: the subscription's `pending / delivered / dead` at the end.",
    "",
    "| store | kills | mid-delivery | leads | lost | repeats (same `webhook-id`) | under another `webhook-id` | outbox | `integrity_check` | kill → next delivery p50 / max |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ...rows,
    "",
    ...notes.map((note) => `${note}  `),
  ].join("\n");
}

function soakSection(): string {
  const file = files.soak as FigureFile<SoakFigures> | undefined;
  if (file === undefined) return `## Soak\n\n${missing("soak", "npm run soak")}`;
  const f = file.figures;
  const rows = f.samples.map((s) => `| ${s.atS} | ${s.requests} | ${s.errors} | ${fixed(s.p50Ms, 1)} | ${fixed(s.p99Ms, 1)} | ${fixed(s.rssMiB, 1)} | ${fixed(s.dbKiB, 0)} | ${fixed(s.outboxRows, 0)} | ${fixed(s.keyRows, 0)} | ${fixed(s.keysKiB ?? null, 0)} | ${fixed(s.restKiB ?? null, 0)} |`);
  const v = f.verdict;
  const verdict = (flat: boolean, growth: number): string => `${flat ? "flat" : "**not flat**"} (${signed(growth)})`;
  return [
    "## Soak",
    "",
    `\`serve\` (${f.runner}, SQLite, \`POLL_INTERVAL_SECONDS=${f.pollIntervalSeconds}\`, ${Object.entries(f.retention).map(([k, val]) => `\`${k}=${val}\``).join(", ")}) for ${f.seconds} s at ${f.rate} requests/s, open loop (achieved ${f.achievedRate.toFixed(1)}/s): 30 % Power Automate polls (four flows), 10 % CreateLead, 5 % CreateUser, 25 % GetLead, 15 % GetUser, 15 % ListLeads; a webhook subscription takes every new lead (${f.webhookDeliveries} deliveries). ${f.requests} requests, ${f.errors} answered other than 200/202. Sampled every 10 s; latency columns are over the 10 s before the sample.`,
    "",
    `Verdict, over the samples from ${v.steadyAfterS} s on (the last half's median against the half before's, so that a garbage-collection swing is not taken for growth; flat within ${(v.tolerance * 100).toFixed(0)} %): RSS ${verdict(v.rssFlat, v.rssGrowth)}; the database apart from its dedupe keys ${v.restFlat === undefined || v.restGrowth === undefined ? "—" : verdict(v.restFlat, v.restGrowth)}; the file with its WAL ${signed(v.dbGrowth)}. Dedupe keys (\`emitted_keys\`) are kept at least a day by design (\`RETENTION_DEDUPE_DAYS\` ≥ 1: a late push or a poll's look-back must still find them), so they grow through any run shorter than that${v.bytesPerKey === undefined || v.bytesPerKey === null ? "" : `, ${fixed(v.bytesPerKey, 0)} bytes each`}: the database levels off a day in.`,
    "",
    "| s | requests | not 200/202 | p50 ms | p99 ms | RSS MiB | db KiB (file + WAL) | outbox rows | dedupe key rows | dedupe keys KiB | the rest KiB |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    provenance(file),
  ].join("\n");
}

const markdown = [
  "# Reliability",
  "",
  "What a careless or hostile world does to the service, measured by the project's own suite (`src/reliability/`, files `*.reliability.test.ts`: `npm test` runs them in CI; `npm run test:reliability` runs only them and records these figures) and a soak (`npm run soak`, not in CI). Loopback only: the Intercom emulator, receivers and `serve` on ports the OS chose. This file is written by `bench/reliability-report.ts` from `reliability/*.json`; do not edit it by hand.",
  "",
  inputsSection(),
  "",
  faultsSection(),
  "",
  killsSection(),
  "",
  soakSection(),
  "",
].join("\n");
writeFileSync(join(ROOT, "RELIABILITY.md"), markdown);
console.log("RELIABILITY.md written");
