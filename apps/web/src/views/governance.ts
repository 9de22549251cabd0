// Governance: proposals with their tallies, voting, executing, and opening a proposal.

import { executeProposal, propose, type ProposalMessage, type ProposalResponse, proposals, type VoteOption, vote, votingPower } from "@gridshare/client";
import type { View } from "../context";
import { field, h, section } from "../dom";
import { amount, short } from "../format";

const OPTIONS: VoteOption[] = ["yes", "no", "abstain", "veto"];

function statusText(status: ProposalResponse["status"]): string {
  return typeof status === "string" ? status : `execution failed: ${status.execution_failed.reason}`;
}

export const governanceView: View = (ctx, root) => {
  const gs = ctx.gs;
  const list = h("div", { "data-testid": "proposals" });
  const power = h("p", { "data-testid": "voting-power" });
  let stopped = false;

  const load = async () => {
    const [all, now, mine] = await Promise.all([
      proposals(gs),
      gs.chainTimeSeconds(),
      gs.canSign ? votingPower(gs, gs.address) : Promise.resolve(undefined),
    ]);
    if (stopped) return;
    power.textContent = mine === undefined ? "Connect an account to vote." : `Your voting power: ${amount(mine, "ugrid")} (bonded GRID).`;
    const latest = [...all].reverse().slice(0, 30);
    list.replaceChildren(
      ...latest.map((p) => {
        const endsIn = p.voting_ends_at - now;
        const executableIn = p.executable_at - now;
        const status = statusText(p.status);
        const open = p.status === "open" && endsIn > 0;
        const canExecute = (p.status === "passed" || (p.status === "open" && endsIn <= 0)) && executableIn <= 0;
        const t = p.tally;
        return h(
          "article",
          { class: "proposal", "data-testid": `proposal-${p.id}`, "data-status": status },
          h("header", {}, h("strong", {}, `#${p.id} ${p.title}`), ` · ${status}`, open ? ` · voting ends in ${endsIn}s` : ""),
          h("p", {}, p.description),
          h("p", { class: "tally", "data-testid": `tally-${p.id}` },
            `yes ${amount(t.yes, "ugrid")} · no ${amount(t.no, "ugrid")} · abstain ${amount(t.abstain, "ugrid")} · veto ${amount(t.veto, "ugrid")} of ${amount(p.total_power, "ugrid")}`),
          h("p", { class: "hint" }, `proposed by ${short(p.proposer)}; ${p.messages.length} message(s)`),
          h(
            "div",
            { class: "actions" },
            ...(open && gs.canSign
              ? OPTIONS.map((o) => h("button", { "data-testid": `vote-${p.id}-${o}`, onclick: () => void act(`Voting ${o} on #${p.id}`, () => vote(gs, p.id, o)) }, `Vote ${o}`))
              : []),
            canExecute && gs.canSign
              ? h("button", { "data-testid": `execute-${p.id}`, onclick: () => void act(`Executing #${p.id}`, () => executeProposal(gs, p.id)) }, "Execute")
              : "",
          ),
        );
      }),
    );
    if (latest.length === 0) list.append(h("p", { class: "hint" }, "No proposals yet."));
  };

  const act = async (label: string, action: () => Promise<unknown>) => {
    if ((await ctx.run(label, action)) !== undefined) {
      ctx.notify(`${label}: done.`, "ok");
      await load();
    }
  };

  const title = h("input", { "data-testid": "proposal-title", required: true }) as HTMLInputElement;
  const description = h("textarea", { "data-testid": "proposal-description", rows: 2 }) as HTMLTextAreaElement;
  const messages = h("textarea", { "data-testid": "proposal-messages", rows: 4, placeholder: '[{"wasm_execute":{"contract":"…","msg":"<base64>","funds":[]}}]' }) as HTMLTextAreaElement;
  messages.value = "[]";
  const form = h(
    "form",
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        void act("Opening the proposal", async () => {
          let parsed: ProposalMessage[];
          try {
            parsed = JSON.parse(messages.value) as ProposalMessage[];
          } catch (error) {
            throw new Error(`messages must be a JSON array of proposal messages: ${(error as Error).message}`);
          }
          return propose(gs, { title: title.value, description: description.value, messages: parsed });
        });
      },
    },
    field("Title", title),
    field("Description", description),
    field("Messages (JSON)", messages),
    h("button", { type: "submit", "data-testid": "propose" }, "Propose"),
  );

  root.append(section("Proposals", power, list), gs.canSign ? section("New proposal", form) : "");
  void ctx.run("Reading proposals", load);
  const timer = setInterval(() => void load().catch(() => undefined), 2_000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};
