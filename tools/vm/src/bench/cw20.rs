//! The baseline: a transfer between two existing balances of plain cw20-base.

use super::chain::{Chain, Gas};
use anyhow::Result;
use cosmwasm_std::Uint128;
use cw20::{Cw20Coin, Cw20ExecuteMsg};
use std::path::Path;

pub fn transfer_gas(chain: &mut Chain, wasm: &Path) -> Result<Gas> {
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let mut token = chain.deploy(
        wasm,
        "cw20",
        &alice,
        &cw20_base::msg::InstantiateMsg {
            name: "Baseline".into(),
            symbol: "BASE".into(),
            decimals: 6,
            initial_balances: vec![
                Cw20Coin {
                    address: alice.to_string(),
                    amount: Uint128::new(1_000_000),
                },
                Cw20Coin {
                    address: bob.to_string(),
                    amount: Uint128::new(1_000_000),
                },
            ],
            mint: None,
            marketing: None,
        },
        None,
    )?;
    let transfer = Cw20ExecuteMsg::Transfer {
        recipient: bob.to_string(),
        amount: Uint128::new(1_000),
    };
    let (_, gas) = chain.execute(&mut token, &alice, &transfer, &[])?;
    Ok(gas)
}
