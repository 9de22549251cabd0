//! What arrived with a message, as a typed amount or a typed error.

use cosmwasm_std::{Coin, MessageInfo, Uint128};

#[derive(thiserror::Error, Debug, PartialEq)]
pub enum FundsError {
    #[error("no funds sent")]
    NoFunds,
    #[error("amount must be positive")]
    ZeroAmount,
    #[error("send exactly one denom, got {denoms}")]
    MultipleDenoms { denoms: String },
    #[error("this message takes no funds, got {funds}")]
    UnexpectedFunds { funds: String },
    #[error("expected {expected}, got {got}")]
    WrongDenom { expected: String, got: String },
}

/// Refuses funds sent with a message that takes none: nothing would account for them.
pub fn nonpayable(info: &MessageInfo) -> Result<(), FundsError> {
    if info.funds.is_empty() {
        return Ok(());
    }
    Err(FundsError::UnexpectedFunds {
        funds: crate::comma_list(&info.funds),
    })
}

/// Exactly one non-zero native coin.
pub fn one_coin(info: &MessageInfo) -> Result<Coin, FundsError> {
    match info.funds.as_slice() {
        [] => Err(FundsError::NoFunds),
        [coin] if coin.amount.is_zero() => Err(FundsError::ZeroAmount),
        [coin] => Ok(coin.clone()),
        coins => Err(FundsError::MultipleDenoms {
            denoms: crate::comma_list(coins.iter().map(|c| c.denom.as_str())),
        }),
    }
}

/// Exactly one non-zero coin of `denom`.
pub fn must_pay(info: &MessageInfo, denom: &str) -> Result<Uint128, FundsError> {
    let coin = one_coin(info)?;
    if coin.denom != denom {
        return Err(FundsError::WrongDenom {
            expected: denom.to_string(),
            got: coin.denom,
        });
    }
    Ok(coin.amount)
}

/// A positive amount (a cw20 `Send` of zero, say, is refused like an empty deposit).
pub fn ensure_positive(amount: Uint128) -> Result<Uint128, FundsError> {
    if amount.is_zero() {
        Err(FundsError::ZeroAmount)
    } else {
        Ok(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::message_info;
    use cosmwasm_std::{coin, Addr};

    fn info(funds: &[Coin]) -> MessageInfo {
        message_info(&Addr::unchecked("sender"), funds)
    }

    #[test]
    fn nonpayable_names_what_was_sent() {
        assert_eq!(nonpayable(&info(&[])), Ok(()));
        assert_eq!(
            nonpayable(&info(&[coin(5, "uusdc"), coin(1, "ugrid")])),
            Err(FundsError::UnexpectedFunds {
                funds: "5uusdc,1ugrid".into()
            })
        );
    }

    #[test]
    fn one_coin_takes_exactly_one_positive_coin() {
        assert_eq!(one_coin(&info(&[])), Err(FundsError::NoFunds));
        assert_eq!(
            one_coin(&info(&[coin(0, "uusdc")])),
            Err(FundsError::ZeroAmount)
        );
        assert_eq!(
            one_coin(&info(&[coin(1, "a1x"), coin(2, "b2x")])),
            Err(FundsError::MultipleDenoms {
                denoms: "a1x,b2x".into()
            })
        );
        assert_eq!(one_coin(&info(&[coin(7, "uusdc")])), Ok(coin(7, "uusdc")));
    }

    #[test]
    fn must_pay_checks_the_denom() {
        assert_eq!(
            must_pay(&info(&[coin(7, "uatom")]), "uusdc"),
            Err(FundsError::WrongDenom {
                expected: "uusdc".into(),
                got: "uatom".into()
            })
        );
        assert_eq!(
            must_pay(&info(&[coin(7, "uusdc")]), "uusdc"),
            Ok(Uint128::new(7))
        );
        assert_eq!(
            ensure_positive(Uint128::zero()),
            Err(FundsError::ZeroAmount)
        );
    }
}
