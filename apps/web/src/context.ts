// What every view gets: the connection, the config, and one way to run an action with progress
// and a readable error.

import type { GridShare } from "@gridshare/client";
import type { AppConfig } from "./config";

export interface Ctx {
  config: AppConfig;
  /** Signing when a wallet is connected, read-only otherwise. */
  gs: GridShare;
  notify(message: string, kind?: "info" | "ok" | "error"): void;
  /** Runs `action` with `label` shown as progress; errors become a readable notice (and `undefined`). */
  run<T>(label: string, action: () => Promise<T>): Promise<T | undefined>;
}

/** A view draws into `root` and returns what stops its timers and subscriptions. */
export type View = (ctx: Ctx, root: HTMLElement) => () => void;
