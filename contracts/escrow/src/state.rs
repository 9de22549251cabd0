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

#[cw_serde]
pub struct Account {
    pub depositor: Addr,
    pub denom: Denom,
    /// Everything held for this account, released-but-unwithdrawn funds included.
    pub balance: Uint128,
    /// Unreleased caps of open payments plus released, unwithdrawn payee funds. Never above `balance`.
    pub reserved: Uint128,
    pub open_payments: u32,
    /// Payments ever opened in this account; bounds every loop over them.
    pub payments: u32,
    pub closed: bool,
}

impl Account {
    pub fn available(&self) -> Uint128 {
        self.balance.saturating_sub(self.reserved)
    }
}

#[cw_serde]
pub struct Payment {
    pub account_id: u64,
    pub payee: Addr,
    pub rate: Rate,
    pub start: Timestamp,
    pub cap: Uint128,
    pub fee_bps: u16,
    pub settled_until: Timestamp,
    /// Gross released: the payee's share plus fees.
    pub released: Uint128,
    pub fees_paid: Uint128,
    pub withdrawn: Uint128,
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

pub const CONFIG: Item<Config> = Item::new("config");
pub const ACCOUNTS: Map<u64, Account> = Map::new("accounts");
pub const ACCOUNTS_BY_DEPOSITOR: Map<(&Addr, u64), ()> = Map::new("accounts_by_depositor");
pub const PAYMENTS: Map<u64, Payment> = Map::new("payments");
pub const PAYMENTS_BY_ACCOUNT: Map<(u64, u64), ()> = Map::new("payments_by_account");
pub const PAYMENTS_BY_PAYEE: Map<(&Addr, u64), ()> = Map::new("payments_by_payee");
/// Per denom key: the sum of all open accounts' balances, which is what the contract must hold.
pub const TOTALS: Map<&str, DenomTotal> = Map::new("totals");
