//! The two kinds of asset GridShare moves: native bank coins and cw20 tokens.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Api, BankMsg, Binary, Coin, CosmosMsg, StdResult, Uint128, WasmMsg,
};
use std::fmt;

/// A validated denomination.
#[cw_serde]
#[derive(Eq, PartialOrd, Ord, Hash)]
pub enum Denom {
    /// A bank denom such as `ugrid` or `ibc/…`.
    Native(String),
    /// A cw20 token contract.
    Cw20(Addr),
}

/// A denomination as a user writes it; validated into [`Denom`].
#[cw_serde]
pub enum UncheckedDenom {
    /// A bank denom such as `ugrid` or `ibc/…`: 3 to 128 characters, a letter first, then
    /// letters, digits and `/:._-`.
    Native(String),
    /// The bech32 address of a cw20 token contract.
    Cw20(String),
}

#[derive(thiserror::Error, Debug, PartialEq)]
pub enum DenomError {
    #[error("invalid native denom {denom:?}: {reason}")]
    InvalidNative { denom: String, reason: &'static str },
    #[error("invalid cw20 address {address:?}: {reason}")]
    InvalidCw20 { address: String, reason: String },
}

impl UncheckedDenom {
    pub fn validate(&self, api: &dyn Api) -> Result<Denom, DenomError> {
        match self {
            UncheckedDenom::Native(denom) => {
                validate_native_denom(denom)?;
                Ok(Denom::Native(denom.clone()))
            }
            UncheckedDenom::Cw20(address) => {
                api.addr_validate(address)
                    .map(Denom::Cw20)
                    .map_err(|e| DenomError::InvalidCw20 {
                        address: address.clone(),
                        reason: e.to_string(),
                    })
            }
        }
    }
}

/// The Cosmos SDK rule: 3..=128 characters, a letter first, then letters, digits and `/:._-`.
fn validate_native_denom(denom: &str) -> Result<(), DenomError> {
    let invalid = |reason| DenomError::InvalidNative {
        denom: denom.to_string(),
        reason,
    };
    if denom.len() < 3 || denom.len() > 128 {
        return Err(invalid("length must be between 3 and 128"));
    }
    let mut chars = denom.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(invalid("must start with a letter"));
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || "/:._-".contains(c)) {
        return Err(invalid("may only contain letters, digits and /:._-"));
    }
    Ok(())
}

impl From<Denom> for UncheckedDenom {
    fn from(denom: Denom) -> Self {
        match denom {
            Denom::Native(d) => UncheckedDenom::Native(d),
            Denom::Cw20(a) => UncheckedDenom::Cw20(a.into_string()),
        }
    }
}

impl Denom {
    /// A stable string that identifies the denom in storage keys and events.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// A message that pays `amount` of this denom to `recipient`.
    pub fn transfer_msg(&self, recipient: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
        Ok(match self {
            Denom::Native(denom) => BankMsg::Send {
                to_address: recipient.to_string(),
                amount: vec![Coin::new(amount, denom)],
            }
            .into(),
            Denom::Cw20(token) => WasmMsg::Execute {
                contract_addr: token.to_string(),
                msg: to_json_binary(&Cw20Call::Transfer {
                    recipient: recipient.to_string(),
                    amount,
                })?,
                funds: vec![],
            }
            .into(),
        })
    }

    /// A message that executes `contract` with `msg` and `amount` of this denom attached: native
    /// funds ride along with the execute; a cw20 goes through `Send`, so the contract receives
    /// `msg` inside its `Receive` hook.
    pub fn execute_with_funds_msg(
        &self,
        contract: &Addr,
        msg: Binary,
        amount: Uint128,
    ) -> StdResult<CosmosMsg> {
        Ok(match self {
            Denom::Native(denom) => WasmMsg::Execute {
                contract_addr: contract.to_string(),
                msg,
                funds: vec![Coin::new(amount, denom)],
            }
            .into(),
            Denom::Cw20(token) => WasmMsg::Execute {
                contract_addr: token.to_string(),
                msg: to_json_binary(&Cw20Call::Send {
                    contract: contract.to_string(),
                    amount,
                    msg,
                })?,
                funds: vec![],
            }
            .into(),
        })
    }
}

impl fmt::Display for Denom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denom::Native(d) => write!(f, "native:{d}"),
            Denom::Cw20(a) => write!(f, "cw20:{a}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockApi;

    #[test]
    fn native_denoms_follow_the_sdk_rule() {
        let api = MockApi::default();
        for ok in [
            "ugrid",
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
            "factory/x/y",
            "a.b-c_d:e",
        ] {
            assert_eq!(
                UncheckedDenom::Native(ok.into()).validate(&api),
                Ok(Denom::Native(ok.into()))
            );
        }
        for bad in ["", "ab", "1abc", "u grid", "ugrid!", &"u".repeat(129)] {
            assert!(matches!(
                UncheckedDenom::Native(bad.into()).validate(&api),
                Err(DenomError::InvalidNative { .. })
            ));
        }
    }

    #[test]
    fn cw20_denoms_must_be_valid_addresses() {
        let api = MockApi::default();
        let token = api.addr_make("token");
        assert_eq!(
            UncheckedDenom::Cw20(token.to_string()).validate(&api),
            Ok(Denom::Cw20(token))
        );
        assert!(matches!(
            UncheckedDenom::Cw20("not an address".into()).validate(&api),
            Err(DenomError::InvalidCw20 { .. })
        ));
    }

    #[test]
    fn keys_distinguish_kinds() {
        assert_eq!(Denom::Native("ugrid".into()).key(), "native:ugrid");
        assert_eq!(Denom::Cw20(Addr::unchecked("c1")).key(), "cw20:c1");
    }
}

/// The two cw20 messages GridShare's contracts send, serialized exactly as `cw20::Cw20ExecuteMsg`
/// (checked by a test) without instantiating that enum's serializer for the dozen variants never
/// sent: every contract that pays in a cw20 carries this code.
#[derive(serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum Cw20Call {
    Transfer {
        recipient: String,
        amount: Uint128,
    },
    Send {
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
}

#[cfg(test)]
mod cw20_wire_tests {
    use super::*;
    use cw20::Cw20ExecuteMsg;

    #[test]
    fn cw20_calls_serialize_as_the_cw20_standard() {
        let amount = Uint128::new(7);
        assert_eq!(
            to_json_binary(&Cw20Call::Transfer {
                recipient: "r".into(),
                amount
            })
            .unwrap(),
            to_json_binary(&Cw20ExecuteMsg::Transfer {
                recipient: "r".into(),
                amount
            })
            .unwrap()
        );
        let msg = Binary::from(b"{}".to_vec());
        assert_eq!(
            to_json_binary(&Cw20Call::Send {
                contract: "c".into(),
                amount,
                msg: msg.clone()
            })
            .unwrap(),
            to_json_binary(&Cw20ExecuteMsg::Send {
                contract: "c".into(),
                amount,
                msg
            })
            .unwrap()
        );
    }
}
