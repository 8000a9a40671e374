import type { IntercomTransport } from "../intercom/index.js";

/**
 * Wraps a transport to count the Intercom calls made through it (each method is one call; the
 * transport's own retries are not counted).
 *
 * @example
 * const counted = countCalls(intercom);
 * await counted.transport.getContact("1");
 * counted.calls(); // 1
 */
export function countCalls(intercom: IntercomTransport): { transport: IntercomTransport; calls: () => number } {
  let calls = 0;
  const transport = new Proxy(intercom, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { transport, calls: () => calls };
}
