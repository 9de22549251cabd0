// The app shell: config, wallet bar, tabs, notices.

import { GridShare } from "@gridshare/client";
import { loadConfig, type AppConfig } from "./config";
import type { Ctx, View } from "./context";
import { h } from "./dom";
import { errorMessage, short } from "./format";
import { governanceView } from "./views/governance";
import { marketView } from "./views/market";
import { providerView } from "./views/provider";
import { renterView } from "./views/renter";
import { devSigner, hasKeplr, keplrSigner } from "./wallet";
import "./style.css";

const VIEWS: Record<string, [string, View]> = {
  market: ["Market", marketView],
  renter: ["Renter", renterView],
  provider: ["Provider", providerView],
  governance: ["Governance", governanceView],
};

let config: AppConfig;
let gs: GridShare;
let stopView: (() => void) | undefined;

const notice = document.getElementById("notice") as HTMLElement;
const view = document.getElementById("view") as HTMLElement;

// The latest few messages stay visible, newest first: a quick sequence of updates (posted,
// matched, accepted) must not wipe out the one a person was reading.
function notify(message: string, kind: "info" | "ok" | "error" = "info") {
  const item = h("div", { class: `notice ${kind}`, "data-testid": `notice-${kind}` }, message);
  const progress = notice.querySelectorAll(".progress");
  if (progress.length > 0) progress[progress.length - 1].after(item);
  else notice.prepend(item);
  const messages = notice.querySelectorAll(".notice:not(.progress)");
  for (let i = 4; i < messages.length; i++) messages[i].remove();
}

async function run<T>(label: string, action: () => Promise<T>): Promise<T | undefined> {
  const progress = h("div", { class: "notice progress", "data-testid": "progress" }, h("span", { class: "spinner" }), `${label}…`);
  notice.prepend(progress);
  try {
    return await action();
  } catch (error) {
    console.error(error);
    notify(errorMessage(error), "error");
    return undefined;
  } finally {
    progress.remove();
  }
}

const ctx = (): Ctx => ({ config, gs, notify, run });

function currentTab(): string {
  const tab = location.hash.slice(1);
  return tab in VIEWS ? tab : "market";
}

function render() {
  stopView?.();
  const tab = currentTab();
  document.querySelectorAll<HTMLAnchorElement>("#tabs a").forEach((a) => a.classList.toggle("active", a.hash === `#${tab}`));
  view.replaceChildren();
  stopView = VIEWS[tab][1](ctx(), view);
}

/** The development account the connection signs with ("" for Keplr or view-only). */
let devAccount = "";

async function connect(signer: Promise<import("@cosmjs/proto-signing").OfflineSigner> | undefined, account = "") {
  const next = signer
    ? await GridShare.connect(await signer, { rpcUrl: config.rpcUrl, contracts: config.deployment, gasPrice: config.gasPrice })
    : await GridShare.connectReadOnly({ rpcUrl: config.rpcUrl, contracts: config.deployment });
  gs?.disconnect();
  gs = next;
  devAccount = account;
  renderWallet();
  render();
}

function renderWallet() {
  const bar = document.getElementById("wallet") as HTMLElement;
  const picker = h(
    "select",
    {
      "data-testid": "account",
      onchange: (e: Event) => {
        const name = (e.target as HTMLSelectElement).value;
        const account = config.devAccounts.find((a) => a.name === name);
        void run("Connecting", () => connect(account ? devSigner(account.mnemonic) : undefined, account?.name));
      },
    },
    h("option", { value: "" }, gs.canSign && !devAccount ? "wallet" : "view only"),
    ...config.devAccounts.map((a) => h("option", { value: a.name, selected: a.name === devAccount }, `dev: ${a.name}`)),
  );
  const keplr = hasKeplr()
    ? h("button", { onclick: () => void run("Connecting Keplr", () => connect(keplrSigner(config))) }, "Connect Keplr")
    : null;
  const who = gs.canSign
    ? h("span", { class: "address", "data-testid": "address", title: gs.address }, short(gs.address))
    : h("span", {}, "not signed in");
  bar.replaceChildren(...(config.devAccounts.length > 0 ? [picker] : []), keplr ?? "", who);
}

async function start() {
  const tabs = document.getElementById("tabs") as HTMLElement;
  tabs.replaceChildren(...Object.entries(VIEWS).map(([id, [title]]) => h("a", { href: `#${id}`, "data-testid": `tab-${id}` }, title)));
  window.addEventListener("hashchange", render);
  try {
    config = await loadConfig();
    await connect(undefined);
    // ?account=renter1 preselects a development key (handy for tests and demos on a local chain).
    const wanted = new URLSearchParams(location.search).get("account");
    const account = config.devAccounts.find((a) => a.name === wanted);
    if (account) await connect(devSigner(account.mnemonic), account.name);
  } catch (error) {
    notify(errorMessage(error), "error");
  }
}

void start();
