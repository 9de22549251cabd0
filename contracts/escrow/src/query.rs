//! Read-only views; every list is paginated and clamped.

use crate::accrual::accrued;
use crate::state::{
    Account, Payment, ACCOUNTS, ACCOUNTS_BY_DEPOSITOR, CONFIG, PAYMENTS, PAYMENTS_BY_ACCOUNT,
    PAYMENTS_BY_PAYEE, TOTALS, UNCOLLECTED_FEES,
};
use cosmwasm_std::{Deps, Env, Order, StdError, StdResult};
use cw_storage_plus::Bound;
use gridshare_types::escrow::{
    AccountResponse, AccountsResponse, ConfigResponse, PaymentResponse, PaymentsResponse,
    TotalsResponse, UncollectedFeesResponse,
};
use gridshare_types::owner::OwnershipResponse;
use gridshare_types::pagination::clamp_limit;

pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    let config = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        owner: config.owner,
        marketplace: config.marketplace,
        fee_collector: config.fee_collector,
        accepted_denoms: config.accepted_denoms,
    })
}

pub fn ownership(deps: Deps) -> StdResult<OwnershipResponse> {
    let config = CONFIG.load(deps.storage)?;
    gridshare_plumbing::owner::ownership(deps.storage, config.owner)
}

pub fn account(deps: Deps, account_id: u64) -> StdResult<AccountResponse> {
    let account = ACCOUNTS
        .may_load(deps.storage, account_id)?
        .ok_or_else(|| StdError::not_found(format!("account {account_id}")))?;
    Ok(account_response(account_id, account))
}

pub fn accounts_by_depositor(
    deps: Deps,
    depositor: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<AccountsResponse> {
    let depositor = deps.api.addr_validate(&depositor)?;
    let accounts = ACCOUNTS_BY_DEPOSITOR
        .prefix(&depositor)
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|id| {
            let id = id?;
            Ok(account_response(id, ACCOUNTS.load(deps.storage, id)?))
        })
        .collect::<StdResult<_>>()?;
    Ok(AccountsResponse { accounts })
}

pub fn payment(deps: Deps, env: &Env, lease_id: u64) -> StdResult<PaymentResponse> {
    let payment = PAYMENTS
        .may_load(deps.storage, lease_id)?
        .ok_or_else(|| StdError::not_found(format!("payment for lease {lease_id}")))?;
    Ok(payment_response(env, lease_id, payment))
}

pub fn payments_by_account(
    deps: Deps,
    env: &Env,
    account_id: u64,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<PaymentsResponse> {
    let payments = PAYMENTS_BY_ACCOUNT
        .prefix(account_id)
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|id| {
            let id = id?;
            Ok(payment_response(env, id, PAYMENTS.load(deps.storage, id)?))
        })
        .collect::<StdResult<_>>()?;
    Ok(PaymentsResponse { payments })
}

pub fn payments_by_payee(
    deps: Deps,
    env: &Env,
    payee: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<PaymentsResponse> {
    let payee = deps.api.addr_validate(&payee)?;
    let payments = PAYMENTS_BY_PAYEE
        .prefix(&payee)
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|id| {
            let id = id?;
            Ok(payment_response(env, id, PAYMENTS.load(deps.storage, id)?))
        })
        .collect::<StdResult<_>>()?;
    Ok(PaymentsResponse { payments })
}

pub fn totals(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<TotalsResponse> {
    let totals = TOTALS
        .range(
            deps.storage,
            start_after.as_deref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| item.map(|(_, total)| total))
        .collect::<StdResult<_>>()?;
    Ok(TotalsResponse { totals })
}

pub fn uncollected_fees(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<UncollectedFeesResponse> {
    let fees = UNCOLLECTED_FEES
        .range(
            deps.storage,
            start_after.as_deref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| item.map(|(_, fees)| fees))
        .collect::<StdResult<_>>()?;
    Ok(UncollectedFeesResponse { fees })
}

fn account_response(account_id: u64, account: Account) -> AccountResponse {
    AccountResponse {
        account_id,
        available: account.available(),
        depositor: account.depositor,
        denom: account.denom,
        balance: account.balance,
        reserved: account.reserved,
        open_payments: account.open_payments,
        closed: account.closed,
    }
}

fn payment_response(env: &Env, lease_id: u64, payment: Payment) -> PaymentResponse {
    let releasable = if payment.closed {
        Default::default()
    } else {
        accrued(&payment, env.block.time).saturating_sub(payment.released)
    };
    PaymentResponse {
        lease_id,
        withdrawable: payment.withdrawable(),
        releasable,
        account_id: payment.account_id,
        payee: payment.payee,
        rate: payment.rate,
        start: payment.start.seconds(),
        cap: payment.cap,
        fee_bps: payment.fee_bps,
        settled_until: payment.settled_until.seconds(),
        released: payment.released,
        fees_paid: payment.fees_paid,
        withdrawn: payment.withdrawn,
        closed: payment.closed,
    }
}
