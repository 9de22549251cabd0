//! Escrow scenarios: the marketplace's calls and the participants' actions, one method each.

use crate::asset::Asset;
use crate::suite::Suite;
use cosmwasm_std::{to_json_binary, Addr, Coin, Timestamp, Uint128};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::{AppResponse, Executor};
use gridshare_types::escrow::{
    AccountResponse, ConfigResponse, ExecuteMsg, PaymentResponse, QueryMsg, Rate, ReceiveMsg,
    TotalsResponse, UncollectedFeesResponse,
};
use gridshare_types::owner::OwnershipResponse;
use gridshare_types::staking::{QueryMsg as StakingQueryMsg, RewardPoolsResponse};
use gridshare_types::Denom;

/// A payment the marketplace opens for a lease, built up in words.
#[derive(Clone, Debug)]
pub struct PaymentSpec {
    pub lease_id: u64,
    pub account_id: u64,
    pub payee: String,
    pub rate: Rate,
    pub start: Option<Timestamp>,
    pub cap: u128,
    pub fee_bps: u16,
}

impl PaymentSpec {
    pub fn lease(lease_id: u64) -> Self {
        PaymentSpec {
            lease_id,
            account_id: lease_id,
            payee: "provider".into(),
            rate: Rate::per_second(1u128),
            start: None,
            cap: 1,
            fee_bps: 0,
        }
    }
    pub fn in_account(mut self, account_id: u64) -> Self {
        self.account_id = account_id;
        self
    }
    pub fn to(mut self, payee: &str) -> Self {
        self.payee = payee.into();
        self
    }
    pub fn per_second(mut self, amount: u128) -> Self {
        self.rate = Rate::per_second(amount);
        self
    }
    pub fn per_hour(mut self, amount: u128) -> Self {
        self.rate = Rate::per_hour(amount);
        self
    }
    pub fn cap(mut self, cap: u128) -> Self {
        self.cap = cap;
        self
    }
    pub fn fee_bps(mut self, fee_bps: u16) -> Self {
        self.fee_bps = fee_bps;
        self
    }
    pub fn starting(mut self, start: Timestamp) -> Self {
        self.start = Some(start);
        self
    }
}

impl Suite {
    fn as_marketplace(&mut self, msg: &ExecuteMsg) -> anyhow::Result<AppResponse> {
        let (marketplace, escrow) = (self.marketplace.clone(), self.escrow.clone());
        self.app.execute_contract(marketplace, escrow, msg, &[])
    }

    /// `sender` delivers `asset` to escrow with `native_msg` (coins attached) or, for a cw20,
    /// a `Send` carrying `hook`.
    fn deliver(
        &mut self,
        sender: Addr,
        asset: &Asset,
        native_msg: &ExecuteMsg,
        hook: &ReceiveMsg,
    ) -> anyhow::Result<AppResponse> {
        let escrow = self.escrow.clone();
        match &asset.denom {
            Denom::Native(denom) => self.app.execute_contract(
                sender,
                escrow,
                native_msg,
                &[Coin::new(asset.amount, denom)],
            ),
            Denom::Cw20(token) => self.app.execute_contract(
                sender,
                token.clone(),
                &Cw20ExecuteMsg::Send {
                    contract: escrow.to_string(),
                    amount: asset.amount,
                    msg: to_json_binary(hook)?,
                },
                &[],
            ),
        }
    }

    /// The renter pays an order's budget to the marketplace, which opens its escrow account.
    pub fn open_account(
        &mut self,
        account_id: u64,
        depositor: &str,
        asset: Asset,
    ) -> anyhow::Result<AppResponse> {
        let depositor = self.addr(depositor);
        let marketplace = self.marketplace.clone();
        let to_marketplace = asset.denom.transfer_msg(&marketplace, asset.amount)?;
        self.app.execute(depositor.clone(), to_marketplace)?;
        let msg = ExecuteMsg::OpenAccount {
            account_id,
            depositor: depositor.to_string(),
        };
        let hook = ReceiveMsg::OpenAccount {
            account_id,
            depositor: depositor.to_string(),
        };
        let opened = self.deliver(marketplace.clone(), &asset, &msg, &hook);
        if opened.is_err() {
            // As the marketplace's own transaction would revert, the renter gets its budget back.
            let give_back = asset.denom.transfer_msg(&depositor, asset.amount)?;
            self.app.execute(marketplace, give_back)?;
        }
        opened
    }

    pub fn top_up(
        &mut self,
        sender: &str,
        account_id: u64,
        asset: Asset,
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(sender);
        self.deliver(
            sender,
            &asset,
            &ExecuteMsg::TopUp { account_id },
            &ReceiveMsg::TopUp { account_id },
        )
    }

    pub fn open_payment(&mut self, spec: PaymentSpec) -> anyhow::Result<AppResponse> {
        let payee = self.addr(&spec.payee).to_string();
        self.as_marketplace(&ExecuteMsg::OpenPayment {
            account_id: spec.account_id,
            lease_id: spec.lease_id,
            payee,
            rate: spec.rate,
            start: spec.start.map(|t| t.seconds()),
            cap: Uint128::new(spec.cap),
            fee_bps: spec.fee_bps,
        })
    }

    pub fn release(&mut self, lease_id: u64) -> anyhow::Result<AppResponse> {
        self.as_marketplace(&ExecuteMsg::Release {
            lease_id,
            until: None,
        })
    }

    pub fn release_until(
        &mut self,
        lease_id: u64,
        until: Timestamp,
    ) -> anyhow::Result<AppResponse> {
        self.as_marketplace(&ExecuteMsg::Release {
            lease_id,
            until: Some(until.seconds()),
        })
    }

    pub fn close_payment(
        &mut self,
        lease_id: u64,
        until: Option<Timestamp>,
    ) -> anyhow::Result<AppResponse> {
        self.as_marketplace(&ExecuteMsg::ClosePayment {
            lease_id,
            until: until.map(|t| t.seconds()),
        })
    }

    pub fn refund(&mut self, account_id: u64, amount: u128) -> anyhow::Result<AppResponse> {
        self.as_marketplace(&ExecuteMsg::Refund {
            account_id,
            amount: Uint128::new(amount),
        })
    }

    pub fn close_account(
        &mut self,
        account_id: u64,
        until: Option<Timestamp>,
    ) -> anyhow::Result<AppResponse> {
        self.as_marketplace(&ExecuteMsg::CloseAccount {
            account_id,
            until: until.map(|t| t.seconds()),
        })
    }

    pub fn withdraw(&mut self, payee: &str, lease_ids: &[u64]) -> anyhow::Result<AppResponse> {
        let payee = self.addr(payee);
        let escrow = self.escrow.clone();
        self.app.execute_contract(
            payee,
            escrow,
            &ExecuteMsg::Withdraw {
                lease_ids: lease_ids.to_vec(),
            },
            &[],
        )
    }

    /// `sender` (anyone) sends escrow's uncollected fees of `denom` to the fee collector again.
    pub fn deliver_fees(&mut self, sender: &str, denom: &Denom) -> anyhow::Result<AppResponse> {
        let sender = self.addr(sender);
        let escrow = self.escrow.clone();
        self.app.execute_contract(
            sender,
            escrow,
            &ExecuteMsg::DeliverFees {
                denom: denom.clone().into(),
            },
            &[],
        )
    }

    /// Escrow's fee collector takes the uncollected fees of `denom` as a plain transfer.
    pub fn claim_fees(&mut self, denom: &Denom) -> anyhow::Result<AppResponse> {
        let collector = self.escrow_config().fee_collector;
        let escrow = self.escrow.clone();
        self.app.execute_contract(
            collector,
            escrow,
            &ExecuteMsg::ClaimFees {
                denom: denom.clone().into(),
            },
            &[],
        )
    }

    pub fn escrow_config(&self) -> ConfigResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.escrow, &QueryMsg::Config {})
            .unwrap_or_else(|e| panic!("escrow config: {e}"))
    }

    pub fn escrow_ownership(&self) -> OwnershipResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.escrow, &QueryMsg::Ownership {})
            .unwrap_or_else(|e| panic!("escrow ownership: {e}"))
    }

    /// Fees in `denom` the collector refused, held by escrow until delivered or claimed.
    pub fn escrow_uncollected_fees(&self, denom: &Denom) -> Uint128 {
        let fees: UncollectedFeesResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.escrow,
                &QueryMsg::UncollectedFees {
                    start_after: None,
                    limit: None,
                },
            )
            .unwrap_or_else(|e| panic!("escrow uncollected fees: {e}"));
        fees.fees
            .into_iter()
            .find(|t| t.denom == *denom)
            .map(|t| t.amount)
            .unwrap_or_default()
    }

    pub fn escrow_account(&self, account_id: u64) -> AccountResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.escrow, &QueryMsg::Account { account_id })
            .unwrap_or_else(|e| panic!("escrow account {account_id}: {e}"))
    }

    pub fn escrow_payment(&self, lease_id: u64) -> PaymentResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.escrow, &QueryMsg::Payment { lease_id })
            .unwrap_or_else(|e| panic!("escrow payment {lease_id}: {e}"))
    }

    /// What escrow says it holds for open accounts in `denom` (its balance also holds the
    /// uncollected fees: see `escrow_uncollected_fees`).
    pub fn escrow_total(&self, denom: &Denom) -> Uint128 {
        let totals: TotalsResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.escrow,
                &QueryMsg::Totals {
                    start_after: None,
                    limit: None,
                },
            )
            .unwrap_or_else(|e| panic!("escrow totals: {e}"));
        totals
            .totals
            .into_iter()
            .find(|t| t.denom == *denom)
            .map(|t| t.amount)
            .unwrap_or_default()
    }

    /// Fees that reached staking as rewards (through `DepositRewards`) in `denom`.
    pub fn fees_collected(&self, denom: &Denom) -> Uint128 {
        let pools: RewardPoolsResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.staking, &StakingQueryMsg::RewardPools {})
            .unwrap_or_else(|e| panic!("staking reward pools: {e}"));
        pools
            .pools
            .into_iter()
            .find(|p| p.denom == *denom)
            .map(|p| p.deposited)
            .unwrap_or_default()
    }
}
