//! The one owner of an account's sequence number. Every transaction of a wallet goes through its
//! signer task, so two parts of the keeper can never sign with the same sequence; requests that
//! queue up while a transaction is in flight are batched into the next one.

use super::{Any, ChainClient, ChainError, TxOutcome, Wallet};
use cosmrs::tx::{Body, Fee, SignDoc, SignerInfo};
use cosmrs::Coin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Messages one transaction carries at most.
const MAX_BATCH_MSGS: usize = 32;
/// Tries for one request before its error goes back to the caller.
const MAX_ATTEMPTS: u32 = 8;
const BACKOFF_START: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(8);
/// Blocks a transaction stays valid for after it is signed (its timeout height).
const TIMEOUT_BLOCKS: u64 = 20;
/// How often a sent transaction is looked for.
const TRACK_POLL: Duration = Duration::from_millis(300);
/// An unconfirmed transaction is followed for this many `tx_timeout`s before giving up on it
/// (the signer waits meanwhile, so this bounds how long a stuck transaction holds heartbeats).
const UNCONFIRMED_FACTOR: u32 = 1;

struct Request {
    msgs: Vec<Any>,
    memo: String,
    reply: oneshot::Sender<Result<TxOutcome, ChainError>>,
}

/// Sends transactions through the signer task.
#[derive(Clone)]
pub struct SignerHandle {
    tx: mpsc::Sender<Request>,
    address: String,
}

impl SignerHandle {
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Signs and broadcasts `msgs` (possibly in one transaction with other callers' messages) and
    /// waits for the block.
    pub async fn submit(&self, msgs: Vec<Any>, memo: &str) -> Result<TxOutcome, ChainError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Request {
                msgs,
                memo: memo.to_string(),
                reply,
            })
            .await
            .map_err(|_| ChainError::SignerGone)?;
        answer.await.map_err(|_| ChainError::SignerGone)?
    }
}

pub struct Signer {
    client: ChainClient,
    wallet: Arc<Wallet>,
    account: Option<(u64, u64)>,
}

impl Signer {
    /// Starts the signer task; it ends when every handle is dropped.
    pub fn spawn(client: ChainClient, wallet: Arc<Wallet>) -> SignerHandle {
        let (tx, rx) = mpsc::channel(256);
        let address = wallet.address().to_string();
        let signer = Signer {
            client,
            wallet,
            account: None,
        };
        tokio::spawn(signer.run(rx));
        SignerHandle { tx, address }
    }

    async fn run(mut self, mut rx: mpsc::Receiver<Request>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            let mut count = batch[0].msgs.len();
            while count < MAX_BATCH_MSGS {
                match rx.try_recv() {
                    Ok(next) => {
                        count += next.msgs.len();
                        batch.push(next);
                    }
                    Err(_) => break,
                }
            }
            self.process(batch).await;
        }
    }

    /// Sends a batch as one transaction; when that fails for a reason other than the network,
    /// each request is sent alone so one bad message cannot sink the others.
    async fn process(&mut self, batch: Vec<Request>) {
        if batch.len() == 1 {
            let request = batch.into_iter().next();
            if let Some(r) = request {
                let outcome = self.send_with_retry(r.msgs, &r.memo).await;
                let _ = r.reply.send(outcome);
            }
            return;
        }
        let msgs: Vec<Any> = batch.iter().flat_map(|r| r.msgs.iter().cloned()).collect();
        let memo = batch[0].memo.clone();
        match self.send_with_retry(msgs, &memo).await {
            Ok(outcome) => {
                tracing::debug!(requests = batch.len(), hash = %outcome.hash, "batched transaction");
                for r in batch {
                    let _ = r.reply.send(Ok(outcome.clone()));
                }
            }
            // A batch that may still land is never split and sent again.
            Err(e @ ChainError::Unconfirmed { .. }) => {
                for r in batch {
                    let _ = r.reply.send(Err(e.clone()));
                }
            }
            Err(_) => {
                for r in batch {
                    let outcome = self.send_with_retry(r.msgs, &r.memo).await;
                    let _ = r.reply.send(outcome);
                }
            }
        }
    }

    async fn send_with_retry(
        &mut self,
        msgs: Vec<Any>,
        memo: &str,
    ) -> Result<TxOutcome, ChainError> {
        let mut backoff = BACKOFF_START;
        let mut attempt = 1;
        loop {
            match self.send_once(&msgs, memo).await {
                Ok(outcome) => return Ok(outcome),
                Err(e) if e.is_transient() && attempt < MAX_ATTEMPTS => {
                    tracing::warn!(attempt, error = %e, retry_in = ?backoff, "transaction failed, retrying");
                    // The sequence may have moved (our own earlier tx landed, or another
                    // client used the key): read it again before the next try.
                    self.account = None;
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                    attempt += 1;
                }
                Err(e) => {
                    if matches!(e, ChainError::DeliverTx { .. }) {
                        // A failed delivery still consumed the sequence number.
                        if let Some((_, seq)) = self.account.as_mut() {
                            *seq += 1;
                        }
                    } else {
                        self.account = None;
                    }
                    return Err(e);
                }
            }
        }
    }

    async fn send_once(&mut self, msgs: &[Any], memo: &str) -> Result<TxOutcome, ChainError> {
        let (account_number, sequence) = match self.account {
            Some(a) => a,
            None => {
                let a = self.client.account(self.wallet.address().as_ref()).await?;
                self.account = Some(a);
                a
            }
        };
        let config = &self.client.config;
        // A timeout height makes "dropped" provable: past it, the transaction can never land.
        let (start_height, _) = self.client.latest_block().await?;
        let timeout_height = start_height.saturating_add(TIMEOUT_BLOCKS);
        let height = cosmrs::tendermint::block::Height::try_from(timeout_height).map_err(|e| {
            ChainError::Build {
                reason: format!("timeout height {timeout_height}: {e}"),
            }
        })?;
        let body = Body::new(msgs.to_vec(), memo, height);

        let simulated = self
            .client
            .simulate(self.sign(&body, account_number, sequence, 0, 0)?)
            .await?;
        let gas = ((simulated as f64) * config.gas_adjustment).ceil() as u64;
        let gas = gas.max(simulated.saturating_add(10_000));
        let fee = config.gas_price.fee_for(gas);
        let tx_bytes = self.sign(&body, account_number, sequence, gas, fee)?;

        let hash = self.client.broadcast(tx_bytes).await?;
        self.account = Some((account_number, sequence + 1));
        self.track(&hash, sequence, start_height, timeout_height)
            .await
    }

    /// Follows a broadcast transaction until it is provably in a block (found by the node's
    /// index, or — on a node without one — by the account's sequence having moved past it and
    /// the transaction then found in the blocks since it was sent) or provably dropped (its
    /// timeout height passed with the sequence unused). Only a dropped transaction may be signed
    /// again; one that stays unknown past the deadline is reported as unconfirmed, never resent.
    async fn track(
        &mut self,
        hash: &str,
        sequence: u64,
        start_height: u64,
        timeout_height: u64,
    ) -> Result<TxOutcome, ChainError> {
        let started = Instant::now();
        let deadline = self
            .client
            .config
            .tx_timeout
            .saturating_mul(UNCONFIRMED_FACTOR);
        loop {
            if let Some(found) = self.client.tx_indexed(hash).await? {
                return Ok(found);
            }
            let (height, _) = self.client.latest_block().await?;
            let (_, on_chain) = self.client.account(self.wallet.address().as_ref()).await?;
            if on_chain > sequence {
                // Only this signer spends this account's sequences: ours landed.
                if let Some(found) = self
                    .client
                    .find_in_blocks(hash, start_height, height)
                    .await?
                {
                    return Ok(found);
                }
            } else if height > timeout_height {
                self.account = None;
                return Err(ChainError::NotIncluded {
                    hash: hash.to_string(),
                    waited: started.elapsed(),
                });
            }
            if started.elapsed() >= deadline {
                return Err(ChainError::Unconfirmed {
                    hash: hash.to_string(),
                    waited: started.elapsed(),
                });
            }
            tokio::time::sleep(TRACK_POLL).await;
        }
    }

    fn sign(
        &self,
        body: &Body,
        account_number: u64,
        sequence: u64,
        gas: u64,
        fee: u128,
    ) -> Result<Vec<u8>, ChainError> {
        let config = &self.client.config;
        let build = |e: cosmrs::ErrorReport| ChainError::Build {
            reason: e.to_string(),
        };
        let denom = config.gas_price.denom.parse().map_err(build)?;
        let fee = Fee::from_amount_and_gas(Coin { denom, amount: fee }, gas);
        let auth_info =
            SignerInfo::single_direct(Some(self.wallet.public_key()), sequence).auth_info(fee);
        let chain_id = config
            .chain_id
            .parse()
            .map_err(|e: cosmrs::tendermint::Error| ChainError::Build {
                reason: format!("chain id {:?}: {e}", config.chain_id),
            })?;
        let doc = SignDoc::new(body, &auth_info, &chain_id, account_number).map_err(build)?;
        let raw = doc.sign(self.wallet.signing_key()).map_err(build)?;
        raw.to_bytes().map_err(build)
    }
}
