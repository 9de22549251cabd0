// A CometBFT event subscription over the RPC websocket. Written here rather than taken from CosmJS:
// CosmJS's reconnecting socket schedules a reconnect even after `disconnect()`, so a finished
// follower would keep a process (or a browser tab) reconnecting forever. This one connects once,
// reports when it drops, and is gone when closed; the caller's polling covers the gaps.

import WebSocket from "isomorphic-ws";

export interface EventSubscription {
  close(): void;
}

export interface SubscribeOptions {
  /** Each event matching the query (its JSON-RPC `result`). */
  onEvent: (result: unknown) => void;
  /** The socket closed or failed after the subscription was confirmed. */
  onDrop: (reason: string) => void;
  /** Give up connecting and subscribing after this long. Default 5 s. */
  timeoutMs?: number;
}

const SUBSCRIBE_ID = "gridshare-subscribe";

interface RpcMessage {
  id?: unknown;
  result?: { query?: string } & Record<string, unknown>;
  error?: { message?: string; data?: string };
}

/** Opens `url` (e.g. `ws://127.0.0.1:26657/websocket`) and subscribes to `query`. */
export function subscribe(url: string, query: string, options: SubscribeOptions): Promise<EventSubscription> {
  return new Promise((resolve, reject) => {
    let confirmed = false;
    let closed = false;
    const socket = new WebSocket(url);
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      try {
        socket.close(1000);
      } catch {
        // Closing a socket that never opened: nothing to release.
      }
    };
    const fail = (reason: string) => {
      if (closed) return;
      close();
      if (confirmed) options.onDrop(reason);
      else reject(new Error(`subscribing at ${url}: ${reason}`));
    };
    const timer = setTimeout(() => fail(`no confirmation within ${options.timeoutMs ?? 5_000} ms`), options.timeoutMs ?? 5_000);

    socket.onopen = () => {
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: SUBSCRIBE_ID, method: "subscribe", params: { query } }));
    };
    socket.onerror = (event: { message?: string }) => fail(event.message || "websocket error");
    socket.onclose = (event: { code: number; reason: string }) => fail(`closed (${event.code}${event.reason ? `: ${event.reason}` : ""})`);
    socket.onmessage = (event: { data: unknown }) => {
      let message: RpcMessage;
      try {
        message = JSON.parse(String(event.data)) as RpcMessage;
      } catch {
        return; // Not JSON-RPC: not ours to interpret.
      }
      if (message.error) {
        fail(message.error.data || message.error.message || "subscription refused");
        return;
      }
      if (!message.result) return;
      if (message.result.query === undefined) {
        // The empty result that confirms the subscription.
        if (!confirmed) {
          confirmed = true;
          clearTimeout(timer);
          resolve({ close });
        }
        return;
      }
      options.onEvent(message.result);
    };
  });
}
