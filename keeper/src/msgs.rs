//! Contract messages as protobuf `Any`s, ready for the signer.

use crate::chain::Any;
use crate::deploy::DeployError;
use cosmrs::cosmwasm::{MsgExecuteContract, MsgInstantiateContract, MsgStoreCode};
use cosmrs::tx::Msg;
use cosmrs::{AccountId, Coin};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum MsgError {
    #[error("{what} {value:?} is not a valid address: {reason}")]
    Address {
        what: &'static str,
        value: String,
        reason: String,
    },
    #[error("coin {amount}{denom} is not valid: {reason}")]
    Coin {
        amount: u128,
        denom: String,
        reason: String,
    },
    #[error("message does not encode: {0}")]
    Encode(String),
}

impl From<MsgError> for DeployError {
    fn from(e: MsgError) -> Self {
        DeployError::Plan(e.to_string())
    }
}

fn account(what: &'static str, value: &str) -> Result<AccountId, MsgError> {
    value
        .parse()
        .map_err(|e: cosmrs::ErrorReport| MsgError::Address {
            what,
            value: value.to_string(),
            reason: e.to_string(),
        })
}

pub fn coin(amount: u128, denom: &str) -> Result<Coin, MsgError> {
    let bad = |reason: String| MsgError::Coin {
        amount,
        denom: denom.to_string(),
        reason,
    };
    Ok(Coin {
        denom: denom
            .parse()
            .map_err(|e: cosmrs::ErrorReport| bad(e.to_string()))?,
        amount,
    })
}

fn encode(result: Result<Any, cosmrs::ErrorReport>) -> Result<Any, MsgError> {
    result.map_err(|e| MsgError::Encode(e.to_string()))
}

/// Uploads gzipped, as wasmd's own CLI does: a third of the bytes, so even the largest contract
/// fits the default 1 MB RPC request limit. The chain checksums the unzipped code.
pub fn store_code(sender: &str, wasm: &[u8]) -> Result<Any, MsgError> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(wasm)
        .map_err(|e| MsgError::Encode(e.to_string()))?;
    let zipped = gz.finish().map_err(|e| MsgError::Encode(e.to_string()))?;
    encode(
        MsgStoreCode {
            sender: account("sender", sender)?,
            wasm_byte_code: zipped,
            instantiate_permission: None,
        }
        .to_any(),
    )
}

/// Instantiates with the sender as admin, so the suite can be migrated (by governance, after
/// the hand-over).
pub fn instantiate(
    sender: &str,
    code_id: u64,
    label: &str,
    msg: &impl Serialize,
) -> Result<Any, MsgError> {
    let sender_id = account("sender", sender)?;
    encode(
        MsgInstantiateContract {
            sender: sender_id.clone(),
            admin: Some(sender_id),
            code_id,
            label: Some(label.to_string()),
            msg: serde_json::to_vec(msg).map_err(|e| MsgError::Encode(e.to_string()))?,
            funds: vec![],
        }
        .to_any(),
    )
}

pub fn execute(
    sender: &str,
    contract: &str,
    msg: &impl Serialize,
    funds: Vec<Coin>,
) -> Result<Any, MsgError> {
    encode(
        MsgExecuteContract {
            sender: account("sender", sender)?,
            contract: account("contract", contract)?,
            msg: serde_json::to_vec(msg).map_err(|e| MsgError::Encode(e.to_string()))?,
            funds,
        }
        .to_any(),
    )
}
