//! Escrow's share of a job: what the marketplace's calls cost in the escrow contract.

use super::chain::{Chain, Contract, Gas};
use super::table::Table;
use anyhow::Result;
use cosmwasm_std::{Coin, Uint128};
use gridshare_types::escrow::{ExecuteMsg, InstantiateMsg, Rate};
use gridshare_types::UncheckedDenom;
use std::path::Path;

/// Escrow's gas for opening an order's account and one lease's payment (what a matching order
/// adds on chain), and for settling and withdrawing.
pub struct EscrowGas {
    pub open_account: Gas,
    pub open_payment: Gas,
    pub close_payment: Gas,
    pub withdraw: Gas,
}

pub fn measure(chain: &mut Chain, wasm: &Path, table: &mut Table) -> Result<EscrowGas> {
    let (owner, marketplace, staking) = (
        chain.addr("owner"),
        chain.addr("marketplace"),
        chain.addr("staking"),
    );
    let mut escrow = chain.deploy(
        wasm,
        "escrow",
        &owner,
        &InstantiateMsg {
            owner: None,
            marketplace: marketplace.to_string(),
            fee_collector: staking.to_string(),
            accepted_denoms: vec![UncheckedDenom::Native("uusdc".into())],
        },
        None,
    )?;
    // A warm-up order first, so the measured one finds the totals entry every later order finds.
    one_order(chain, &mut escrow, 1)?;
    let gas = one_order(chain, &mut escrow, 2)?;
    table.push("escrow: open account (order funds)", gas.open_account);
    table.push("escrow: open payment (per lease)", gas.open_payment);
    table.push("escrow: close payment (settle, fee out)", gas.close_payment);
    table.push("escrow: provider withdraw", gas.withdraw);
    Ok(gas)
}

fn one_order(chain: &mut Chain, escrow: &mut Contract, id: u64) -> Result<EscrowGas> {
    let (marketplace, renter, provider) = (
        chain.addr("marketplace"),
        chain.addr("renter"),
        chain.addr("provider"),
    );
    let (_, open_account) = chain.execute(
        escrow,
        &marketplace,
        &ExecuteMsg::OpenAccount {
            account_id: id,
            depositor: renter.to_string(),
        },
        &[Coin::new(10_000_000u128, "uusdc")],
    )?;
    let (_, open_payment) = chain.execute(
        escrow,
        &marketplace,
        &ExecuteMsg::OpenPayment {
            account_id: id,
            lease_id: id,
            payee: provider.to_string(),
            rate: Rate::per_hour(2_000_000u128),
            start: None,
            cap: Uint128::new(2_000_000),
            fee_bps: 250,
        },
        &[],
    )?;
    chain.advance(1_800);
    let (_, close_payment) = chain.execute(
        escrow,
        &marketplace,
        &ExecuteMsg::ClosePayment {
            lease_id: id,
            until: None,
        },
        &[],
    )?;
    let (_, withdraw) = chain.execute(
        escrow,
        &provider,
        &ExecuteMsg::Withdraw {
            lease_ids: vec![id],
        },
        &[],
    )?;
    Ok(EscrowGas {
        open_account,
        open_payment,
        close_payment,
        withdraw,
    })
}
