//! What arrived with a message: nothing, or a proposal deposit.

use crate::msg::Deposit;
use crate::ContractError;
use cosmwasm_std::{Coin, MessageInfo};
use gridshare_types::Denom;

/// Rejects funds sent with a message that does not take any: they would join the treasury by
/// accident.
pub fn nonpayable(info: &MessageInfo) -> Result<(), ContractError> {
    if info.funds.is_empty() {
        Ok(())
    } else {
        Err(ContractError::UnexpectedFunds {
            funds: info
                .funds
                .iter()
                .map(Coin::to_string)
                .collect::<Vec<_>>()
                .join(","),
        })
    }
}

/// The native coin attached to `Propose`, if any (at most one denom).
pub fn native_deposit(info: &MessageInfo) -> Result<Option<Deposit>, ContractError> {
    match info.funds.as_slice() {
        [] => Ok(None),
        [coin] => Ok(Some(Deposit {
            denom: Denom::Native(coin.denom.clone()),
            amount: coin.amount,
        })),
        coins => Err(ContractError::MultipleDenoms {
            denoms: coins
                .iter()
                .map(|c| c.denom.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }),
    }
}

pub fn describe(deposit: &Deposit) -> String {
    format!("{} {}", deposit.amount, deposit.denom)
}

/// The deposit a proposal must carry against the one it came with.
pub fn check_deposit(
    required: Option<&Deposit>,
    provided: Option<&Deposit>,
) -> Result<(), ContractError> {
    match (required, provided) {
        (None, None) => Ok(()),
        (None, Some(got)) => Err(ContractError::UnexpectedDeposit { got: describe(got) }),
        (Some(required), None) => Err(ContractError::DepositRequired {
            required: describe(required),
        }),
        (Some(required), Some(got)) if required == got => Ok(()),
        (Some(required), Some(got)) => Err(ContractError::WrongDeposit {
            expected: describe(required),
            got: describe(got),
        }),
    }
}
