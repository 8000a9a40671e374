import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where `npm run build` writes the console's bundle (`dist/console/`): the same folder whether
 * this module runs from `dist/server/console/` or, in tests, from `src/server/console/`.
 *
 * @example
 * DEFAULT_CONSOLE_ASSETS; // "/…/intercom-connector/dist/console"
 */
export const DEFAULT_CONSOLE_ASSETS = fileURLToPath(new URL("../../../dist/console/", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
};

/** One file of the bundle, read once at start. */
export interface ConsoleAsset {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * The bundle's files by name, read once (the set is fixed at build time, so a request can only
 * name one of them: no path is ever joined from a request). `null` when the folder holds no
 * bundle (`npm run build` not run): the page then says so.
 *
 * @example
 * const assets = await loadConsoleAssets(DEFAULT_CONSOLE_ASSETS);
 * assets?.get("console.js")?.type; // "text/javascript; charset=utf-8"
 */
export async function loadConsoleAssets(dir: string): Promise<ReadonlyMap<string, ConsoleAsset> | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return null;
    throw error;
  }
  const assets = new Map<string, ConsoleAsset>();
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (type !== undefined) assets.set(name, { body: await readFile(join(dir, name)), type });
  }
  return assets.has("console.js") ? assets : null;
}

/**
 * The console's one HTML page: the bundle's script and style, nothing inline (the page's
 * Content-Security-Policy allows only this origin's files).
 *
 * @example
 * reply.type("text/html").send(consolePage(true));
 */
export function consolePage(built: boolean): string {
  const body = built
    ? '<div id="app"><p>Loading the console…</p></div><script type="module" src="/console/assets/console.js"></script>'
    : "<main><h1>intercom-connector console</h1><p>The console is not built: run <code>npm run build</code>, then start the service again.</p></main>";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>intercom-connector console</title>
<link rel="icon" href="data:,">
${built ? '<link rel="stylesheet" href="/console/assets/console.css">' : ""}
</head>
<body>${body}</body>
</html>
`;
}

/**
 * The headers of every console answer: no framing, no sniffing, no referrer, and scripts,
 * styles and requests from this origin only (works offline: nothing is fetched elsewhere).
 *
 * @example
 * for (const [name, value] of Object.entries(CONSOLE_HEADERS)) reply.header(name, value);
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
});
