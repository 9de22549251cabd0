//! An amount of a denomination, as tests speak of money.

use cosmwasm_std::{Addr, Uint128};
use gridshare_types::Denom;

#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    pub denom: Denom,
    pub amount: Uint128,
}

impl Asset {
    pub fn native(amount: u128, denom: &str) -> Self {
        Asset {
            denom: Denom::Native(denom.to_string()),
            amount: Uint128::new(amount),
        }
    }

    pub fn cw20(amount: u128, token: &Addr) -> Self {
        Asset {
            denom: Denom::Cw20(token.clone()),
            amount: Uint128::new(amount),
        }
    }
}
