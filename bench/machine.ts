import os from "node:os";

/**
 * One line describing the machine a benchmark ran on, for BENCHMARKS.md.
 *
 * @example
 * describeMachine(); // "Linux 6.1 x64, 2 × AMD EPYC …, 24 GiB RAM, Node v20.20.2"
 */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${model}, ${gib} GiB RAM, Node ${process.version}`;
}

/**
 * Percentile of a sample (nearest-rank).
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // 2
 */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}
