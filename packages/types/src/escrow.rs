//! The escrow contract's interface: what the marketplace sends it, and what anyone may ask it.

use crate::denom::{Denom, UncheckedDenom};
use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Timestamp, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;

/// Fees are expressed in basis points of each release.
pub const BPS_DENOMINATOR: u16 = 10_000;

#[cw_serde]
pub struct InstantiateMsg {
    /// May change the configuration until governance takes over; defaults to the instantiator.
    pub owner: Option<String>,
    /// The only address that may open accounts and payments and move funds out of them.
    pub marketplace: String,
    /// Receives every fee with `DepositRewards {}` (the staking contract). Must take every
    /// accepted denom as a reward denom when it answers staking's `Config {}` query.
    pub fee_collector: String,
    /// Denominations an account may hold. A cw20 must be listed here before its `Receive` is trusted.
    pub accepted_denoms: Vec<UncheckedDenom>,
}

/// A payment's price: `amount` base units every `per_seconds` seconds, accrued continuously and
/// rounded down. A GPU price per hour is `{ amount: price × units, per_seconds: 3600 }`, exact
/// without a fractional per-second rate.
#[cw_serde]
#[derive(Copy, Eq)]
pub struct Rate {
    pub amount: Uint128,
    pub per_seconds: u64,
}

impl Rate {
    pub fn per_second(amount: impl Into<Uint128>) -> Self {
        Rate {
            amount: amount.into(),
            per_seconds: 1,
        }
    }

    pub fn per_hour(amount: impl Into<Uint128>) -> Self {
        Rate {
            amount: amount.into(),
            per_seconds: 3600,
        }
    }
}

impl Rate {
    /// Gross amount earned after `elapsed` seconds at this rate, rounded down (against the
    /// payee), never above `cap`. The one accrual rule: escrow pays by it and the marketplace
    /// prices accepted work by it.
    pub fn accrued(&self, cap: Uint128, elapsed: u64) -> Uint128 {
        if elapsed == 0 || self.per_seconds == 0 {
            return Uint128::zero();
        }
        // u128 × u64 fits in 256 bits, so the product cannot overflow.
        let gross =
            Uint256::from(self.amount) * Uint256::from(elapsed) / Uint256::from(self.per_seconds);
        // Not above the cap, which is a Uint128, so the conversion always succeeds.
        Uint128::try_from(gross.min(Uint256::from(cap))).unwrap_or(cap)
    }
}

/// The fee owed on a cumulative gross amount, rounded down.
pub fn fee_on(gross: Uint128, fee_bps: u16) -> Uint128 {
    let bps = fee_bps.min(BPS_DENOMINATOR);
    // bps ≤ denominator, so the result is at most `gross` and the ratio cannot fail.
    gross
        .checked_multiply_ratio(bps, BPS_DENOMINATOR)
        .unwrap_or(gross)
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Marketplace only. Opens account `account_id` (the order id) owned by `depositor`, funded
    /// by exactly one attached coin of an accepted native denom.
    OpenAccount { account_id: u64, depositor: String },
    /// Anyone. Adds exactly one attached coin, of the account's denom, to an open account.
    TopUp { account_id: u64 },
    /// cw20 entry: `OpenAccount` (marketplace only) and `TopUp` with tokens sent by an accepted cw20.
    Receive(Cw20ReceiveMsg),
    /// Marketplace only. Reserves `cap` of the account's available balance for a payment to
    /// `payee` that accrues at `rate` from `start` (default: now). `fee_bps` of every release goes
    /// to the fee collector; it is fixed here, for the life of the payment.
    OpenPayment {
        account_id: u64,
        lease_id: u64,
        payee: String,
        rate: Rate,
        start: Option<Timestamp>,
        cap: Uint128,
        fee_bps: u16,
    },
    /// Marketplace only. Releases what the payment accrued up to `until` (default and at most:
    /// now) to its payee, less the fee, which is delivered to the fee collector. If the
    /// collector refuses the fee, the release still succeeds and the fee stays here, uncollected.
    Release {
        lease_id: u64,
        until: Option<Timestamp>,
    },
    /// Marketplace only. Releases up to `until` like `Release`, then stops the payment: whatever
    /// of its cap was not released returns to the account's available balance.
    ClosePayment {
        lease_id: u64,
        until: Option<Timestamp>,
    },
    /// Marketplace only. Returns `amount` of the account's available (unreserved) balance to the
    /// depositor, e.g. the budget of an order's unmatched part.
    Refund { account_id: u64, amount: Uint128 },
    /// Marketplace only. Pays `amount` of the account's available (unreserved) balance to `to`
    /// at once: the unused part of a dispute bond a renter lost, forfeited to the provider it
    /// disputed.
    Forfeit {
        account_id: u64,
        amount: Uint128,
        to: String,
    },
    /// Marketplace only. Closes every open payment of the account (releasing up to `until`), pays
    /// each payee what it is owed, refunds the rest to the depositor and closes the account.
    CloseAccount {
        account_id: u64,
        until: Option<Timestamp>,
    },
    /// A payee takes what has been released to it, from each of the named payments.
    Withdraw { lease_ids: Vec<u64> },
    /// Owner only. `marketplace` may change only while no account is open. The denom chain
    /// `marketplace's accepted ⊆ accepted_denoms ⊆ fee collector's reward denoms` must hold
    /// against every counterpart that answers its `Config {}` query.
    UpdateConfig {
        marketplace: Option<String>,
        fee_collector: Option<String>,
        accepted_denoms: Option<Vec<UncheckedDenom>>,
    },
    /// Two-step hand-over: the owner offers the contract (to governance, after launch), the
    /// new owner accepts.
    UpdateOwnership(crate::owner::OwnerAction),
    /// Anyone. Sends the fee collector, again, the fees of `denom` it refused when they were
    /// released (see `QueryMsg::UncollectedFees`): `DepositRewards {}` with the coins attached,
    /// or a cw20's `Send` with that hook. Fails whole, keeping the fees, if it still refuses.
    DeliverFees { denom: UncheckedDenom },
    /// Fee collector only. Takes the fees of `denom` it refused earlier as a plain transfer
    /// (a bank send, or a cw20 `Transfer`), with no message to execute.
    ClaimFees { denom: UncheckedDenom },
}

/// The hook message inside a cw20 `Send` to escrow.
#[cw_serde]
pub enum ReceiveMsg {
    OpenAccount { account_id: u64, depositor: String },
    TopUp { account_id: u64 },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    /// The owner and any pending ownership offer.
    #[returns(crate::owner::OwnershipResponse)]
    Ownership {},
    #[returns(AccountResponse)]
    Account { account_id: u64 },
    /// Accounts of one depositor, by ascending id.
    #[returns(AccountsResponse)]
    AccountsByDepositor {
        depositor: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(PaymentResponse)]
    Payment { lease_id: u64 },
    /// Payments of one account, by ascending lease id.
    #[returns(PaymentsResponse)]
    PaymentsByAccount {
        account_id: u64,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// Payments to one payee, by ascending lease id.
    #[returns(PaymentsResponse)]
    PaymentsByPayee {
        payee: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// What the contract holds for open accounts, per denom (by ascending denom key).
    #[returns(TotalsResponse)]
    Totals {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Fees the fee collector refused on release, held here until `DeliverFees` or `ClaimFees`,
    /// per denom (by ascending denom key). With `Totals`, everything the contract holds.
    #[returns(UncollectedFeesResponse)]
    UncollectedFees {
        start_after: Option<String>,
        limit: Option<u32>,
    },
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    pub owner: Addr,
    pub marketplace: Addr,
    pub fee_collector: Addr,
    pub accepted_denoms: Vec<Denom>,
}

#[cw_serde]
pub struct AccountResponse {
    pub account_id: u64,
    pub depositor: Addr,
    pub denom: Denom,
    /// Everything held for this account, including released funds its payees have not withdrawn.
    pub balance: Uint128,
    /// The part of `balance` promised to payees: unreleased caps of open payments plus released,
    /// unwithdrawn funds.
    pub reserved: Uint128,
    /// `balance − reserved`: what may still be reserved for a payment or refunded.
    pub available: Uint128,
    pub open_payments: u32,
    pub closed: bool,
}

#[cw_serde]
pub struct AccountsResponse {
    pub accounts: Vec<AccountResponse>,
}

#[cw_serde]
pub struct PaymentResponse {
    pub lease_id: u64,
    pub account_id: u64,
    pub payee: Addr,
    pub rate: Rate,
    pub start: Timestamp,
    pub cap: Uint128,
    pub fee_bps: u16,
    /// Accrual has been released up to this time.
    pub settled_until: Timestamp,
    /// Gross amount released so far (payee's share plus fees).
    pub released: Uint128,
    pub fees_paid: Uint128,
    pub withdrawn: Uint128,
    /// Released to the payee and not yet withdrawn.
    pub withdrawable: Uint128,
    /// Accrued by the current block time and not yet released (zero once closed).
    pub releasable: Uint128,
    pub closed: bool,
}

#[cw_serde]
pub struct PaymentsResponse {
    pub payments: Vec<PaymentResponse>,
}

#[cw_serde]
pub struct DenomTotal {
    pub denom: Denom,
    pub amount: Uint128,
}

#[cw_serde]
pub struct TotalsResponse {
    pub totals: Vec<DenomTotal>,
}

#[cw_serde]
pub struct UncollectedFeesResponse {
    pub fees: Vec<DenomTotal>,
}
