//! GridShare escrow: custody of renters' payments.
//!
//! One account per order holds the renter's budget. Inside it, one payment per lease streams
//! to the provider at a fixed rate; accrual is computed lazily from timestamps whenever the
//! marketplace touches the payment, never in a per-block loop (the rule itself,
//! `gridshare_types::escrow::Rate::accrued` and `fee_on`, is shared with the marketplace).
//!
//! # Where every coin is
//!
//! Every coin in the contract belongs either to exactly one open account, until it leaves for a
//! payee, the fee collector or the depositor, or to the **uncollected fees** of its denom. Per
//! denom, the contract holds exactly `Totals` (the sum of open accounts' balances) plus
//! `UncollectedFees`; a closed account holds nothing.
//!
//! # Fees never block settlement
//!
//! Each release sends its fee to the fee collector (`DepositRewards {}` with the coins attached,
//! or a cw20 `Send` with that hook) as a submessage replied to on error. If the collector (or the
//! token) refuses it, the chain reverts only that submessage; escrow's `reply` books the fee as
//! uncollected in its denom and emits a `fee_uncollected` event (denom, amount, collector,
//! error), and the release, close or account close succeeds. The fee payload travels in the
//! submessage's `payload`, so escrow needs CosmWasm 2.0 or later (the `cosmwasm_2_0` feature).
//! An out-of-gas inside the collector is not caught by a reply and still reverts the whole
//! transaction.
//!
//! Uncollected fees leave in two ways, and in no other:
//! - `DeliverFees { denom }`, by anyone, sends them to the collector again as `DepositRewards`,
//!   as a plain message: if the collector still refuses, the whole transaction reverts and the
//!   fees stay;
//! - `ClaimFees { denom }`, by the fee collector itself, transfers them to it (a bank send or a
//!   cw20 `Transfer`), executing nothing on it.
//!
//! The fees belong to whoever is the fee collector when they leave.
//!
//! # The owner's levers and their limits
//!
//! The owner (governance, after the two-step hand-over through `UpdateOwnership`; see
//! `gridshare_plumbing::owner` and `QueryMsg::Ownership`) sets the marketplace, the fee collector
//! and the accepted denoms with `UpdateConfig`, within two rules:
//!
//! - **The marketplace changes only while no account is open.** Whoever is the marketplace may
//!   refund, release and close every account, so a marketplace change while coins are escrowed
//!   would let the owner (before the hand-over, say) point it at itself and move every escrowed
//!   coin. It is refused with `MarketplaceHasOpenAccounts { open_accounts }`.
//! - **The denom chain `marketplace's accepted ⊆ escrow's accepted ⊆ fee collector's reward
//!   denoms` holds**, or fees in a denom could never be delivered. When the accepted denoms
//!   change, or the marketplace or the fee collector is replaced (and at instantiation), escrow
//!   asks the marketplace (`gridshare_types::marketplace::QueryMsg::Config {}`, reading
//!   `params.accepted_denoms`) and the fee collector (`gridshare_types::staking::QueryMsg::Config
//!   {}`, reading `reward_denoms`) and refuses a configuration that breaks a link, naming the
//!   missing denom (`gridshare_plumbing::DenomListError::NotSubset`). **A counterpart that does
//!   not answer that query is skipped**: an address that is not a contract (a placeholder
//!   during wiring, before the marketplace exists), or a contract whose answer carries no such
//!   list (a multisig collecting fees by `ClaimFees`, say). The response's
//!   `marketplace_denoms` / `fee_collector_denoms` attributes say `checked` or `skipped`.
//!   Escrow cannot see a counterpart's own later changes; the counterparts check their side.
//!
//! Funds checks, ownership and denom-list validation come from `gridshare-plumbing`; their
//! errors are wrapped in `ContractError::{Funds, Owner, DenomList}`.

pub mod accrual;
pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod query;
pub mod state;

#[cfg(test)]
mod tests;

pub use crate::error::ContractError;

pub const CONTRACT_NAME: &str = env!("CARGO_PKG_NAME");
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A payment loop runs over at most this many payments of one account (close, queries).
pub const MAX_PAYMENTS_PER_ACCOUNT: u32 = 64;
/// `Withdraw` takes at most this many lease ids at once.
pub const MAX_WITHDRAW_BATCH: usize = 30;
/// The accepted-denom list is read on every deposit; keep it short.
pub const MAX_ACCEPTED_DENOMS: usize = 32;
/// The id of every fee submessage: its failure comes back to `reply` (see `execute::fees`).
pub const FEE_REPLY_ID: u64 = 1;
