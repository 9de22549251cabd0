//! Staking scenarios: stakers' and providers' actions, and the marketplace's calls into staking.

use crate::suite::Suite;
use cosmwasm_std::{to_json_binary, Uint128};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::{AppResponse, Executor};
use gridshare_types::staking::{
    DenomAmount, DenomHoldings, ExecuteMsg, PendingRewardsResponse, QueryMsg, ReceiveMsg,
    SlashRule, StakerResponse, TotalsResponse, VotingPowerResponse,
};
use gridshare_types::Denom;

impl Suite {
    fn send_grid_to_staking(
        &mut self,
        who: &str,
        amount: u128,
        hook: &ReceiveMsg,
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        let (grid, staking) = (self.grid.clone(), self.staking.clone());
        self.app.execute_contract(
            sender,
            grid,
            &Cw20ExecuteMsg::Send {
                contract: staking.to_string(),
                amount: Uint128::new(amount),
                msg: to_json_binary(hook)?,
            },
            &[],
        )
    }

    fn staking_execute(&mut self, who: &str, msg: &ExecuteMsg) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        let staking = self.staking.clone();
        self.app.execute_contract(sender, staking, msg, &[])
    }

    fn staking_as_marketplace(&mut self, msg: &ExecuteMsg) -> anyhow::Result<AppResponse> {
        let (marketplace, staking) = (self.marketplace.clone(), self.staking.clone());
        self.app.execute_contract(marketplace, staking, msg, &[])
    }

    /// `who` bonds `amount` GRID.
    pub fn bond(&mut self, who: &str, amount: u128) -> anyhow::Result<AppResponse> {
        self.send_grid_to_staking(who, amount, &ReceiveMsg::Bond {})
    }

    pub fn fund_emissions(&mut self, who: &str, amount: u128) -> anyhow::Result<AppResponse> {
        self.send_grid_to_staking(who, amount, &ReceiveMsg::FundEmissions {})
    }

    pub fn unbond(&mut self, who: &str, amount: u128) -> anyhow::Result<AppResponse> {
        self.staking_execute(
            who,
            &ExecuteMsg::Unbond {
                amount: Uint128::new(amount),
            },
        )
    }

    pub fn claim(&mut self, who: &str) -> anyhow::Result<AppResponse> {
        self.staking_execute(who, &ExecuteMsg::Claim {})
    }

    pub fn claim_rewards(&mut self, who: &str) -> anyhow::Result<AppResponse> {
        self.staking_execute(who, &ExecuteMsg::ClaimRewards {})
    }

    pub fn claim_emissions(&mut self, who: &str) -> anyhow::Result<AppResponse> {
        self.staking_execute(who, &ExecuteMsg::ClaimEmissions { limit: None })
    }

    /// The marketplace locks the collateral of `gpus` listed GPUs.
    pub fn lock_collateral(&mut self, provider: &str, amount: u128) -> anyhow::Result<AppResponse> {
        let provider = self.addr(provider).to_string();
        self.staking_as_marketplace(&ExecuteMsg::SetLocked {
            provider,
            amount: Uint128::new(amount),
        })
    }

    /// The marketplace slashes a fixed `amount` of `provider`'s stake for a lease, compensating
    /// `victim`.
    pub fn slash(
        &mut self,
        provider: &str,
        amount: u128,
        lease_id: u64,
        victim: &str,
    ) -> anyhow::Result<AppResponse> {
        let rule = SlashRule::Fixed {
            amount: Uint128::new(amount),
        };
        self.slash_by_rule(provider, rule, lease_id, victim)
    }

    /// The marketplace slashes `provider` by `rule` (applied to its bond when the slash
    /// executes) for a lease, compensating `victim`.
    pub fn slash_by_rule(
        &mut self,
        provider: &str,
        rule: SlashRule,
        lease_id: u64,
        victim: &str,
    ) -> anyhow::Result<AppResponse> {
        let provider = self.addr(provider).to_string();
        let victim = self.addr(victim).to_string();
        self.staking_as_marketplace(&ExecuteMsg::Slash {
            provider,
            rule,
            reason: "result rejected by quorum".into(),
            lease_id: Some(lease_id),
            compensation: Some(victim),
        })
    }

    /// The marketplace reports an accepted lease of `gpu_seconds` that paid a fee of one uusdc
    /// per GPU-second (with the default emission weights, weight = GPU-seconds).
    pub fn report_work(&mut self, provider: &str, gpu_seconds: u64) -> anyhow::Result<AppResponse> {
        let fee = DenomAmount {
            denom: Denom::Native(crate::USDC.into()),
            amount: Uint128::from(gpu_seconds),
        };
        self.report_work_with_fee(provider, gpu_seconds, Some(fee))
    }

    /// The marketplace reports an accepted lease with an explicit fee (`None`: no fee, or the
    /// renter is the provider — no emission weight).
    pub fn report_work_with_fee(
        &mut self,
        provider: &str,
        gpu_seconds: u64,
        fee: Option<DenomAmount>,
    ) -> anyhow::Result<AppResponse> {
        let provider = self.addr(provider).to_string();
        self.staking_as_marketplace(&ExecuteMsg::ReportWork {
            provider,
            gpu_seconds,
            fee_paid: fee,
        })
    }

    pub fn staker(&self, who: &str) -> StakerResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.staking,
                &QueryMsg::Staker {
                    address: self.addr(who).to_string(),
                },
            )
            .unwrap_or_else(|e| panic!("staker {who}: {e}"))
    }

    pub fn pending_rewards(&self, who: &str, denom: &Denom) -> Uint128 {
        let pending: PendingRewardsResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.staking,
                &QueryMsg::PendingRewards {
                    address: self.addr(who).to_string(),
                },
            )
            .unwrap_or_else(|e| panic!("pending rewards of {who}: {e}"));
        pending
            .rewards
            .into_iter()
            .find(|r| r.denom == *denom)
            .map(|r| r.amount)
            .unwrap_or_default()
    }

    pub fn voting_power_at(&self, who: &str, height: u64) -> Uint128 {
        let power: VotingPowerResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.staking,
                &QueryMsg::VotingPowerAtHeight {
                    address: self.addr(who).to_string(),
                    height: Some(height),
                },
            )
            .unwrap_or_else(|e| panic!("voting power of {who}: {e}"));
        power.power
    }

    /// What staking says it must hold in `denom`.
    pub fn staking_holdings(&self, denom: &Denom) -> Option<DenomHoldings> {
        let totals: TotalsResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.staking, &QueryMsg::Totals {})
            .unwrap_or_else(|e| panic!("staking totals: {e}"));
        totals.totals.into_iter().find(|t| t.denom == *denom)
    }
}
