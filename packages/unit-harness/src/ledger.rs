//! Coins in and out of a contract by the tests' own count, to audit what the contract says it
//! holds against what actually arrived and left.
//!
//! A contract's books can be consistent with each other and still wrong about the money; only a
//! count kept outside the contract, from the funds sent with each message and the transfers in
//! each response, catches that.

use cosmwasm_std::{Addr, Coin};
use gridshare_types::Denom;
use std::collections::BTreeMap;
use std::fmt::Debug;

/// One movement of coins out of the contract, read back from a response's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub to: String,
    pub denom: Denom,
    pub amount: u128,
}

/// What the contract holds (coins that arrived with successful messages, less coins that
/// successful responses sent away) and every transfer out, in order.
#[derive(Debug, Default)]
pub struct Ledger {
    pub held: BTreeMap<Denom, u128>,
    pub sent: Vec<Transfer>,
}

impl Ledger {
    /// `amount` of `denom` arrived (a cw20 `Send`, or native funds).
    pub fn receive(&mut self, denom: Denom, amount: u128) {
        *self.held.entry(denom).or_default() += amount;
    }

    /// Native `funds` arrived with a message.
    pub fn receive_funds(&mut self, funds: &[Coin]) {
        for c in funds {
            self.receive(Denom::Native(c.denom.clone()), c.amount.u128());
        }
    }

    /// `transfer` left the contract in response to `msg`; panics when that is more than the
    /// contract holds, as no chain would let it.
    pub fn pay(&mut self, transfer: Transfer, msg: &impl Debug) {
        let held = self.held.entry(transfer.denom.clone()).or_default();
        *held = held
            .checked_sub(transfer.amount)
            .unwrap_or_else(|| panic!("{msg:?} sends {transfer:?}, more than the contract holds"));
        self.sent.push(transfer);
    }

    /// What the contract holds of `denom`.
    pub fn held(&self, denom: &Denom) -> u128 {
        self.held.get(denom).copied().unwrap_or_default()
    }

    /// Everything sent to `to` in `denom` so far.
    pub fn sent_to(&self, to: &Addr, denom: &Denom) -> u128 {
        self.sent
            .iter()
            .filter(|t| t.to == to.as_str() && t.denom == *denom)
            .map(|t| t.amount)
            .sum()
    }
}
