// Following an order to its result. Chain events over the RPC websocket make a UI react within a
// block; polling runs underneath because a websocket can drop, a proxy can refuse it, and some state
// changes (expiry) happen without a transaction to announce them.

import type { GridShare } from "./client.js";
import { FollowTimeoutError } from "./errors.js";
import type { LeaseResponse, OrderResponse } from "./generated/Marketplace.types.js";
import { collect } from "./pagination.js";
import { type EventSubscription, subscribe } from "./subscription.js";

export interface OrderSnapshot {
  order: OrderResponse;
  leases: LeaseResponse[];
}

export interface OrderUpdate extends OrderSnapshot {
  /** What prompted this read: the first read, a marketplace transaction event, or the poll timer. */
  source: "initial" | "event" | "poll";
  /**
   * Leases that are new, changed state (`active` → `committed` → `revealed` → a final state) or
   * were disputed since the previous update.
   */
  changed: LeaseResponse[];
  /** The order's status or `closed` flag changed since the previous update. */
  statusChanged: boolean;
}

export interface FollowOptions {
  /** Stop when this holds. Default: the order is closed (every lease final, the rest refunded). */
  until?: (snapshot: OrderSnapshot) => boolean;
  /** Give up with `FollowTimeoutError` after this long. Default 300 s. */
  timeoutMs?: number;
  /** Polling interval. Default 3 s. */
  pollMs?: number;
  /** `false`: poll only. A string: the websocket URL (default: the RPC URL's `/websocket`). */
  websocket?: boolean | string;
  /** Called with every read that changed something (and the first). */
  onUpdate?: (update: OrderUpdate) => void;
  /** Aborting stops following; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface FollowResult extends OrderSnapshot {
  /** Marketplace transactions the websocket reported while following. */
  eventsSeen: number;
  /**
   * How the websocket fared: used; failed or dropped (polling carried on alone); still connecting
   * when the order finished; or not asked for.
   */
  websocket: "connected" | "failed" | "connecting" | "off";
}

/** The websocket endpoint CometBFT serves next to its RPC. */
export function websocketUrl(rpcUrl: string): string {
  const url = new URL(rpcUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = url.pathname.replace(/\/?$/, "/websocket");
  return url.toString();
}

/** One read of the order and all its leases. */
export async function orderSnapshot(gs: GridShare, orderId: number): Promise<OrderSnapshot> {
  const [order, leases] = await Promise.all([
    gs.query.marketplace.order({ orderId }),
    collect(
      async (startAfter: number | undefined, limit) =>
        (await gs.query.marketplace.leasesByOrder({ orderId, startAfter, limit })).leases,
      (l) => l.lease_id,
    ),
  ]);
  return { order, leases };
}

/** Follows `orderId` until `until` holds (default: closed), reporting each change. */
export function followOrder(gs: GridShare, orderId: number, options: FollowOptions = {}): Promise<FollowResult> {
  const until = options.until ?? ((s: OrderSnapshot) => s.order.closed);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const pollMs = options.pollMs ?? 3_000;
  const started = Date.now();

  return new Promise<FollowResult>((resolve, reject) => {
    let finished = false;
    let subscription: EventSubscription | undefined;
    let websocket: FollowResult["websocket"] = options.websocket === false ? "off" : "connecting";
    let eventsSeen = 0;
    let last: OrderSnapshot | undefined;
    // What a lease looked like at the previous read: its state, and whether it was disputed (a
    // dispute leaves a revealed lease revealed).
    const seen = new Map<number, string>();
    const look = (l: LeaseResponse) => (l.disputed ? `${l.state}, disputed` : l.state);
    let lastStatus = "";
    let reading: Promise<void> | undefined;
    let readAgain: OrderUpdate["source"] | undefined;

    const finish = (outcome: { result: FollowResult } | { error: unknown }) => {
      if (finished) return;
      finished = true;
      clearInterval(poller);
      clearTimeout(deadline);
      options.signal?.removeEventListener("abort", onAbort);
      subscription?.close();
      if ("result" in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };

    const readOnce = async (source: OrderUpdate["source"]) => {
      const snapshot = await orderSnapshot(gs, orderId);
      if (finished) return;
      last = snapshot;
      const changed = snapshot.leases.filter((l) => seen.get(l.lease_id) !== look(l));
      for (const l of changed) seen.set(l.lease_id, look(l));
      const status = `${snapshot.order.status}${snapshot.order.closed ? ", closed" : ""}`;
      const statusChanged = status !== lastStatus;
      lastStatus = status;
      if (source === "initial" || changed.length > 0 || statusChanged) {
        options.onUpdate?.({ ...snapshot, source, changed, statusChanged });
      }
      if (until(snapshot)) finish({ result: { ...snapshot, eventsSeen, websocket } });
    };

    // One read at a time; triggers that arrive meanwhile fold into one more read.
    const read = (source: OrderUpdate["source"]) => {
      if (finished) return;
      if (reading) {
        readAgain ??= source;
        return;
      }
      reading = readOnce(source)
        .catch((error: unknown) => finish({ error }))
        .finally(() => {
          reading = undefined;
          const next = readAgain;
          readAgain = undefined;
          if (next) read(next);
        });
    };

    const poller = setInterval(() => read("poll"), pollMs);
    const deadline = setTimeout(
      () => finish({ error: new FollowTimeoutError(orderId, Date.now() - started, lastStatus || "not read yet") }),
      timeoutMs,
    );
    const onAbort = () => finish({ error: options.signal?.reason ?? new Error("aborted") });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort);

    if (options.websocket !== false) {
      const url = typeof options.websocket === "string" ? options.websocket : websocketUrl(gs.rpcUrl);
      const onEvent = () => {
        eventsSeen += 1;
        read("event");
      };
      // A dropped socket leaves the poller in charge.
      const onDrop = () => {
        websocket = "failed";
      };
      const query = `tm.event='Tx' AND execute._contract_address='${gs.contracts.marketplace}'`;
      subscribe(url, query, { onEvent, onDrop })
        .then((opened) => {
          if (finished) {
            opened.close();
            return;
          }
          subscription = opened;
          websocket = "connected";
        })
        .catch(() => {
          websocket = "failed";
        });
    }
    read("initial");
  });
}
