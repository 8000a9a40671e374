import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own servers on OS-assigned ports; files run in parallel processes.
    pool: "forks",
    // Two at a time even on 2 cores (vitest's default is cores - 1, so one): most files wait on
    // sockets and child processes, not on the CPU (the whole suite: 706 s alone, 500 s in pairs).
    maxWorkers: 2,
  },
});
