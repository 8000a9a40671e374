import type { Readable } from "node:stream";

/**
 * How {@link readSlowly} reads: nothing for `startAfterMs` (long enough for the CLI to fill the
 * pipe and be held up), then a pause of `chunkPauseMs` after every chunk, so the pipe keeps
 * filling up to the end.
 *
 * @example
 * readSlowly(cli.pipes.stdout, { startAfterMs: 300, chunkPauseMs: 20 } satisfies SlowReading);
 */
export interface SlowReading {
  startAfterMs?: number;
  chunkPauseMs?: number;
}

/**
 * Reads a paused stream slowly, as a slow consumer at the other end of a pipe would: the writer
 * outruns it and has to wait. The stream's own 'data' listeners still get every chunk.
 *
 * @example
 * const cli = spawnCliIntoPipes(["openapi"]);
 * readSlowly(cli.pipes.stdout);
 */
export function readSlowly(readable: Readable, reading: SlowReading = {}): void {
  const { startAfterMs = 300, chunkPauseMs = 20 } = reading;
  readable.pause();
  let timer = setTimeout(() => {
    readable.on("data", () => {
      readable.pause();
      timer = setTimeout(() => readable.resume(), chunkPauseMs);
    });
    readable.resume();
  }, startAfterMs);
  readable.once("close", () => clearTimeout(timer));
}

/**
 * Resolves with how much a paused stream holds once it holds something and has stopped taking
 * more for `quietMs`: its buffer is full, so the pipe behind it is full and the writer is held up.
 *
 * @example
 * await heldUp(cli.pipes.stdout);
 */
export async function heldUp(readable: Readable, quietMs = 300, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const now = Date.now();
    const length = readable.readableLength;
    if (length !== last) {
      last = length;
      since = now;
    } else if (length > 0 && now - since >= quietMs) {
      return length;
    }
    if (now > deadline) throw new Error(`the reader's buffer never filled (holds ${length} bytes)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
