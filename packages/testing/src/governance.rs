//! Governance scenarios: the hand-over of the suite, proposals, votes and execution.

use crate::suite::Suite;
use cosmwasm_std::{to_json_binary, Addr, Uint128};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::{AppResponse, Executor};
use governance::msg::{ExecuteMsg, ProposalMessage, ProposalResponse, QueryMsg, VoteOption};
use serde::Serialize;

impl Suite {
    /// The deployer hands every contract to governance (owner/admin roles and wasm admin), as
    /// the README's hand-over procedure describes.
    pub fn hand_over_to_governance(&mut self) {
        let (owner, gov) = (self.owner.clone(), self.governance.clone());
        let steps: Vec<(Addr, serde_json::Value)> = vec![
            (
                self.escrow.clone(),
                serde_json::json!({"update_owner": {"owner": gov}}),
            ),
            (
                self.staking.clone(),
                serde_json::json!({"update_owner": {"owner": gov}}),
            ),
            (
                self.marketplace.clone(),
                serde_json::json!({"update_owner": {"owner": gov}}),
            ),
            (
                self.grid.clone(),
                serde_json::json!({"update_admin": {"admin": gov}}),
            ),
        ];
        for (contract, msg) in steps {
            self.app
                .execute_contract(owner.clone(), contract.clone(), &msg, &[])
                .unwrap_or_else(|e| panic!("handing {contract} to governance: {e:?}"));
        }
        for contract in [
            self.escrow.clone(),
            self.staking.clone(),
            self.marketplace.clone(),
            self.grid.clone(),
            self.governance.clone(),
        ] {
            self.app
                .execute(
                    owner.clone(),
                    cosmwasm_std::WasmMsg::UpdateAdmin {
                        contract_addr: contract.to_string(),
                        admin: gov.to_string(),
                    }
                    .into(),
                )
                .unwrap_or_else(|e| panic!("wasm admin of {contract}: {e:?}"));
        }
    }

    /// `who` proposes executing `msg` on `contract`; returns the proposal id.
    pub fn propose<M: Serialize>(
        &mut self,
        who: &str,
        title: &str,
        contract: &Addr,
        msg: &M,
    ) -> anyhow::Result<u64> {
        let proposer = self.addr(who);
        let gov = self.governance.clone();
        let response = self.app.execute_contract(
            proposer,
            gov,
            &ExecuteMsg::Propose {
                title: title.into(),
                description: format!("{title}, proposed in a scenario"),
                messages: vec![ProposalMessage::WasmExecute {
                    contract: contract.to_string(),
                    msg: to_json_binary(msg)?,
                    funds: vec![],
                }],
            },
            &[],
        )?;
        response
            .events
            .iter()
            .flat_map(|e| &e.attributes)
            .find(|a| a.key == "proposal_id")
            .and_then(|a| a.value.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("no proposal_id in {response:?}"))
    }

    pub fn vote(
        &mut self,
        who: &str,
        proposal_id: u64,
        vote: VoteOption,
    ) -> anyhow::Result<AppResponse> {
        let voter = self.addr(who);
        let gov = self.governance.clone();
        self.app
            .execute_contract(voter, gov, &ExecuteMsg::Vote { proposal_id, vote }, &[])
    }

    pub fn execute_proposal(&mut self, proposal_id: u64) -> anyhow::Result<AppResponse> {
        let anyone = self.addr("cranker");
        let gov = self.governance.clone();
        self.app
            .execute_contract(anyone, gov, &ExecuteMsg::Execute { proposal_id }, &[])
    }

    pub fn proposal(&self, proposal_id: u64) -> ProposalResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.governance, &QueryMsg::Proposal { proposal_id })
            .unwrap_or_else(|e| panic!("proposal {proposal_id}: {e}"))
    }

    /// `who` burns GRID for `periods` of a premium tier.
    pub fn subscribe(
        &mut self,
        who: &str,
        tier: &str,
        periods: u32,
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        let grid = self.grid.clone();
        self.app.execute_contract(
            sender,
            grid,
            &access_token::msg::ExecuteMsg::Subscribe {
                tier: tier.into(),
                periods,
            },
            &[],
        )
    }

    /// A plain cw20 transfer of GRID.
    pub fn transfer_grid(
        &mut self,
        from: &str,
        to: &str,
        amount: u128,
    ) -> anyhow::Result<AppResponse> {
        let (sender, recipient) = (self.addr(from), self.addr(to));
        let grid = self.grid.clone();
        self.app.execute_contract(
            sender,
            grid,
            &Cw20ExecuteMsg::Transfer {
                recipient: recipient.to_string(),
                amount: Uint128::new(amount),
            },
            &[],
        )
    }
}
