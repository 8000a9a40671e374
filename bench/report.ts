import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Replaces (or appends) one named section of BENCHMARKS.md, between HTML comment markers, so each
 * benchmark rewrites only its own figures.
 *
 * @example
 * writeSection("BENCHMARKS.md", "emulator", "## Emulator\n…");
 */
export function writeSection(file: string, name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nEach section is rewritten by the command it names.\n";
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
