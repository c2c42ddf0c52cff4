// The recommendation worker's wake-up channel in PostgreSQL (lib/background/worker-signal.ts decides
// when to use it). With the worker in its own process (WORKER_MODE=process, scripts/worker.ts) a
// nudge is a PostgreSQL NOTIFY on CHANNEL, sent after the job's transaction committed, from one
// connection of its own (never one of the request pool), coalesced: while one NOTIFY is on its way,
// further nudges make one more, and NOTIFYs are at least WAKE_GAP_MS apart (a burst of ingests makes
// one at once and one trailing, not one each: at 300 requests/s each NOTIFY was a statement of its own).
import "server-only";
import pg from "pg";
import { setting } from "@/lib/env";

export const CHANNEL = "pib_recommendation_job";

/** The least time between two NOTIFYs from one process; the worker gathers wake-ups for 25 ms anyway. */
export const WAKE_GAP_MS = 50;

type Sender = {
  client: pg.Client | null;
  connecting: Promise<pg.Client> | null;
  sending: boolean;
  again: boolean;
  /** When the last NOTIFY was sent (ms since the epoch); 0: never. */
  sentAt: number;
  /** The trailing NOTIFY of a burst, waiting for WAKE_GAP_MS to pass. */
  trailing: NodeJS.Timeout | null;
};

const state = globalThis as unknown as { pibWakeSender?: Sender };

async function senderClient(s: Sender): Promise<pg.Client> {
  if (s.client) return s.client;
  s.connecting ??= (async () => {
    const client = new pg.Client({ connectionString: setting("DATABASE_URL"), connectionTimeoutMillis: 5_000 });
    // A dropped connection (restart, failover) is replaced on the next nudge.
    const forget = () => {
      if (s.client === client) s.client = null;
    };
    client.on("error", forget);
    client.on("end", forget);
    try {
      await client.connect();
    } catch (error) {
      s.connecting = null;
      throw error;
    }
    s.client = client;
    s.connecting = null;
    return client;
  })();
  return s.connecting;
}

/** One NOTIFY to the worker process (coalesced); a failure is dropped: the poll finds the job anyway. */
export function notifyWorkerProcess(): void {
  const s = (state.pibWakeSender ??= {
    client: null,
    connecting: null,
    sending: false,
    again: false,
    sentAt: 0,
    trailing: null,
  });
  if (s.sending) {
    s.again = true;
    return;
  }
  if (s.trailing) return;
  const wait = s.sentAt + WAKE_GAP_MS - Date.now();
  if (wait > 0) {
    s.trailing = setTimeout(() => {
      s.trailing = null;
      notifyWorkerProcess();
    }, wait);
    s.trailing.unref();
    return;
  }
  s.sending = true;
  s.sentAt = Date.now();
  void senderClient(s)
    .then((client) => client.query(`select pg_notify('${CHANNEL}', '')`))
    // A lost nudge costs at most one poll interval: nothing to report per request.
    .catch(() => undefined)
    .finally(() => {
      s.sending = false;
      if (s.again) {
        s.again = false;
        notifyWorkerProcess();
      }
    });
}

/**
 * The worker process's side: LISTEN on CHANNEL over a connection of its own, calling `onWake` for
 * every notification; reconnects (with a short backoff) when the connection drops. Returns a stop.
 */
export function listenForWakes(
  onWake: () => void,
  log: { warn: (msg: string, fields?: Record<string, unknown>) => void },
): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (delayMs: number): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: setting("DATABASE_URL"), connectionTimeoutMillis: 5_000 });
    let lost = false;
    const again = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (client === c) client = null;
      void c.end().catch(() => undefined);
      if (stopped) return;
      if (error) log.warn("recommendation worker lost its wake-up connection; the poll continues meanwhile", { error });
      const next = Math.min(30_000, Math.max(500, delayMs * 2));
      retry = setTimeout(() => void connect(next), next);
      retry.unref();
    };
    c.on("error", again);
    c.on("end", () => again());
    c.on("notification", (n) => {
      if (n.channel === CHANNEL) onWake();
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
      client = c;
      if (stopped) await c.end().catch(() => undefined);
      // Jobs enqueued while not listening: look once now.
      else onWake();
    } catch (error) {
      again(error);
    }
  };
  void connect(0);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
