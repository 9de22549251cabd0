use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
use gridshare_types::escrow::{DenomTotal, Rate};
use gridshare_types::Denom;

#[cw_serde]
pub struct Config {
    pub owner: Addr,
    pub marketplace: Addr,
    pub fee_collector: Addr,
    pub accepted_denoms: Vec<Denom>,
}

/// Stored with one- and two-letter field names: every byte written costs gas on chain.
#[cw_serde]
pub struct Account {
    #[serde(rename = "d")]
    pub depositor: Addr,
    #[serde(rename = "n")]
    pub denom: Denom,
    /// Everything held for this account, released-but-unwithdrawn funds included.
    #[serde(rename = "b")]
    pub balance: Uint128,
    /// Unreleased caps of open payments plus released, unwithdrawn payee funds. Never above `balance`.
    #[serde(rename = "r")]
    pub reserved: Uint128,
    #[serde(rename = "o")]
    pub open_payments: u32,
    /// Payments ever opened in this account; bounds every loop over them.
    #[serde(rename = "p")]
    pub payments: u32,
    #[serde(rename = "c")]
    pub closed: bool,
}

impl Account {
    pub fn available(&self) -> Uint128 {
        self.balance.saturating_sub(self.reserved)
    }
}

#[cw_serde]
pub struct Payment {
    #[serde(rename = "a")]
    pub account_id: u64,
    #[serde(rename = "p")]
    pub payee: Addr,
    #[serde(rename = "r")]
    pub rate: Rate,
    #[serde(rename = "s")]
    pub start: Timestamp,
    #[serde(rename = "x")]
    pub cap: Uint128,
    #[serde(rename = "f")]
    pub fee_bps: u16,
    #[serde(rename = "u")]
    pub settled_until: Timestamp,
    /// Gross released: the payee's share plus fees.
    #[serde(rename = "l")]
    pub released: Uint128,
    #[serde(rename = "e")]
    pub fees_paid: Uint128,
    #[serde(rename = "w")]
    pub withdrawn: Uint128,
    #[serde(rename = "c")]
    pub closed: bool,
}

impl Payment {
    /// Released to the payee and still held here.
    pub fn withdrawable(&self) -> Uint128 {
        self.released
            .saturating_sub(self.fees_paid)
            .saturating_sub(self.withdrawn)
    }
}

// Short namespaces: every key carries its namespace, and every key byte written costs gas.
pub const CONFIG: Item<Config> = Item::new("cfg");
pub const ACCOUNTS: Map<u64, Account> = Map::new("a");
pub const ACCOUNTS_BY_DEPOSITOR: Map<(&Addr, u64), ()> = Map::new("ad");
pub const PAYMENTS: Map<u64, Payment> = Map::new("p");
pub const PAYMENTS_BY_ACCOUNT: Map<(u64, u64), ()> = Map::new("pa");
pub const PAYMENTS_BY_PAYEE: Map<(&Addr, u64), ()> = Map::new("pp");
/// Per denom key: the sum of all open accounts' balances, which is what the contract must hold.
pub const TOTALS: Map<&str, DenomTotal> = Map::new("t");
/// Per denom key: fees the fee collector refused on release, held until `DeliverFees` or
/// `ClaimFees`. The contract holds exactly `TOTALS + UNCOLLECTED_FEES` of every denom.
pub const UNCOLLECTED_FEES: Map<&str, DenomTotal> = Map::new("uf");
/// How many accounts are open: the marketplace may change only while none is.
pub const OPEN_ACCOUNTS: Item<u64> = Item::new("oa");
