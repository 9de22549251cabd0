// Browser tests: Debian's chromium driven by playwright-core against the built app, a real chain
// and a real keeper (localnet/suite.sh). A person's path through the app: post a job (its dispute
// salt kept in the browser) and see it through commit and reveal to acceptance and verify it; vote
// on a proposal and execute it; see a contract's refusal as a sentence.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { bond, GridShare, parseDeployment, propose } from "@gridshare/client";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { readFileSync } from "node:fs";

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, "../..");
const port = Number(process.env.APP_TEST_PORT ?? 4273);
const base = `http://127.0.0.1:${port}`;
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const shots = join(web, "dist-test", "screenshots");
const skip = process.env.GRIDSHARE_RPC ? false : "no local chain: run `make app-test`";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest();

/** A development key from the config.json the app is served with (written in `before`). */
function mnemonic(account: string): string {
  const config = JSON.parse(readFileSync(join(web, "dist", "config.json"), "utf8")) as { devAccounts: { name: string; mnemonic: string }[] };
  const found = config.devAccounts.find((a) => a.name === account);
  if (!found) throw new Error(`no development account ${account}`);
  return found.mnemonic;
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the web app in a browser", { skip }, () => {
  let server: ChildProcess;
  let browser: BrowserContext;
  let profile: string;

  before(async () => {
    execFileSync("node", [join(web, "scripts/write-config.mjs"), join(web, "dist")], { stdio: "inherit" });
    server = spawn("npx", ["vite", "preview", "--port", String(port), "--strictPort"], { cwd: web, stdio: "ignore", detached: true });
    await waitForHttp(`${base}/config.json`, 30_000);
    profile = mkdtempSync(join(tmpdir(), "gridshare-chromium-"));
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
    });
  });

  after(async () => {
    await browser?.close();
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(`${base}/${path}`);
    return page;
  }

  it("posts a job as a renter, shows it complete, and verifies the output", async () => {
    const page = await open("?account=renter1#renter");
    await page.getByTestId("address").waitFor();
    const input = `browser job ${Date.now()}`;
    await page.getByTestId("input").fill(input);
    await page.getByTestId("model").selectOption("cpu-dev");
    await page.getByTestId("max-duration").fill("120");
    // 3600 USDC per GPU-hour for at most 120 s: 120 USDC escrowed, shown before signing.
    assert.match(await page.getByTestId("estimate").innerText(), /at most: 120 USDC/);

    await page.getByTestId("post-job").click();
    const posted = await page.getByTestId("notice-ok").filter({ hasText: /Order \d+ posted/ }).innerText({ timeout: 30_000 });
    const orderId = Number(/Order (\d+) posted/.exec(posted)?.[1]);
    assert.match(posted, /dispute salt is kept in this browser/);
    // The salt whose sha256 the order committed is in localStorage, keyed by chain, marketplace and order.
    const deployment = parseDeployment(JSON.parse(readFileSync(process.env.GRIDSHARE_DEPLOYMENT ?? "", "utf8")));
    const saltKey = `gridshare:dispute-salt:${process.env.GRIDSHARE_CHAIN_ID}:${deployment.contracts.marketplace}:${orderId}`;
    const salt = await page.evaluate((key) => localStorage.getItem(key), saltKey);
    assert.match(salt ?? "", /^[0-9a-f]{64}$/, `${saltKey} holds the dispute salt`);

    // The single replica commits, reveals, and is accepted once the (short) dispute window ends.
    const order = page.getByTestId(`order-${orderId}`);
    await order.locator("[data-testid^=lease-state-]", { hasText: "accepted" }).waitFor({ timeout: 90_000 });
    await page.waitForSelector(`[data-testid=order-${orderId}][data-closed=true]`, { timeout: 60_000 });
    assert.equal(await order.locator("[data-testid^=dispute-]").count(), 0, "an accepted result offers no dispute");
    assert.equal(await order.locator("[data-testid^=referee-]").count(), 0, "nobody disputed: no referee");
    // The keeper's energy figure: measured (RAPL) where the host allows, else said to be unmeasured.
    const energyText = await order.locator("[data-testid^=energy-]").first().innerText();
    assert.match(energyText, /^(unmeasured|\d+ mWh|[\d.]+ k?Wh)$/, energyText);

    await page.getByTestId(`verify-${orderId}`).click();
    const verified = await page.getByTestId(`verified-${orderId}`).innerText({ timeout: 30_000 });
    // The output is the sha256 of the input; the chain commits to the sha256 of that output.
    const committed = sha256(sha256(new TextEncoder().encode(input))).toString("hex");
    assert.ok(verified.includes(committed.slice(0, 16)), `${verified} vs ${committed}`);
    await page.screenshot({ path: join(shots, "renter.png"), fullPage: true });

    await page.getByTestId("tab-market").click();
    await page.getByTestId("models").getByText("cpu-dev").waitFor();
    await page.getByTestId("price-chart").locator("circle").first().waitFor({ timeout: 20_000 });
    await page.getByTestId("providers").getByText("local-provider1").waitFor();
    await page.screenshot({ path: join(shots, "market.png"), fullPage: true });
    await page.close();
  });

  it("posts a private job: the browser seals the input, hands the keeper its key, and opens the sealed output", async () => {
    const page = await open("?account=renter1#renter");
    await page.getByTestId("address").waitFor();
    const input = `private browser job ${Date.now()}`;
    await page.getByTestId("input").fill(input);
    await page.getByTestId("model").selectOption("cpu-dev");
    await page.getByTestId("max-duration").fill("120");
    await page.getByTestId("private").check();
    await page.getByTestId("post-job").click();
    const posted = await page.getByTestId("notice-ok").filter({ hasText: /Order \d+ posted/ }).last().innerText({ timeout: 30_000 });
    const orderId = Number(/Order (\d+) posted/.exec(posted)?.[1]);
    const order = page.getByTestId(`order-${orderId}`);
    // The browser delivers the order key once the lease is matched; the keeper runs the job.
    await order.locator("[data-testid^=lease-state-]", { hasText: "accepted" }).waitFor({ timeout: 90_000 });
    await page.getByTestId(`verify-${orderId}`).click();
    const verified = await page.getByTestId(`verified-${orderId}`).innerText({ timeout: 30_000 });
    const expected = sha256(sha256(new TextEncoder().encode(input))).toString("hex");
    assert.ok(verified.includes(expected.slice(0, 16)), `${verified} vs ${expected}`);
    // The order carries the renter's key; only this browser could open the output.
    const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith("gridshare:renter-key:")) ?? "");
    assert.ok(key, "the browser kept its renter key");
    await page.close();
  });

  it("votes on a proposal, shows the tally, executes it, and explains a refused second vote", async () => {
    // The proposal is set up the way another holder would: bond GRID, propose (from the client).
    const deployment = parseDeployment(JSON.parse(readFileSync(process.env.GRIDSHARE_DEPLOYMENT ?? "", "utf8")));
    const signer = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic("renter2"), { prefix: "wasm" });
    const holder = await GridShare.connect(signer, { rpcUrl: process.env.GRIDSHARE_RPC ?? "", contracts: deployment });
    await bond(holder, 10_000_000n);
    const id = await propose(holder, { title: "Signal: keep the take rate", description: "A proposal without messages.", messages: [] });
    holder.disconnect();

    const page = await open("?account=renter2#governance");
    await page.getByTestId("voting-power").filter({ hasText: "10 GRID" }).waitFor({ timeout: 20_000 });
    await page.getByTestId(`vote-${id}-yes`).click();
    await page.getByTestId(`tally-${id}`).filter({ hasText: /^yes 10 GRID/ }).waitFor({ timeout: 20_000 });

    await page.getByTestId(`vote-${id}-no`).click();
    const refusal = await page.getByTestId("notice-error").innerText({ timeout: 20_000 });
    assert.match(refusal, /^The governance contract refused: /);

    // The web suite's voting period is 20 s (plus a 1 s timelock): the button appears after it.
    await page.getByTestId(`execute-${id}`).click({ timeout: 45_000 });
    await page.waitForSelector(`[data-testid=proposal-${id}][data-status=executed]`, { timeout: 30_000 });
    await page.screenshot({ path: join(shots, "governance.png"), fullPage: true });
    await page.close();
  });

  it("signs with a Keplr-style wallet extension when one is present", async () => {
    // A stand-in for the extension: the page sees `window.keplr`; the keys stay in this process and
    // sign whatever the app hands over, as an extension's popup would after the user approves.
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic("provider2"), { prefix: "wasm" });
    const [account] = await wallet.getAccounts();
    const page = await browser.newPage();
    const requests: string[] = [];
    await page.exposeFunction("__walletAccounts", async () => [{ address: account.address, algo: account.algo, pubkey: Array.from(account.pubkey) }]);
    await page.exposeFunction("__walletRequest", async (kind: string) => void requests.push(kind));
    await page.exposeFunction("__walletSignDirect", async (address: string, doc: { bodyBytes: number[]; authInfoBytes: number[]; chainId: string; accountNumber: string }) => {
      requests.push(`sign ${doc.chainId}`);
      const signDoc = {
        bodyBytes: Uint8Array.from(doc.bodyBytes),
        authInfoBytes: Uint8Array.from(doc.authInfoBytes),
        chainId: doc.chainId,
        accountNumber: BigInt(doc.accountNumber),
      };
      const { signed, signature } = await wallet.signDirect(address, signDoc);
      return {
        signed: { bodyBytes: Array.from(signed.bodyBytes), authInfoBytes: Array.from(signed.authInfoBytes), chainId: signed.chainId, accountNumber: signed.accountNumber.toString() },
        signature,
      };
    });
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, (...args: unknown[]) => Promise<any>>;
      (window as unknown as { keplr: unknown }).keplr = {
        experimentalSuggestChain: (info: { chainId: string }) => w.__walletRequest(`suggest ${info.chainId}`),
        enable: (chainId: string) => w.__walletRequest(`enable ${chainId}`),
        getOfflineSigner: () => ({
          getAccounts: async () =>
            (await w.__walletAccounts()).map((a: { address: string; algo: string; pubkey: number[] }) => ({ ...a, pubkey: Uint8Array.from(a.pubkey) })),
          signDirect: async (address: string, doc: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; chainId: string; accountNumber: bigint }) => {
            const r = await w.__walletSignDirect(address, {
              bodyBytes: Array.from(doc.bodyBytes),
              authInfoBytes: Array.from(doc.authInfoBytes),
              chainId: doc.chainId,
              accountNumber: doc.accountNumber.toString(),
            });
            return {
              signed: { ...r.signed, bodyBytes: Uint8Array.from(r.signed.bodyBytes), authInfoBytes: Uint8Array.from(r.signed.authInfoBytes), accountNumber: BigInt(r.signed.accountNumber) },
              signature: r.signature,
            };
          },
        }),
      };
    });
    await page.goto(`${base}/#renter`);
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    assert.equal(await page.getByTestId("address").getAttribute("title", { timeout: 20_000 }), account.address);
    await page.getByTestId("model").selectOption("cpu-dev");
    await page.getByTestId("post-job").click();
    await page.getByTestId("notice-ok").filter({ hasText: /Order \d+ posted/ }).waitFor({ timeout: 30_000 });
    const chainId = process.env.GRIDSHARE_CHAIN_ID;
    assert.deepEqual(requests.slice(0, 2), [`suggest ${chainId}`, `enable ${chainId}`]);
    assert.ok(requests.includes(`sign ${chainId}`), requests.join(", "));
    await page.close();
  });
});
