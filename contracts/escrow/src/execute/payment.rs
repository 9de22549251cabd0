//! Payments: one stream per lease inside an order's account.

use super::{fees, ledger, load_marketplace_config, load_open_account};
use crate::accrual::{accrued, fee_on};
use crate::state::{
    Account, Config, Payment, ACCOUNTS, PAYMENTS, PAYMENTS_BY_ACCOUNT, PAYMENTS_BY_PAYEE,
};
use crate::{ContractError, MAX_PAYMENTS_PER_ACCOUNT};
use cosmwasm_std::{Addr, CosmosMsg, DepsMut, Env, Response, Storage, SubMsg, Timestamp, Uint128};
use gridshare_plumbing::funds::ensure_positive;
use gridshare_types::escrow::{Rate, BPS_DENOMINATOR};

pub struct OpenPayment {
    pub account_id: u64,
    pub lease_id: u64,
    pub payee: String,
    pub rate: Rate,
    pub start: Option<Timestamp>,
    pub cap: Uint128,
    pub fee_bps: u16,
}

pub fn open_payment(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    msg: OpenPayment,
) -> Result<Response, ContractError> {
    load_marketplace_config(deps.storage, sender)?;
    let OpenPayment {
        account_id,
        lease_id,
        payee,
        rate,
        start,
        cap,
        fee_bps,
    } = msg;
    if rate.amount.is_zero() || rate.per_seconds == 0 {
        return Err(ContractError::InvalidRate {
            amount: rate.amount,
            per_seconds: rate.per_seconds,
        });
    }
    ensure_positive(cap)?;
    if fee_bps > BPS_DENOMINATOR {
        return Err(ContractError::FeeTooHigh { fee_bps });
    }
    let now = env.block.time;
    let start = start.unwrap_or(now);
    // Whole seconds: accrual ignores nanoseconds, so must this check.
    if start.seconds() < now.seconds() {
        return Err(ContractError::StartInPast {
            start: start.seconds(),
            now: now.seconds(),
        });
    }
    let payee = deps.api.addr_validate(&payee)?;
    let mut account = load_open_account(deps.storage, account_id)?;
    if PAYMENTS.has(deps.storage, lease_id) {
        return Err(ContractError::PaymentExists { lease_id });
    }
    if account.payments >= MAX_PAYMENTS_PER_ACCOUNT {
        return Err(ContractError::TooManyPayments {
            account_id,
            max: MAX_PAYMENTS_PER_ACCOUNT,
        });
    }
    let available = account.available();
    if cap > available {
        return Err(ContractError::InsufficientFunds {
            account_id,
            available,
            requested: cap,
        });
    }

    account.reserved = account.reserved.checked_add(cap)?;
    account.open_payments += 1;
    account.payments += 1;
    ACCOUNTS.save(deps.storage, account_id, &account)?;
    let payment = Payment {
        account_id,
        payee,
        rate,
        start,
        cap,
        fee_bps,
        settled_until: start,
        released: Uint128::zero(),
        fees_paid: Uint128::zero(),
        withdrawn: Uint128::zero(),
        closed: false,
    };
    PAYMENTS.save(deps.storage, lease_id, &payment)?;
    PAYMENTS_BY_ACCOUNT.save(deps.storage, (account_id, lease_id), &())?;
    PAYMENTS_BY_PAYEE.save(deps.storage, (&payment.payee, lease_id), &())?;

    Ok(Response::new()
        .add_attribute("action", "open_payment")
        .add_attribute("account_id", account_id.to_string())
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("payee", payment.payee.as_str())
        .add_attribute("rate", format!("{}/{}s", rate.amount, rate.per_seconds))
        .add_attribute("cap", cap)
        .add_attribute("fee_bps", fee_bps.to_string()))
}

pub fn release(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    lease_id: u64,
    until: Option<Timestamp>,
) -> Result<Response, ContractError> {
    let config = load_marketplace_config(deps.storage, sender)?;
    let (mut payment, mut account) = load_open_payment(deps.storage, lease_id)?;
    let (released, fee) = settle(
        deps.storage,
        env,
        &config,
        &mut account,
        &mut payment,
        until,
    )?;
    ACCOUNTS.save(deps.storage, payment.account_id, &account)?;
    PAYMENTS.save(deps.storage, lease_id, &payment)?;

    Ok(Response::new()
        .add_submessages(fee)
        .add_attribute("action", "release")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("released", released)
        .add_attribute("settled_until", payment.settled_until.seconds().to_string()))
}

pub fn close_payment(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    lease_id: u64,
    until: Option<Timestamp>,
) -> Result<Response, ContractError> {
    let config = load_marketplace_config(deps.storage, sender)?;
    let (mut payment, mut account) = load_open_payment(deps.storage, lease_id)?;
    let account_id = payment.account_id;
    let fee = close_payment_in(
        deps.storage,
        env,
        &config,
        &mut account,
        lease_id,
        &mut payment,
        until,
    )?;
    ACCOUNTS.save(deps.storage, account_id, &account)?;
    PAYMENTS.save(deps.storage, lease_id, &payment)?;

    Ok(Response::new()
        .add_submessages(fee)
        .add_attribute("action", "close_payment")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("released", payment.released)
        .add_attribute("available", account.available()))
}

/// Settles up to `until`, then stops the payment and frees the unreleased part of its cap.
/// Returns the fee's submessage, if a fee is due.
pub(crate) fn close_payment_in(
    storage: &mut dyn Storage,
    env: &Env,
    config: &Config,
    account: &mut Account,
    lease_id: u64,
    payment: &mut Payment,
    until: Option<Timestamp>,
) -> Result<Option<SubMsg>, ContractError> {
    if payment.closed {
        return Err(ContractError::PaymentClosed { lease_id });
    }
    let (_, fee) = settle(storage, env, config, account, payment, until)?;
    let unreleased = payment.cap.checked_sub(payment.released)?;
    account.reserved = account.reserved.checked_sub(unreleased)?;
    account.open_payments = account.open_payments.saturating_sub(1);
    payment.closed = true;
    Ok(fee)
}

/// Releases what accrued up to `until` (at most now, never backwards): the fee leaves the account
/// at once for the fee collector (as a submessage whose failure leaves it here, uncollected, and
/// does not revert the release), the payee's share stays reserved in the account until withdrawn.
fn settle(
    storage: &mut dyn Storage,
    env: &Env,
    config: &Config,
    account: &mut Account,
    payment: &mut Payment,
    until: Option<Timestamp>,
) -> Result<(Uint128, Option<SubMsg>), ContractError> {
    let now = env.block.time;
    let target_time = until.unwrap_or(now).min(now).max(payment.settled_until);
    let target = accrued(payment, target_time).max(payment.released);
    let gross = target.checked_sub(payment.released)?;
    let fees_total = fee_on(target, payment.fee_bps);
    let fee = fees_total.checked_sub(payment.fees_paid)?;

    payment.settled_until = target_time;
    payment.released = target;
    payment.fees_paid = fees_total;
    // The gross leaves the cap's reservation; the payee's share of it stays reserved until
    // withdrawn, so only the fee stops being reserved.
    account.reserved = account.reserved.checked_sub(fee)?;
    ledger::debit(storage, account, fee)?;

    let fee = if fee.is_zero() {
        None
    } else {
        Some(fees::fee_submsg(config, &account.denom, fee)?)
    };
    Ok((gross, fee))
}

/// Sends `amount` of the payee's released funds to it.
pub(crate) fn pay_out(
    storage: &mut dyn Storage,
    account: &mut Account,
    payment: &mut Payment,
    amount: Uint128,
) -> Result<Option<CosmosMsg>, ContractError> {
    if amount.is_zero() {
        return Ok(None);
    }
    payment.withdrawn = payment.withdrawn.checked_add(amount)?;
    account.reserved = account.reserved.checked_sub(amount)?;
    ledger::debit(storage, account, amount)?;
    Ok(Some(account.denom.transfer_msg(&payment.payee, amount)?))
}

fn load_open_payment(
    storage: &dyn Storage,
    lease_id: u64,
) -> Result<(Payment, Account), ContractError> {
    let payment = PAYMENTS
        .may_load(storage, lease_id)?
        .ok_or(ContractError::PaymentNotFound { lease_id })?;
    if payment.closed {
        return Err(ContractError::PaymentClosed { lease_id });
    }
    let account = load_open_account(storage, payment.account_id)?;
    Ok((payment, account))
}
