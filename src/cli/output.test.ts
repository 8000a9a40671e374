import { Writable } from "node:stream";
import { CommanderError } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { exitCodeOf, flushed, OutputError, writeFully } from "./output.js";

/** A stream that takes each chunk `delayMs` after it is written (a pipe with a slow reader), or fails with `code`. */
function slowStream(delayMs: number, code?: string): { stream: Writable; taken: string[] } {
  const taken: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      setTimeout(() => {
        if (code !== undefined) return callback(Object.assign(new Error(`write ${code}`), { code }));
        taken.push(chunk.toString("utf8"));
        callback();
      }, delayMs);
    },
  });
  stream.on("error", () => undefined);
  return { stream, taken };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("writeFully", () => {
  it("resolves only once the stream has taken the text", async () => {
    const { stream, taken } = slowStream(100);
    let done = false;
    const written = writeFully(stream, "x".repeat(100_000)).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(done).toBe(false);
    await written;
    expect(taken.join("")).toHaveLength(100_000);
  });

  it("rejects with an OutputError that says whether the reader went away", async () => {
    const gone = await writeFully(slowStream(1, "EPIPE").stream, "x").catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(OutputError);
    expect((gone as OutputError).readerGone).toBe(true);
    const broken = await writeFully(slowStream(1, "EIO").stream, "x").catch((error: unknown) => error);
    expect(broken).toBeInstanceOf(OutputError);
    expect((broken as OutputError).readerGone).toBe(false);
    expect((broken as OutputError).message).toBe("cannot write the output: write EIO");
  });
});

describe("flushed", () => {
  it("resolves after what was written before, even without a callback", async () => {
    const { stream, taken } = slowStream(50);
    stream.write("first");
    stream.write("second");
    await flushed(stream);
    expect(taken).toEqual(["first", "second", ""]);
  });

  it("resolves at once for a stream that can no longer be written", async () => {
    const { stream } = slowStream(10_000);
    stream.destroy();
    await flushed(stream);
  });
});

describe("exitCodeOf", () => {
  it("maps a reported error to its code, a gone reader to 0 quietly, anything else to 1 with one line", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(exitCodeOf(new CommanderError(2, "intercom-connector.usage", "(reported)"))).toBe(2);
    expect(exitCodeOf(new OutputError(Object.assign(new Error("write EPIPE"), { code: "EPIPE" })))).toBe(0);
    expect(write).not.toHaveBeenCalled();
    expect(exitCodeOf(new Error("the store is\nlocked"))).toBe(1);
    expect(write.mock.calls.map(([text]) => text)).toEqual(["error: the store is locked\n"]);
  });
});
