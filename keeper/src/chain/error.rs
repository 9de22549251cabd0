use std::time::Duration;

/// What went wrong talking to the chain. `is_transient` says whether trying again may help.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ChainError {
    #[error("cannot reach the node at {endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error("the node at {endpoint} refused the request: {reason}")]
    Refused { endpoint: String, reason: String },
    #[error("query {path} failed (code {code}): {log}")]
    Query {
        path: String,
        code: u32,
        log: String,
    },
    #[error("cannot decode {what}: {reason}")]
    Decode { what: &'static str, reason: String },
    #[error("account {address} does not exist on chain {chain_id} (fund it first)")]
    NoAccount { address: String, chain_id: String },
    #[error("simulation failed: {log}")]
    Simulation { log: String },
    #[error("transaction rejected by the mempool (code {code}, {codespace}): {log}")]
    CheckTx {
        code: u32,
        codespace: String,
        log: String,
    },
    #[error("transaction {hash} failed in block {height} (code {code}, {codespace}): {log}")]
    DeliverTx {
        hash: String,
        height: u64,
        code: u32,
        codespace: String,
        log: String,
    },
    /// Proven dropped (its timeout height passed with the account's sequence unused): safe to
    /// sign again.
    #[error("transaction {hash} not included after {waited:?}")]
    NotIncluded { hash: String, waited: Duration },
    /// Sent, and neither found in a block nor provably dropped: it may still land, so it is
    /// never signed again.
    #[error(
        "transaction {hash} is unconfirmed after {waited:?} (not sent again: it may still land)"
    )]
    Unconfirmed { hash: String, waited: Duration },
    #[error("account sequence mismatch: {log}")]
    SequenceMismatch { log: String },
    #[error("building the transaction failed: {reason}")]
    Build { reason: String },
    #[error(
        "chain id mismatch: the node at {endpoint} runs {actual:?}, the config says {expected:?}"
    )]
    WrongChain {
        endpoint: String,
        expected: String,
        actual: String,
    },
    #[error("the signer task has stopped")]
    SignerGone,
}

/// The SDK's codespace/code for a sequence mismatch (sdkerrors.ErrWrongSequence).
const SDK_WRONG_SEQUENCE: u32 = 32;

impl ChainError {
    /// Errors a retry with backoff can cure: the node is down, busy, or a tx raced ours.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ChainError::Unreachable { .. }
                | ChainError::SequenceMismatch { .. }
                | ChainError::NotIncluded { .. }
        )
    }

    /// Classifies a CheckTx or simulation failure; a wrong sequence is retried, not reported.
    pub(crate) fn from_check(code: u32, codespace: String, log: String) -> ChainError {
        if (code == SDK_WRONG_SEQUENCE && codespace == "sdk")
            || log.contains("account sequence mismatch")
        {
            ChainError::SequenceMismatch { log }
        } else {
            ChainError::CheckTx {
                code,
                codespace,
                log,
            }
        }
    }

    /// The readable core of an SDK error log: for a contract failure, "message index N: <the
    /// contract's error>", without the gRPC wrapping and wasmd's source location, which the
    /// node repeats.
    pub(crate) fn clean_log(log: &str) -> String {
        if let Some(start) = log.find("message index: ") {
            let rest = &log[start..];
            let end = [
                ": execute wasm contract failed",
                " [CosmWasm",
                ": unknown request",
            ]
            .iter()
            .filter_map(|m| rest.find(m))
            .min()
            .unwrap_or(rest.len());
            return rest[..end].to_string();
        }
        let log = log.trim_start_matches("rpc error: code = Unknown desc = ");
        log.split(" [CosmWasm")
            .next()
            .unwrap_or(log)
            .chars()
            .take(400)
            .collect()
    }

    /// The contract's own message inside a failed execution, e.g. "lease 17 not found".
    pub fn contract_message(&self) -> Option<&str> {
        let log = match self {
            ChainError::Simulation { log }
            | ChainError::CheckTx { log, .. }
            | ChainError::DeliverTx { log, .. }
            | ChainError::Query { log, .. } => log,
            _ => return None,
        };
        Some(log.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ChainError;

    #[test]
    fn contract_errors_are_cut_to_their_message() {
        let log = "rpc error: code = Unknown desc = failed to execute message; message index: 2: invalid durations: min 0 s: execute wasm contract failed [CosmWasm/wasmd/x/wasm/keeper/keeper.go:452] with gas used: '351885': unknown request: simulation failed: rpc error: code = Unknown desc = failed to execute message; message index: 2: invalid durations: min 0 s: execute wasm contract failed";
        assert_eq!(
            ChainError::clean_log(log),
            "message index: 2: invalid durations: min 0 s"
        );
        assert_eq!(ChainError::clean_log("out of gas"), "out of gas");
    }
}
