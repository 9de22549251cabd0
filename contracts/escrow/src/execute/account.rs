//! Opening, funding, refunding and closing the per-order accounts.

use super::{
    ensure_accepted, ensure_marketplace, ledger, load_marketplace_config, load_open_account,
};
use crate::execute::payment::{close_payment_in, pay_out};
use crate::state::{
    Account, ACCOUNTS, ACCOUNTS_BY_DEPOSITOR, CONFIG, OPEN_ACCOUNTS, PAYMENTS, PAYMENTS_BY_ACCOUNT,
};
use crate::{ContractError, MAX_PAYMENTS_PER_ACCOUNT};
use cosmwasm_std::{Addr, DepsMut, Env, Order, Response, StdError, StdResult, Timestamp, Uint128};
use gridshare_plumbing::funds::ensure_positive;
use gridshare_types::Denom;

pub fn open_account(
    deps: DepsMut,
    sender: &Addr,
    account_id: u64,
    depositor: String,
    denom: Denom,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_marketplace(&config, sender)?;
    ensure_accepted(&config, &denom)?;
    ensure_positive(amount)?;
    let depositor = deps.api.addr_validate(&depositor)?;
    if ACCOUNTS.has(deps.storage, account_id) {
        return Err(ContractError::AccountExists { account_id });
    }

    let mut account = Account {
        depositor,
        denom,
        balance: Uint128::zero(),
        reserved: Uint128::zero(),
        open_payments: 0,
        payments: 0,
        closed: false,
    };
    ledger::credit(deps.storage, &mut account, amount)?;
    ACCOUNTS.save(deps.storage, account_id, &account)?;
    ACCOUNTS_BY_DEPOSITOR.save(deps.storage, (&account.depositor, account_id), &())?;
    OPEN_ACCOUNTS.update(deps.storage, |open| {
        open.checked_add(1).ok_or_else(overflow)
    })?;

    Ok(Response::new()
        .add_attribute("action", "open_account")
        .add_attribute("account_id", account_id.to_string())
        .add_attribute("depositor", account.depositor.as_str())
        .add_attribute("denom", account.denom.to_string())
        .add_attribute("amount", amount))
}

pub fn top_up(
    deps: DepsMut,
    sender: &Addr,
    account_id: u64,
    denom: Denom,
    amount: Uint128,
) -> Result<Response, ContractError> {
    ensure_positive(amount)?;
    let mut account = load_open_account(deps.storage, account_id)?;
    if account.denom != denom {
        return Err(ContractError::WrongDenom {
            account_id,
            expected: account.denom.to_string(),
            got: denom.to_string(),
        });
    }
    ledger::credit(deps.storage, &mut account, amount)?;
    ACCOUNTS.save(deps.storage, account_id, &account)?;

    Ok(Response::new()
        .add_attribute("action", "top_up")
        .add_attribute("account_id", account_id.to_string())
        .add_attribute("sender", sender.as_str())
        .add_attribute("amount", amount)
        .add_attribute("balance", account.balance))
}

/// Pays `amount` of the account's available balance back to its depositor (`Refund`), or to
/// `forfeit_to` (`Forfeit`: a lost dispute bond, to the provider).
pub fn refund(
    deps: DepsMut,
    sender: &Addr,
    account_id: u64,
    amount: Uint128,
    forfeit_to: Option<Addr>,
) -> Result<Response, ContractError> {
    load_marketplace_config(deps.storage, sender)?;
    ensure_positive(amount)?;
    let mut account = load_open_account(deps.storage, account_id)?;
    let available = account.available();
    if amount > available {
        return Err(ContractError::InsufficientFunds {
            account_id,
            available,
            requested: amount,
        });
    }
    ledger::debit(deps.storage, &mut account, amount)?;
    ACCOUNTS.save(deps.storage, account_id, &account)?;

    let (action, to) = match &forfeit_to {
        Some(to) => ("forfeit", to),
        None => ("refund", &account.depositor),
    };
    Ok(Response::new()
        .add_message(account.denom.transfer_msg(to, amount)?)
        .add_attribute("action", action)
        .add_attribute("account_id", account_id.to_string())
        .add_attribute("to", to.as_str())
        .add_attribute("amount", amount)
        .add_attribute("balance", account.balance))
}

/// Settles and closes every open payment (releasing up to `until`), pushes every payee what it is
/// owed, and refunds the rest to the depositor.
pub fn close_account(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    account_id: u64,
    until: Option<Timestamp>,
) -> Result<Response, ContractError> {
    let config = load_marketplace_config(deps.storage, sender)?;
    let mut account = load_open_account(deps.storage, account_id)?;

    // Bounded: an account never has more than MAX_PAYMENTS_PER_ACCOUNT payments.
    let lease_ids = PAYMENTS_BY_ACCOUNT
        .prefix(account_id)
        .keys(deps.storage, None, None, Order::Ascending)
        .take(MAX_PAYMENTS_PER_ACCOUNT as usize)
        .collect::<StdResult<Vec<u64>>>()?;

    let mut response = Response::new();
    let mut paid_to_payees = Uint128::zero();
    for lease_id in lease_ids {
        let mut payment = PAYMENTS.load(deps.storage, lease_id)?;
        if !payment.closed {
            let fee = close_payment_in(
                deps.storage,
                env,
                &config,
                &mut account,
                lease_id,
                &mut payment,
                until,
            )?;
            response = response.add_submessages(fee);
        }
        let owed = payment.withdrawable();
        if let Some(msg) = pay_out(deps.storage, &mut account, &mut payment, owed)? {
            response = response.add_message(msg);
            paid_to_payees = paid_to_payees.checked_add(owed)?;
        }
        PAYMENTS.save(deps.storage, lease_id, &payment)?;
    }

    let refund = account.balance;
    ledger::debit(deps.storage, &mut account, refund)?;
    if !refund.is_zero() {
        response = response.add_message(account.denom.transfer_msg(&account.depositor, refund)?);
    }
    account.closed = true;
    ACCOUNTS.save(deps.storage, account_id, &account)?;
    OPEN_ACCOUNTS.update(deps.storage, |open| {
        open.checked_sub(1).ok_or_else(overflow)
    })?;

    Ok(response
        .add_attribute("action", "close_account")
        .add_attribute("account_id", account_id.to_string())
        .add_attribute("paid_to_payees", paid_to_payees)
        .add_attribute("refunded", refund))
}

fn overflow() -> ContractError {
    ContractError::Std(StdError::generic_err("open account count out of range"))
}
