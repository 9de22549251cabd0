//! Read access to the chain plus the raw broadcast path; signing lives in [`super::Signer`].

use super::ChainError;
use cosmrs::proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use cosmrs::proto::cosmos::bank::v1beta1::{QueryBalanceRequest, QueryBalanceResponse};
use cosmrs::proto::cosmos::base::query::v1beta1::PageRequest;
use cosmrs::proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use cosmrs::proto::cosmwasm::wasm::v1::{
    QueryCodesRequest, QueryCodesResponse, QueryContractInfoRequest, QueryContractInfoResponse,
    QuerySmartContractStateRequest, QuerySmartContractStateResponse,
};
use cosmrs::proto::prost::Message;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::{Client, HttpClient, Url};

/// Where the chain is and how to pay for transactions on it.
#[derive(Clone, Debug)]
pub struct ChainConfig {
    /// CometBFT RPC, e.g. `http://127.0.0.1:26657`; its `/websocket` carries events.
    pub rpc: String,
    /// More RPC endpoints of the same chain, used in turn when the current one is unreachable,
    /// catching up, or behind.
    pub fallback_rpcs: Vec<String>,
    pub chain_id: String,
    /// Bech32 prefix of account addresses (`wasm` on wasmd).
    pub prefix: String,
    /// e.g. `0.025ugrid`.
    pub gas_price: GasPrice,
    /// Simulated gas is multiplied by this before signing.
    pub gas_adjustment: f64,
    /// How long to wait for a broadcast transaction to land in a block.
    pub tx_timeout: Duration,
}

/// A gas price as the SDK writes it: a decimal amount and a denom, kept exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GasPrice {
    /// The amount times 10^`scale`.
    mantissa: u128,
    scale: u32,
    pub denom: String,
}

impl GasPrice {
    /// The fee for `gas`, rounded up so a node's minimum is always met.
    pub fn fee_for(&self, gas: u64) -> u128 {
        let unit = 10u128.pow(self.scale);
        (u128::from(gas).saturating_mul(self.mantissa)).div_ceil(unit)
    }
}

impl FromStr for GasPrice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("gas price {s:?} has no denom (write e.g. 0.025ugrid)"))?;
        let (amount, denom) = s.split_at(split);
        let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
        if int.is_empty() && frac.is_empty() || frac.len() > 18 {
            return Err(format!("gas price {s:?} has no valid amount"));
        }
        let digits = format!("{int}{frac}");
        let mantissa = digits
            .parse::<u128>()
            .map_err(|e| format!("gas price {s:?}: {e}"))?;
        Ok(GasPrice {
            mantissa,
            scale: frac.len() as u32,
            denom: denom.to_string(),
        })
    }
}

/// A transaction that made it into a block and succeeded.
#[derive(Clone, Debug)]
pub struct TxOutcome {
    pub hash: String,
    pub height: u64,
    pub gas_wanted: u64,
    pub gas_used: u64,
    pub events: Vec<cosmrs::tendermint::abci::Event>,
}

impl TxOutcome {
    /// Values of attribute `key` on events of kind `kind` (e.g. `wasm`, `instantiate`).
    pub fn attributes<'a>(
        &'a self,
        kind: &'a str,
        key: &'a str,
    ) -> impl Iterator<Item = String> + 'a {
        self.events
            .iter()
            .filter(move |e| e.kind == kind)
            .flat_map(|e| e.attributes.iter())
            .filter(move |a| a.key_str().is_ok_and(|k| k == key))
            .filter_map(|a| a.value_str().ok().map(str::to_string))
    }

    pub fn first_attribute(&self, kind: &str, key: &str) -> Option<String> {
        self.attributes(kind, key).next()
    }
}

#[derive(Clone)]
pub struct ChainClient {
    /// `rpc` first, then the fallbacks; `current` indexes the one in use.
    nodes: Arc<[(String, HttpClient)]>,
    current: Arc<AtomicUsize>,
    pub config: ChainConfig,
}

/// Largest number of code pages read while looking for a checksum (100 codes a page).
const MAX_CODE_PAGES: usize = 100;
/// A node whose latest block is older than this is behind (when another node may be current).
const MAX_BLOCK_AGE_SECONDS: i64 = 120;

impl ChainClient {
    pub fn new(config: ChainConfig) -> Result<Self, ChainError> {
        let mut nodes = vec![];
        for rpc in std::iter::once(&config.rpc).chain(&config.fallback_rpcs) {
            nodes.push((rpc.clone(), http_client(rpc)?));
        }
        Ok(ChainClient {
            nodes: nodes.into(),
            current: Arc::new(AtomicUsize::new(0)),
            config,
        })
    }

    fn node(&self) -> &(String, HttpClient) {
        &self.nodes[self.current.load(Ordering::Relaxed) % self.nodes.len()]
    }

    fn http(&self) -> &HttpClient {
        &self.node().1
    }

    /// The endpoint in use.
    pub fn endpoint(&self) -> &str {
        &self.node().0
    }

    /// Moves to the next endpoint, if there is another; the caller's retry goes there.
    fn fail_over(&self, why: &str) {
        if self.nodes.len() > 1 {
            let from = self.endpoint().to_string();
            self.current.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(from = %from, to = %self.endpoint(), %why, "RPC endpoint failed over");
        }
    }

    /// A transport error: the node is down or busy (transient: the next endpoint is tried), or
    /// it refused the request as malformed or too large (HTTP 4xx: retrying cannot help).
    fn unreachable(&self, e: impl std::fmt::Display) -> ChainError {
        // tendermint-rpc appends a multi-line trace; the first line is the message.
        let text = e.to_string();
        let reason = text.lines().next().unwrap_or_default().trim().to_string();
        let endpoint = self.endpoint().to_string();
        if reason.contains("status code: 4") {
            ChainError::Refused { endpoint, reason }
        } else {
            self.fail_over(&reason);
            ChainError::Unreachable { endpoint, reason }
        }
    }

    /// Checks that the node answers and runs the configured chain; returns the latest height.
    pub async fn check_chain(&self) -> Result<u64, ChainError> {
        let mut last = None;
        for _ in 0..self.nodes.len() {
            let status = match self.http().status().await {
                Ok(status) => status,
                Err(e) => {
                    last = Some(self.unreachable(e));
                    continue;
                }
            };
            let actual = status.node_info.network.to_string();
            if actual != self.config.chain_id {
                return Err(ChainError::WrongChain {
                    endpoint: self.endpoint().to_string(),
                    expected: self.config.chain_id.clone(),
                    actual,
                });
            }
            return Ok(status.sync_info.latest_block_height.value());
        }
        Err(last.unwrap_or_else(|| ChainError::Unreachable {
            endpoint: self.endpoint().to_string(),
            reason: "no endpoint".into(),
        }))
    }

    /// The latest block's height and time (seconds since the epoch).
    pub async fn latest_block(&self) -> Result<(u64, u64), ChainError> {
        let status = self
            .http()
            .status()
            .await
            .map_err(|e| self.unreachable(e))?;
        let time = status.sync_info.latest_block_time.unix_timestamp();
        // A node that is catching up or whose last block is old answers from the past: with
        // another endpoint configured, move there rather than act on stale state.
        if self.nodes.len() > 1 {
            let age = unix_now_i64().saturating_sub(time);
            let why = if status.sync_info.catching_up {
                Some("catching up".to_string())
            } else if age > MAX_BLOCK_AGE_SECONDS {
                Some(format!("its latest block is {age} s old"))
            } else {
                None
            };
            if let Some(why) = why {
                let endpoint = self.endpoint().to_string();
                self.fail_over(&why);
                return Err(ChainError::Unreachable {
                    endpoint,
                    reason: why,
                });
            }
        }
        Ok((
            status.sync_info.latest_block_height.value(),
            u64::try_from(time).unwrap_or(0),
        ))
    }

    async fn abci<Req: Message, Resp: Message + Default>(
        &self,
        path: &str,
        request: Req,
        what: &'static str,
    ) -> Result<Resp, ChainError> {
        let response = self
            .http()
            .abci_query(Some(path.to_string()), request.encode_to_vec(), None, false)
            .await
            .map_err(|e| self.unreachable(e))?;
        if response.code.is_err() {
            return Err(ChainError::Query {
                path: path.to_string(),
                code: response.code.value(),
                log: response.log,
            });
        }
        Resp::decode(response.value.as_slice()).map_err(|e| ChainError::Decode {
            what,
            reason: e.to_string(),
        })
    }

    /// A contract's smart query, JSON in and out.
    pub async fn query<Q: Serialize, R: DeserializeOwned>(
        &self,
        contract: &str,
        query: &Q,
    ) -> Result<R, ChainError> {
        let query_data = serde_json::to_vec(query).map_err(|e| ChainError::Build {
            reason: format!("query does not serialize: {e}"),
        })?;
        let response: QuerySmartContractStateResponse = self
            .abci(
                "/cosmwasm.wasm.v1.Query/SmartContractState",
                QuerySmartContractStateRequest {
                    address: contract.to_string(),
                    query_data,
                },
                "a smart query response",
            )
            .await?;
        serde_json::from_slice(&response.data).map_err(|e| ChainError::Decode {
            what: "a contract's JSON answer",
            reason: e.to_string(),
        })
    }

    /// `(account_number, sequence)` of an existing account.
    pub async fn account(&self, address: &str) -> Result<(u64, u64), ChainError> {
        let response: Result<QueryAccountResponse, _> = self
            .abci(
                "/cosmos.auth.v1beta1.Query/Account",
                QueryAccountRequest {
                    address: address.to_string(),
                },
                "an account",
            )
            .await;
        let response = match response {
            Err(ChainError::Query { log, .. }) if log.contains("not found") => {
                return Err(ChainError::NoAccount {
                    address: address.to_string(),
                    chain_id: self.config.chain_id.clone(),
                })
            }
            other => other?,
        };
        let any = response.account.ok_or_else(|| ChainError::NoAccount {
            address: address.to_string(),
            chain_id: self.config.chain_id.clone(),
        })?;
        let base = BaseAccount::decode(any.value.as_slice()).map_err(|e| ChainError::Decode {
            what: "a base account",
            reason: e.to_string(),
        })?;
        Ok((base.account_number, base.sequence))
    }

    /// A bank balance.
    pub async fn balance(&self, address: &str, denom: &str) -> Result<u128, ChainError> {
        let response: QueryBalanceResponse = self
            .abci(
                "/cosmos.bank.v1beta1.Query/Balance",
                QueryBalanceRequest {
                    address: address.to_string(),
                    denom: denom.to_string(),
                },
                "a balance",
            )
            .await?;
        let amount = response.balance.map(|c| c.amount).unwrap_or_default();
        if amount.is_empty() {
            return Ok(0);
        }
        amount
            .parse()
            .map_err(|e: std::num::ParseIntError| ChainError::Decode {
                what: "a balance amount",
                reason: e.to_string(),
            })
    }

    /// The x/authz grants `granter` gave `grantee` for contract calls.
    pub async fn contract_grants(
        &self,
        granter: &str,
        grantee: &str,
    ) -> Result<Vec<cosmrs::proto::cosmos::authz::v1beta1::Grant>, ChainError> {
        use cosmrs::proto::cosmos::authz::v1beta1::{QueryGrantsRequest, QueryGrantsResponse};
        let response: Result<QueryGrantsResponse, _> = self
            .abci(
                "/cosmos.authz.v1beta1.Query/Grants",
                QueryGrantsRequest {
                    granter: granter.to_string(),
                    grantee: grantee.to_string(),
                    msg_type_url: "/cosmwasm.wasm.v1.MsgExecuteContract".into(),
                    pagination: None,
                },
                "authz grants",
            )
            .await;
        // Asked for one message type, the SDK answers "not found" rather than an empty list.
        match response {
            Ok(r) => Ok(r.grants),
            Err(ChainError::Query { log, .. }) if log.contains("not found") => Ok(vec![]),
            Err(e) => Err(e),
        }
    }

    /// Whether `granter` pays `grantee`'s fees (an x/feegrant allowance exists).
    pub async fn has_fee_allowance(
        &self,
        granter: &str,
        grantee: &str,
    ) -> Result<bool, ChainError> {
        use cosmrs::proto::cosmos::feegrant::v1beta1::{
            QueryAllowanceRequest, QueryAllowanceResponse,
        };
        let response: Result<QueryAllowanceResponse, _> = self
            .abci(
                "/cosmos.feegrant.v1beta1.Query/Allowance",
                QueryAllowanceRequest {
                    granter: granter.to_string(),
                    grantee: grantee.to_string(),
                },
                "a fee allowance",
            )
            .await;
        match response {
            Ok(r) => Ok(r.allowance.is_some()),
            Err(ChainError::Query { log, .. }) if log.contains("not found") => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Every stored code as `(code_id, lowercase hex checksum)`, paged.
    pub async fn codes(&self) -> Result<Vec<(u64, String)>, ChainError> {
        let mut out = vec![];
        let mut key = vec![];
        for _ in 0..MAX_CODE_PAGES {
            let page: QueryCodesResponse = self
                .abci(
                    "/cosmwasm.wasm.v1.Query/Codes",
                    QueryCodesRequest {
                        pagination: Some(PageRequest {
                            key: key.clone(),
                            offset: 0,
                            limit: 100,
                            count_total: false,
                            reverse: false,
                        }),
                    },
                    "the code list",
                )
                .await?;
            out.extend(
                page.code_infos
                    .iter()
                    .map(|c| (c.code_id, hex::encode(&c.data_hash))),
            );
            match page.pagination {
                Some(p) if !p.next_key.is_empty() => key = p.next_key,
                _ => break,
            }
        }
        Ok(out)
    }

    /// The code id behind a contract address, or `None` when no such contract exists.
    pub async fn contract_code_id(&self, address: &str) -> Result<Option<u64>, ChainError> {
        let response: Result<QueryContractInfoResponse, _> = self
            .abci(
                "/cosmwasm.wasm.v1.Query/ContractInfo",
                QueryContractInfoRequest {
                    address: address.to_string(),
                },
                "contract info",
            )
            .await;
        match response {
            Ok(info) => Ok(info.contract_info.map(|c| c.code_id)),
            Err(ChainError::Query { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Gas the transaction would use (signature checks skipped, as the SDK does in simulation).
    pub async fn simulate(&self, tx_bytes: Vec<u8>) -> Result<u64, ChainError> {
        #[allow(deprecated)]
        let request = SimulateRequest { tx: None, tx_bytes };
        let response: Result<SimulateResponse, _> = self
            .abci(
                "/cosmos.tx.v1beta1.Service/Simulate",
                request,
                "a simulation",
            )
            .await;
        match response {
            Ok(r) => Ok(r.gas_info.map(|g| g.gas_used).unwrap_or(0)),
            Err(ChainError::Query { log, .. }) => {
                if log.contains("account sequence mismatch") {
                    Err(ChainError::SequenceMismatch { log })
                } else {
                    Err(ChainError::Simulation {
                        log: ChainError::clean_log(&log),
                    })
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Sends a signed transaction; returns its hash once CheckTx accepted it.
    pub async fn broadcast(&self, tx_bytes: Vec<u8>) -> Result<String, ChainError> {
        let response = self
            .http()
            .broadcast_tx_sync(tx_bytes)
            .await
            .map_err(|e| self.unreachable(e))?;
        if response.code.is_err() {
            return Err(ChainError::from_check(
                response.code.value(),
                response.codespace,
                response.log,
            ));
        }
        Ok(response.hash.to_string())
    }

    /// The transaction's result if the node's index has it; `None` when it is not (yet) there
    /// or the node keeps no index.
    pub async fn tx_indexed(&self, hash: &str) -> Result<Option<TxOutcome>, ChainError> {
        let parsed = cosmrs::tendermint::Hash::from_str(hash).map_err(|e| ChainError::Decode {
            what: "a transaction hash",
            reason: e.to_string(),
        })?;
        match self.http().tx(parsed, false).await {
            Ok(found) => outcome(hash, found.height.value(), found.tx_result).map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Looks for the transaction `hash` in blocks `from..=to` (at most [`MAX_BLOCK_SCAN`]), by
    /// the hash of each transaction's bytes, and reads its result from the block results: works
    /// on a node that indexes no transactions.
    pub async fn find_in_blocks(
        &self,
        hash: &str,
        from: u64,
        to: u64,
    ) -> Result<Option<TxOutcome>, ChainError> {
        use sha2::{Digest, Sha256};
        let wanted = hash.to_ascii_uppercase();
        let from = from.max(to.saturating_sub(MAX_BLOCK_SCAN));
        for height in from..=to {
            let h = cosmrs::tendermint::block::Height::try_from(height).map_err(|e| {
                ChainError::Decode {
                    what: "a block height",
                    reason: e.to_string(),
                }
            })?;
            let block = self
                .http()
                .block(h)
                .await
                .map_err(|e| self.unreachable(e))?;
            let Some(index) = block
                .block
                .data
                .iter()
                .position(|tx| hex::encode_upper(Sha256::digest(tx)) == wanted)
            else {
                continue;
            };
            let results = self
                .http()
                .block_results(h)
                .await
                .map_err(|e| self.unreachable(e))?;
            let result = results
                .txs_results
                .and_then(|r| r.into_iter().nth(index))
                .ok_or_else(|| ChainError::Decode {
                    what: "block results",
                    reason: format!("block {height} has no result for transaction {index}"),
                })?;
            return outcome(hash, height, result).map(Some);
        }
        Ok(None)
    }

    /// CometBFT's tx_search: the first 100 matches, oldest first, and the total count.
    async fn tx_search(
        &self,
        query: &str,
    ) -> Result<tendermint_rpc::endpoint::tx_search::Response, ChainError> {
        let query =
            tendermint_rpc::query::Query::from_str(query).map_err(|e| ChainError::Build {
                reason: format!("bad tx query: {e}"),
            })?;
        self.http()
            .tx_search(query, false, 1, 100, tendermint_rpc::Order::Ascending)
            .await
            .map_err(|e| self.unreachable(e))
    }

    /// Heights of the transactions matching `query`.
    pub async fn tx_heights(&self, query: &str) -> Result<Vec<u64>, ChainError> {
        let found = self.tx_search(query).await?;
        Ok(found.txs.iter().map(|t| t.height.value()).collect())
    }

    /// How many transactions matched `query`, e.g. for audits in tests.
    pub async fn count_txs(&self, query: &str) -> Result<u32, ChainError> {
        Ok(self.tx_search(query).await?.total_count)
    }
}

fn http_client(rpc: &str) -> Result<HttpClient, ChainError> {
    let unreachable = |reason: String| ChainError::Unreachable {
        endpoint: rpc.to_string(),
        reason,
    };
    let url = Url::from_str(rpc).map_err(|e| unreachable(format!("invalid RPC URL: {e}")))?;
    HttpClient::builder(
        url.try_into()
            .map_err(|e: tendermint_rpc::Error| unreachable(e.to_string()))?,
    )
    .compat_mode(CompatMode::V0_38)
    .timeout(Duration::from_secs(15))
    .build()
    .map_err(|e| unreachable(e.to_string()))
}

fn unix_now_i64() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Blocks searched for a transaction on a node without a transaction index.
pub const MAX_BLOCK_SCAN: u64 = 64;

/// A delivered transaction's result: an error when its messages failed.
fn outcome(
    hash: &str,
    height: u64,
    result: cosmrs::tendermint::abci::types::ExecTxResult,
) -> Result<TxOutcome, ChainError> {
    if result.code.is_err() {
        return Err(ChainError::DeliverTx {
            hash: hash.to_string(),
            height,
            code: result.code.value(),
            codespace: result.codespace,
            log: ChainError::clean_log(&result.log),
        });
    }
    Ok(TxOutcome {
        hash: hash.to_string(),
        height,
        gas_wanted: u64::try_from(result.gas_wanted).unwrap_or(0),
        gas_used: u64::try_from(result.gas_used).unwrap_or(0),
        events: result.events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gas_price_is_exact_and_rounds_up() {
        let price: GasPrice = "0.025ugrid".parse().unwrap();
        assert_eq!(price.denom, "ugrid");
        assert_eq!(price.fee_for(200_000), 5_000);
        assert_eq!(price.fee_for(1), 1);
        assert_eq!("1uatom".parse::<GasPrice>().unwrap().fee_for(7), 7);
        assert!("ugrid".parse::<GasPrice>().is_err());
        assert!("0.025".parse::<GasPrice>().is_err());
    }
}
