import { startTestEmulator, type TestEmulator } from "../../emulator/testing/harness.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "../../server/webhooks/testing/receiver.js";
import { callServe, sleep, startServe, type ServeProcess } from "./serve.js";

/** What a run of {@link runKillLoop} saw. */
export interface KillLoopOutcome {
  store: string;
  kills: number;
  /** Kills that landed while a batch was part-delivered (some of its events in, some not). */
  killsMidDelivery: number;
  leads: string[];
  /** Lead id → the `webhook-id`s it arrived under (2xx answers only). */
  webhookIdsByLead: Map<string, Set<string>>;
  /** `webhook-id` → the lead ids it carried. */
  leadsByWebhookId: Map<string, Set<string>>;
  /** 2xx deliveries beyond one per lead. */
  repeats: number;
  /** The subscription's outbox counts at the end (`GET /v1/subscriptions/{id}`). */
  events: { pending: number; delivered: number; dead: number };
  /** Every restart's time from the kill to the first delivery of the next process, in ms. */
  restartMs: number[];
}

/** How a kill loop runs. */
export interface KillLoopOptions {
  /** `sqlite` or `postgres`, for the figures. */
  store: string;
  /** The store's settings (`DATABASE_URL`, `CONNECTOR_SECRET_KEY`, …). */
  env: Record<string, string>;
  kills: number;
  /** Leads created before each kill. */
  batch: number;
}

/** Everything a loop started, for the test's afterAll to stop (`killAllClis` stops the processes). */
export interface KillLoopResources {
  em?: TestEmulator;
  receiver?: StandardWebhookReceiver;
}

/**
 * SIGKILLs `serve` mid-delivery, again and again: a webhook subscription on `TrigNewLead` (its
 * receiver answers each delivery after 100 ms, so a batch takes a while to go out), then for each
 * round a batch of new leads in the emulator, a kill as soon as the first of them has been
 * answered 2xx, and a restart on the same store. After the last kill, a last process delivers
 * what is left and stops on SIGTERM.
 *
 * @example
 * const outcome = await runKillLoop({ store: "sqlite", env: { DATABASE_URL: file, CONNECTOR_SECRET_KEY: key }, kills: 20, batch: 5 }, resources);
 */
export async function runKillLoop(options: KillLoopOptions, resources: KillLoopResources): Promise<KillLoopOutcome> {
  const em = (resources.em = await startTestEmulator({ workspaces: [{ token: `kills-${options.store}`, timezone: "UTC", rateLimitPerMinute: 1_000_000 }] }));
  const receiver = (resources.receiver = await startStandardWebhookReceiver());
  receiver.answer = () => ({ status: 200, delayMs: 100 });
  const env = {
    // Short leases: a killed process's claims pass to the next one a second later.
    WORKER_LEASE_SECONDS: "1",
    WEBHOOK_TIMEOUT_SECONDS: "0.5",
    ...options.env,
  };
  const start = (): Promise<ServeProcess> => startServe({ baseUrl: em.baseUrl, token: em.token, env });

  let serve = await start();
  const created = await callServe(serve.url, "POST", "/v1/triggers/TrigNewLead/subscriptions", { callback_url: receiver.url });
  if (created.status !== 201) throw new Error(`subscribing answered ${created.status}: ${JSON.stringify(created.body)}`);
  const subscription = created.body as { id: string; secret: string };
  receiver.secret = subscription.secret;

  const leads: string[] = [];
  const delivered = (ids: readonly string[]): number => {
    const wanted = new Set(ids);
    return new Set(receiver.accepted().map((d) => d.payload.id as string).filter((id) => wanted.has(id))).size;
  };
  let killsMidDelivery = 0;
  const restartMs: number[] = [];
  for (let round = 0; round < options.kills; round++) {
    const batch = Array.from({ length: options.batch }, (_, i) => em.workspace.insertContact({ role: "lead", email: `kill${round}-${i}@example.com` }).id);
    leads.push(...batch);
    await waitUntil(() => delivered(batch) > 0, `round ${round}: a first delivery`, 60_000);
    serve.cli.child.kill("SIGKILL");
    const killedAt = Date.now();
    if (delivered(batch) < batch.length) killsMidDelivery += 1;
    await serve.cli.exited;
    const before = receiver.received.length;
    serve = await start();
    void waitUntil(() => receiver.received.length > before, "a delivery after the restart", 60_000).then(
      () => restartMs.push(Date.now() - killedAt),
      () => undefined,
    );
  }
  await waitUntil(() => delivered(leads) === leads.length, "every lead delivered", 90_000);
  await sleep(2_000); // more polls and deliveries: a repeat would show now
  const shown = await callServe(serve.url, "GET", `/v1/subscriptions/${subscription.id}`);
  const events = (shown.body as { events: KillLoopOutcome["events"] }).events;
  serve.cli.child.kill("SIGTERM");
  await serve.cli.exited;

  const webhookIdsByLead = new Map<string, Set<string>>();
  const leadsByWebhookId = new Map<string, Set<string>>();
  for (const d of receiver.accepted()) {
    const lead = d.payload.id as string;
    webhookIdsByLead.set(lead, (webhookIdsByLead.get(lead) ?? new Set()).add(d.id));
    leadsByWebhookId.set(d.id, (leadsByWebhookId.get(d.id) ?? new Set()).add(lead));
  }
  return {
    store: options.store,
    kills: options.kills,
    killsMidDelivery,
    leads,
    webhookIdsByLead,
    leadsByWebhookId,
    repeats: receiver.accepted().length - webhookIdsByLead.size,
    events,
    restartMs,
  };
}
