//! Governance scenarios: the hand-over of the suite, proposals, votes and execution.

use crate::deploy::{Deployed, HandOver};
use crate::suite::Suite;
use cosmwasm_std::{coins, to_json_binary, Addr, Uint128};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::{App, AppResponse, Executor};
use governance::msg::{
    ConfigResponse, ExecuteMsg, ProposalMessage, ProposalResponse, QueryMsg, ReceiveMsg, VoteOption,
};
use gridshare_types::staking::{QueryMsg as StakingQueryMsg, StakersResponse, VotingPowerResponse};
use gridshare_types::Denom;
use serde::Serialize;

impl Suite {
    /// Every address with bonded stake, as staking lists them.
    fn stakers(&self) -> Vec<Addr> {
        let mut all = vec![];
        let mut start_after = None;
        loop {
            let page: StakersResponse = self
                .app
                .wrap()
                .query_wasm_smart(
                    &self.staking,
                    &StakingQueryMsg::Stakers {
                        start_after: start_after.clone(),
                        limit: Some(30),
                    },
                )
                .unwrap_or_else(|e| panic!("listing stakers: {e}"));
            let Some(last) = page.stakers.last() else {
                return all;
            };
            start_after = Some(last.address.to_string());
            all.extend(page.stakers.into_iter().map(|s| s.address));
        }
    }

    fn power_at(&self, who: &Addr, height: u64) -> Uint128 {
        let response: VotingPowerResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.staking,
                &StakingQueryMsg::VotingPowerAtHeight {
                    address: who.to_string(),
                    height: Some(height),
                },
            )
            .unwrap_or_else(|e| panic!("voting power of {who}: {e}"));
        response.power
    }

    /// `proposer` opens a proposal with `messages`, paying whatever deposit governance asks.
    fn propose_as(
        &mut self,
        proposer: &Addr,
        title: &str,
        messages: Vec<ProposalMessage>,
    ) -> anyhow::Result<u64> {
        let gov = self.governance.clone();
        let config: ConfigResponse = self
            .app
            .wrap()
            .query_wasm_smart(&gov, &QueryMsg::Config {})?;
        let (title, description) = (
            title.to_string(),
            format!("{title}, proposed in a scenario"),
        );
        let response = match config.deposit {
            None => self.app.execute_contract(
                proposer.clone(),
                gov,
                &ExecuteMsg::Propose {
                    title,
                    description,
                    messages,
                },
                &[],
            )?,
            Some(deposit) => match deposit.denom {
                Denom::Native(denom) => self.app.execute_contract(
                    proposer.clone(),
                    gov,
                    &ExecuteMsg::Propose {
                        title,
                        description,
                        messages,
                    },
                    &coins(deposit.amount.u128(), denom),
                )?,
                Denom::Cw20(token) => self.app.execute_contract(
                    proposer.clone(),
                    token,
                    &Cw20ExecuteMsg::Send {
                        contract: gov.to_string(),
                        amount: deposit.amount,
                        msg: to_json_binary(&ReceiveMsg::Propose {
                            title,
                            description,
                            messages,
                        })?,
                    },
                    &[],
                )?,
            },
        };
        proposal_id(&response)
    }

    /// The hand-over, as governance's crate docs describe it ([`HandOver::hand_over`]), every
    /// address bonded before this block voting for it (so bond first). Returns the acceptance
    /// proposal's id.
    pub fn hand_over_to_governance(&mut self) -> u64 {
        HandOver::hand_over(self)
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
        self.propose_as(
            &proposer,
            title,
            vec![ProposalMessage::WasmExecute {
                contract: contract.to_string(),
                msg: to_json_binary(msg)?,
                funds: vec![],
            }],
        )
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

impl HandOver for Suite {
    fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    fn deployed(&self) -> Deployed {
        Deployed {
            deployer: self.owner.clone(),
            grid: self.grid.clone(),
            staking: self.staking.clone(),
            escrow: self.escrow.clone(),
            marketplace: self.marketplace.clone(),
            governance: Some(self.governance.clone()),
        }
    }

    /// The first staker with voting power at this height proposes; every one of them votes yes;
    /// the vote and the timelock run out and the proposal is executed.
    fn pass_proposal(&mut self, title: &str, messages: Vec<ProposalMessage>) -> u64 {
        let gov = self.governance.clone();
        let height = self.app.block_info().height;
        let voters: Vec<Addr> = self
            .stakers()
            .into_iter()
            .filter(|s| !self.power_at(s, height).is_zero())
            .collect();
        let proposer = voters
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("{title}: no stakers yet (bond, then let a block pass)"));
        let id = self
            .propose_as(&proposer, title, messages)
            .unwrap_or_else(|e| panic!("proposing {title}: {e:?}"));
        for voter in &voters {
            self.app
                .execute_contract(
                    voter.clone(),
                    gov.clone(),
                    &ExecuteMsg::Vote {
                        proposal_id: id,
                        vote: VoteOption::Yes,
                    },
                    &[],
                )
                .unwrap_or_else(|e| panic!("{voter} voting for {title}: {e:?}"));
        }
        let config: ConfigResponse = self
            .app
            .wrap()
            .query_wasm_smart(&gov, &QueryMsg::Config {})
            .unwrap();
        self.advance_seconds(config.voting_period + config.timelock);
        self.execute_proposal(id)
            .unwrap_or_else(|e| panic!("executing {title}: {e:?}"));
        id
    }
}

/// The id of the proposal a response opened.
fn proposal_id(response: &AppResponse) -> anyhow::Result<u64> {
    response
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == "proposal_id")
        .and_then(|a| a.value.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no proposal_id in {response:?}"))
}
