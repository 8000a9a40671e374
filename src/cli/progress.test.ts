import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { progressFor } from "./export-command.js";

/** A stream that says it is (or is not) a terminal and keeps what is written to it. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  Object.assign(stream, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream, written: () => text };
}

describe("export progress", () => {
  it("draws a bar with the count on a terminal, growing the total when the count passes it", async () => {
    const { stream, written } = fakeStream(true);
    const progress = progressFor(stream);
    progress.start(300);
    progress.update(150);
    progress.update(320);
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toMatch(/leads .* 320\/320 \| 100%/);
  });

  it("writes nothing when the stream is not a terminal", async () => {
    const { stream, written } = fakeStream(false);
    const progress = progressFor(stream);
    progress.start(10);
    progress.update(10);
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe("");
  });
});
