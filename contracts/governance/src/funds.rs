//! What arrived with `Propose`: nothing, or a proposal deposit. The generic checks (a message that
//! takes no funds, exactly one coin) are `gridshare_plumbing::funds`.

use crate::msg::Deposit;
use crate::ContractError;
use cosmwasm_std::MessageInfo;
use gridshare_plumbing::funds::one_coin;
use gridshare_types::Denom;

/// The native coin attached to `Propose`, if any (at most one denom: `MultipleDenoms` otherwise).
pub fn native_deposit(info: &MessageInfo) -> Result<Option<Deposit>, ContractError> {
    if info.funds.is_empty() {
        return Ok(None);
    }
    let coin = one_coin(info)?;
    Ok(Some(Deposit {
        denom: Denom::Native(coin.denom),
        amount: coin.amount,
    }))
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
