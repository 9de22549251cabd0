//! Messages a contract is expected to send or receive that belong to no one contract: bank sends
//! and cw20 transfers out, cw20 `Send`s in. Built here, independently of any contract's code, so
//! that a test compares the contract's output with what the chain and the token expect.

use cosmwasm_std::{to_json_binary, Addr, BankMsg, Coin, SubMsg, Uint128, WasmMsg};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use serde::Serialize;

/// A bank send of `amount` `denom` to `to`, as a plain sub-message.
pub fn bank_send(to: &Addr, amount: u128, denom: &str) -> SubMsg {
    SubMsg::new(BankMsg::Send {
        to_address: to.to_string(),
        amount: vec![Coin::new(amount, denom)],
    })
}

/// A cw20 `Transfer` of `amount` of `token` to `to`, as a plain sub-message.
pub fn cw20_transfer(token: &Addr, to: &Addr, amount: u128) -> SubMsg {
    SubMsg::new(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(&Cw20ExecuteMsg::Transfer {
            recipient: to.to_string(),
            amount: Uint128::new(amount),
        })
        .unwrap(),
        funds: vec![],
    })
}

/// What a contract receives when `from` sends it `amount` of a cw20 with `hook` attached; the
/// contract wraps it in its own `ExecuteMsg::Receive`, sent by the token.
pub fn cw20_receive(from: &Addr, amount: u128, hook: &impl Serialize) -> Cw20ReceiveMsg {
    Cw20ReceiveMsg {
        sender: from.to_string(),
        amount: Uint128::new(amount),
        msg: to_json_binary(hook).unwrap(),
    }
}
