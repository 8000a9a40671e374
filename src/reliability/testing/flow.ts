import { callServe, locationPath, sleep } from "./serve.js";

/** One item a flow received, and when. */
export interface FlowItem {
  id: string;
  atMs: number;
}

/**
 * A Power Automate flow on a polling trigger, as the protocol in docs/service.md has it: the first
 * poll subscribes, every later one polls the last `Location` it got; a 200's items are taken and
 * its `Location` followed; any other answer (a 202, or an error while Intercom fails) leaves the
 * state as it was, to be polled again. It polls every `everyMs` until stopped.
 *
 * @example
 * const flow = await PollingFlow.start(() => serve.url, "TrigNewLead");
 * await flow.stop();
 * flow.items.map((item) => item.id);
 */
export class PollingFlow {
  readonly items: FlowItem[] = [];
  /** Answers other than 200 and 202, by status. */
  readonly errors = new Map<number, number>();
  private state: string;
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly baseUrl: () => string,
    first: string,
    private readonly everyMs: number,
  ) {
    this.state = first;
  }

  /** Subscribes (the first poll, which answers 202 and the first `Location`) and starts polling. */
  static async start(baseUrl: () => string, triggerId: string, everyMs = 200): Promise<PollingFlow> {
    const first = await callServe(baseUrl(), "GET", `/v1/triggers/${triggerId}/poll`);
    if (first.status !== 202) throw new Error(`the first poll answered ${first.status}: ${JSON.stringify(first.body)}`);
    const flow = new PollingFlow(baseUrl, locationPath(first.headers.get("location")), everyMs);
    flow.loop = flow.run();
    return flow;
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.pollOnce();
      await sleep(this.everyMs);
    }
  }

  /** One poll of the current state; a refused connection (the service restarting) counts as status 0. */
  async pollOnce(): Promise<void> {
    let answer;
    try {
      answer = await callServe(this.baseUrl(), "GET", this.state);
    } catch {
      this.errors.set(0, (this.errors.get(0) ?? 0) + 1);
      return;
    }
    if (answer.status === 200) {
      const atMs = Date.now();
      for (const item of answer.body as Array<{ id: string }>) this.items.push({ id: item.id, atMs });
      this.state = locationPath(answer.headers.get("location"));
    } else if (answer.status !== 202) {
      this.errors.set(answer.status, (this.errors.get(answer.status) ?? 0) + 1);
    }
  }

  /** Stops polling after the poll in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
