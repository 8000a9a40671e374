import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/** Where Debian's chromium package puts the browser (`apt-get install chromium`); `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Flags for a machine with no network beyond loopback: no sandbox (CI runs as root), and none of
 * Chromium's background fetches (updates, sync, field trials, safe browsing), which would only
 * time out there.
 */
const CLOSED_NETWORK_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-default-apps",
  "--disable-sync",
  "--disable-domain-reliability",
  "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
  "--metrics-recording-only",
  "--safebrowsing-disable-auto-update",
];

/**
 * Launches Debian's Chromium headless through playwright-core (which downloads no browser of its
 * own). Throws, naming the package to install, when it is missing.
 *
 * @example
 * const browser = await launchChromium();
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CLOSED_NETWORK_FLAGS });
}

/** Where the browser tests write their screenshots (gitignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../../../.console-screenshots/", import.meta.url));

/**
 * Saves a full-page screenshot under {@link SCREENSHOT_DIR} as `<name>.png`.
 *
 * @example
 * await screenshot(page, "connections");
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** One accessibility violation axe-core found: its rule, impact and where. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is, and answers its violations. The
 * script is evaluated through the DevTools protocol, which the page's Content-Security-Policy
 * does not govern, so the page is checked with its real CSP.
 *
 * @example
 * expect(await axeViolations(page)).toEqual([]);
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const source = await axeSource;
  await page.evaluate(source);
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  return page.evaluate<AxeViolation[]>(`axe
    .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(" ")) })))`);
}

/**
 * The text of the element that has the keyboard focus, or `null`.
 *
 * @example
 * await page.keyboard.press("Tab");
 * await focusedText(page); // "Skip to the page"
 */
export async function focusedText(page: Page): Promise<string | null> {
  return page.evaluate<string | null>("document.activeElement === null ? null : document.activeElement.textContent");
}
