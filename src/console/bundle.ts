import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The console's front-end sources (Preact and uPlot, TypeScript and CSS). */
const ENTRY = fileURLToPath(new URL("./web/main.tsx", import.meta.url));

/**
 * Bundles the web console into `outdir`: `console.js` (Preact, uPlot and the pages, one ES
 * module) and `console.css`, minified, with nothing left to fetch at run time. `npm run build`
 * writes them into `dist/console/`, where `serve` reads them; tests bundle into a folder of
 * their own.
 *
 * @example
 * await bundleConsole("dist/console"); // ["dist/console/console.js", "dist/console/console.css"]
 */
export async function bundleConsole(outdir: string, options: { minify?: boolean } = {}): Promise<string[]> {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { console: ENTRY },
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: options.minify ?? true,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
  });
  return Object.keys(result.metafile.outputs);
}

// `node --import tsx src/console/bundle.ts [outdir]` (npm run build) bundles into dist/console.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outdir = process.argv[2] ?? fileURLToPath(new URL("../../dist/console/", import.meta.url));
  const written = await bundleConsole(outdir);
  console.log(`console bundled: ${written.join(", ")}`);
}
