import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine } from "../../../bench/machine.js";

/** The repository root. */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Where the suite's figures go, one JSON file per section, for `bench/reliability-report.ts` to
 * turn into RELIABILITY.md (so no figure there is typed by hand).
 */
export const FIGURES_DIR = join(ROOT, "reliability");

/** The variable that makes a run record its figures (`npm run test:reliability` sets it; `npm test` does not, so CI leaves the tree clean). */
export const RECORD_VARIABLE = "RELIABILITY_RECORD";

/**
 * Whether this run records its figures (`npm run test:reliability`): the figures' runs repeat
 * their scenario as often as RELIABILITY.md says; `npm test` runs each scenario fewer times.
 *
 * @example
 * const kills = isRecording() ? 20 : 6;
 */
export function isRecording(): boolean {
  return process.env[RECORD_VARIABLE] === "1";
}

/** One section's figures as written to `reliability/<section>.json`. */
export interface FigureFile<T = unknown> {
  section: string;
  /** The command that reproduces the figures. */
  command: string;
  /** When they were measured (ISO 8601). */
  date: string;
  machine: string;
  figures: T;
}

/**
 * Writes a section's figures when the run records (`RELIABILITY_RECORD=1`); otherwise does nothing.
 *
 * @example
 * recordFigures("inputs", "npm run test:reliability", { tried: 1400, answered4xx: 1400 });
 */
export function recordFigures<T>(section: string, command: string, figures: T): void {
  if (process.env[RECORD_VARIABLE] !== "1") return;
  const file: FigureFile<T> = { section, command, date: new Date().toISOString(), machine: describeMachine(), figures };
  writeFigureFile(file);
}

/**
 * Writes a section's figure file whatever the environment (the soak, run on purpose, always records).
 *
 * @example
 * writeFigureFile({ section: "soak", command: "npm run soak", date, machine, figures });
 */
export function writeFigureFile(file: FigureFile): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${file.section}.json`), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Every recorded section, by name.
 *
 * @example
 * readFigureFiles().inputs?.figures;
 */
export function readFigureFiles(): Record<string, FigureFile> {
  const files: Record<string, FigureFile> = {};
  let names: string[] = [];
  try {
    names = readdirSync(FIGURES_DIR).filter((name) => name.endsWith(".json"));
  } catch {
    return files;
  }
  for (const name of names) {
    const file = JSON.parse(readFileSync(join(FIGURES_DIR, name), "utf8")) as FigureFile;
    files[file.section] = file;
  }
  return files;
}
