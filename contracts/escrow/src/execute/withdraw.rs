//! A payee takes what the marketplace has released to it.

use crate::execute::payment::pay_out;
use crate::state::{ACCOUNTS, PAYMENTS};
use crate::{ContractError, MAX_WITHDRAW_BATCH};
use cosmwasm_std::{Addr, DepsMut, Response, Uint128};

pub fn withdraw(
    deps: DepsMut,
    sender: &Addr,
    mut lease_ids: Vec<u64>,
) -> Result<Response, ContractError> {
    if lease_ids.is_empty() || lease_ids.len() > MAX_WITHDRAW_BATCH {
        return Err(ContractError::InvalidWithdrawBatch {
            got: lease_ids.len(),
            max: MAX_WITHDRAW_BATCH,
        });
    }
    lease_ids.sort_unstable();
    lease_ids.dedup();

    // Check the whole batch before paying any of it, so that a bad id changes nothing.
    let mut payments = Vec::with_capacity(lease_ids.len());
    for &lease_id in &lease_ids {
        let payment = PAYMENTS
            .may_load(deps.storage, lease_id)?
            .ok_or(ContractError::PaymentNotFound { lease_id })?;
        if payment.payee != *sender {
            return Err(ContractError::NotPayee {
                sender: sender.to_string(),
                lease_id,
            });
        }
        payments.push((lease_id, payment));
    }

    let mut response = Response::new();
    let mut total = Uint128::zero();
    for (lease_id, mut payment) in payments {
        let amount = payment.withdrawable();
        let mut account = ACCOUNTS.load(deps.storage, payment.account_id)?;
        if let Some(msg) = pay_out(deps.storage, &mut account, &mut payment, amount)? {
            response = response.add_message(msg);
            total = total.checked_add(amount)?;
            ACCOUNTS.save(deps.storage, payment.account_id, &account)?;
            PAYMENTS.save(deps.storage, lease_id, &payment)?;
        }
    }
    if response.messages.is_empty() {
        return Err(ContractError::NothingToWithdraw { lease_ids });
    }

    Ok(response
        .add_attribute("action", "withdraw")
        .add_attribute("payee", sender.as_str())
        .add_attribute("amount", total))
}
