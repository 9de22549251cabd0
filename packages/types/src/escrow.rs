//! The escrow contract's interface: what the marketplace sends it, and what anyone may ask it.

use crate::denom::{Denom, UncheckedDenom};
use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Uint128, Uint256};
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
    /// Base units of the account's denom earned per `per_seconds` seconds; must be positive.
    pub amount: Uint128,
    /// Length of the rate's period in seconds (3600 for an hourly price); must be positive.
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
    OpenAccount {
        /// The new account's id (the marketplace's order id); an id already used, even by a
        /// closed account, is refused.
        account_id: u64,
        /// The account's owner (bech32 address): receives refunds and, on close, the remainder.
        depositor: String,
    },
    /// Anyone. Adds exactly one attached coin, of the account's denom, to an open account.
    TopUp {
        /// The open account to fund.
        account_id: u64,
    },
    /// cw20 entry: `OpenAccount` (marketplace only) and `TopUp` with tokens sent by an accepted cw20.
    Receive(Cw20ReceiveMsg),
    /// Marketplace only. Reserves `cap` of the account's available balance for a payment to
    /// `payee` that accrues at `rate` from `start` (default: now). `fee_bps` of every release goes
    /// to the fee collector; it is fixed here, for the life of the payment.
    OpenPayment {
        /// The open account that funds the payment (at most 64 payments per account, ever).
        account_id: u64,
        /// The payment's id (the marketplace's lease id); an id already used is refused.
        lease_id: u64,
        /// Who is paid (bech32 address); takes released funds with `Withdraw`.
        payee: String,
        /// The price: base units of the account's denom per period; both parts positive.
        rate: Rate,
        /// When accrual starts, in seconds since the Unix epoch; not before the current block's
        /// second. Default: now.
        start: Option<u64>,
        /// The most the payment can ever release, fee included, in base units of the account's
        /// denom: positive, at most the account's available balance, reserved at once.
        cap: Uint128,
        /// The fee collector's share of every release, in basis points: 0 to 10 000.
        fee_bps: u16,
    },
    /// Marketplace only. Releases what the payment accrued up to `until` (default and at most:
    /// now) to its payee, less the fee, which is delivered to the fee collector. If the
    /// collector refuses the fee, the release still succeeds and the fee stays here, uncollected.
    Release {
        /// The open payment to release from.
        lease_id: u64,
        /// Release accrual up to this time, in seconds since the Unix epoch; clamped to now and
        /// never before what was already released. Default: now.
        until: Option<u64>,
    },
    /// Marketplace only. Releases up to `until` like `Release`, then stops the payment: whatever
    /// of its cap was not released returns to the account's available balance.
    ClosePayment {
        /// The open payment to close.
        lease_id: u64,
        /// Release accrual up to this time before closing, in seconds since the Unix epoch;
        /// clamped to now and never before what was already released. Default: now.
        until: Option<u64>,
    },
    /// Marketplace only. Returns `amount` of the account's available (unreserved) balance to the
    /// depositor, e.g. the budget of an order's unmatched part.
    Refund {
        /// The open account to refund from.
        account_id: u64,
        /// Base units of the account's denom: positive, at most the available balance.
        amount: Uint128,
    },
    /// Marketplace only. Pays `amount` of the account's available (unreserved) balance to `to`
    /// at once: the unused part of a dispute bond a renter lost, forfeited to the provider it
    /// disputed.
    Forfeit {
        /// The open account to pay from.
        account_id: u64,
        /// Base units of the account's denom: positive, at most the available balance.
        amount: Uint128,
        /// The recipient (bech32 address).
        to: String,
    },
    /// Marketplace only. Closes every open payment of the account (releasing up to `until`), pays
    /// each payee what it is owed, refunds the rest to the depositor and closes the account.
    CloseAccount {
        /// The open account to close.
        account_id: u64,
        /// Open payments release accrual up to this time, in seconds since the Unix epoch,
        /// clamped to now. Default: now.
        until: Option<u64>,
    },
    /// A payee takes what has been released to it, from each of the named payments.
    Withdraw {
        /// 1 to 30 lease ids (duplicates ignored), each a payment whose payee is the sender. Any
        /// other id fails the whole message, and so does a batch with nothing to withdraw.
        lease_ids: Vec<u64>,
    },
    /// Owner only. `marketplace` may change only while no account is open. The denom chain
    /// `marketplace's accepted ⊆ accepted_denoms ⊆ fee collector's reward denoms` must hold
    /// against every counterpart that answers its `Config {}` query.
    UpdateConfig {
        /// New marketplace address; a different one is refused while any account is open.
        /// Unset: unchanged.
        marketplace: Option<String>,
        /// New fee collector address (receives every fee with `DepositRewards {}`). Unset:
        /// unchanged.
        fee_collector: Option<String>,
        /// Replaces the accepted denoms: 1 to 32, deduplicated. Unset: unchanged.
        accepted_denoms: Option<Vec<UncheckedDenom>>,
    },
    /// Two-step hand-over: the owner offers the contract (to governance, after launch), the
    /// new owner accepts.
    UpdateOwnership(crate::owner::OwnerAction),
    /// Anyone. Sends the fee collector, again, the fees of `denom` it refused when they were
    /// released (see `QueryMsg::UncollectedFees`): `DepositRewards {}` with the coins attached,
    /// or a cw20's `Send` with that hook. Fails whole, keeping the fees, if it still refuses.
    DeliverFees {
        /// The denom whose uncollected fees (all of them) are delivered; fails if there are none.
        denom: UncheckedDenom,
    },
    /// Fee collector only. Takes the fees of `denom` it refused earlier as a plain transfer
    /// (a bank send, or a cw20 `Transfer`), with no message to execute.
    ClaimFees {
        /// The denom whose uncollected fees (all of them) are taken; fails if there are none.
        denom: UncheckedDenom,
    },
}

/// The hook message inside a cw20 `Send` to escrow.
#[cw_serde]
pub enum ReceiveMsg {
    /// Marketplace only (as the cw20 `Send`'s sender). Opens an account funded by the tokens
    /// sent, which must come from an accepted cw20.
    OpenAccount {
        /// The new account's id (the marketplace's order id); an id already used, even by a
        /// closed account, is refused.
        account_id: u64,
        /// The account's owner (bech32 address): receives refunds and, on close, the remainder.
        depositor: String,
    },
    /// Anyone. Adds the tokens sent to an open account held in the same cw20 (which must still
    /// be accepted).
    TopUp {
        /// The open account to fund.
        account_id: u64,
    },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The owner, the marketplace, the fee collector and the accepted denoms.
    #[returns(ConfigResponse)]
    Config {},
    /// The owner and any pending ownership offer.
    #[returns(crate::owner::OwnershipResponse)]
    Ownership {},
    /// One account, open or closed; an error if it does not exist.
    #[returns(AccountResponse)]
    Account {
        /// The account's id (the marketplace's order id).
        account_id: u64,
    },
    /// Accounts of one depositor, by ascending id.
    #[returns(AccountsResponse)]
    AccountsByDepositor {
        /// The depositor's address (bech32).
        depositor: String,
        /// Exclusive cursor: the last account id of the previous page.
        start_after: Option<u64>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// One payment, open or closed, with what it could release now; an error if it does not
    /// exist.
    #[returns(PaymentResponse)]
    Payment {
        /// The payment's id (the marketplace's lease id).
        lease_id: u64,
    },
    /// Payments of one account, by ascending lease id.
    #[returns(PaymentsResponse)]
    PaymentsByAccount {
        /// The account whose payments to list.
        account_id: u64,
        /// Exclusive cursor: the last lease id of the previous page.
        start_after: Option<u64>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// Payments to one payee, by ascending lease id.
    #[returns(PaymentsResponse)]
    PaymentsByPayee {
        /// The payee's address (bech32).
        payee: String,
        /// Exclusive cursor: the last lease id of the previous page.
        start_after: Option<u64>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// What the contract holds for open accounts, per denom (by ascending denom key).
    #[returns(TotalsResponse)]
    Totals {
        /// Exclusive cursor: the last denom key of the previous page (`native:<denom>` or
        /// `cw20:<address>`).
        start_after: Option<String>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// Fees the fee collector refused on release, held here until `DeliverFees` or `ClaimFees`,
    /// per denom (by ascending denom key). With `Totals`, everything the contract holds.
    #[returns(UncollectedFeesResponse)]
    UncollectedFees {
        /// Exclusive cursor: the last denom key of the previous page (`native:<denom>` or
        /// `cw20:<address>`).
        start_after: Option<String>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    /// May send `UpdateConfig` and offer the contract to a new owner.
    pub owner: Addr,
    /// The only address that may open accounts and payments and move funds out of them.
    pub marketplace: Addr,
    /// Receives every fee with `DepositRewards {}`; the only sender of `ClaimFees`.
    pub fee_collector: Addr,
    /// Denoms accounts may be opened in (and cw20s trusted to `Send`), sorted.
    pub accepted_denoms: Vec<Denom>,
}

#[cw_serde]
pub struct AccountResponse {
    /// The account's id (the marketplace's order id).
    pub account_id: u64,
    /// The account's owner: receives refunds and, on close, the remainder.
    pub depositor: Addr,
    /// The one denom the account holds; amounts below are in its base units.
    pub denom: Denom,
    /// Everything held for this account, including released funds its payees have not withdrawn.
    pub balance: Uint128,
    /// The part of `balance` promised to payees: unreleased caps of open payments plus released,
    /// unwithdrawn funds.
    pub reserved: Uint128,
    /// `balance − reserved`: what may still be reserved for a payment or refunded.
    pub available: Uint128,
    /// Payments opened in the account and not yet closed.
    pub open_payments: u32,
    /// Whether the account is closed: it then holds nothing and takes no funds or payments.
    pub closed: bool,
}

#[cw_serde]
pub struct AccountsResponse {
    /// One page of the depositor's accounts, open and closed, by ascending id.
    pub accounts: Vec<AccountResponse>,
}

#[cw_serde]
pub struct PaymentResponse {
    /// The payment's id (the marketplace's lease id).
    pub lease_id: u64,
    /// The account that funds it; amounts are in base units of that account's denom.
    pub account_id: u64,
    /// Who is paid.
    pub payee: Addr,
    /// The price: base units per `per_seconds` seconds.
    pub rate: Rate,
    /// When accrual started, in seconds since the Unix epoch. What the payment has earned is
    /// `rate.amount × (settled_until − start) / rate.per_seconds`, rounded down, at most `cap`.
    pub start: u64,
    /// The most the payment can ever release, fee included.
    pub cap: Uint128,
    /// The fee collector's share of every release, in basis points (fixed at opening).
    pub fee_bps: u16,
    /// Accrual has been released up to this time, in seconds since the Unix epoch.
    pub settled_until: u64,
    /// Gross amount released so far (payee's share plus fees).
    pub released: Uint128,
    /// Fees taken out of `released` so far (delivered, or held as uncollected fees).
    pub fees_paid: Uint128,
    /// Paid out to the payee so far (by `Withdraw` or `CloseAccount`).
    pub withdrawn: Uint128,
    /// Released to the payee and not yet withdrawn.
    pub withdrawable: Uint128,
    /// Accrued by the current block time and not yet released (zero once closed).
    pub releasable: Uint128,
    /// Whether the payment is closed: it accrues no more and its unreleased cap was freed.
    pub closed: bool,
}

#[cw_serde]
pub struct PaymentsResponse {
    /// One page of payments, open and closed, by ascending lease id.
    pub payments: Vec<PaymentResponse>,
}

#[cw_serde]
pub struct DenomTotal {
    /// The denom.
    pub denom: Denom,
    /// In base units of `denom`.
    pub amount: Uint128,
}

#[cw_serde]
pub struct TotalsResponse {
    /// Per denom, the sum of open accounts' balances, by ascending denom key (a denom once used
    /// stays listed, possibly at 0).
    pub totals: Vec<DenomTotal>,
}

#[cw_serde]
pub struct UncollectedFeesResponse {
    /// Per denom, fees the fee collector refused and escrow still holds, by ascending denom key
    /// (a denom whose fees left is absent).
    pub fees: Vec<DenomTotal>,
}
