//! The one owner of an account's sequence number. Every transaction of a wallet goes through its
//! signer task, so two parts of the keeper can never sign with the same sequence; requests that
//! queue up while a transaction is in flight are batched into the next one.
//!
//! Heartbeats have a lane of their own: a queued heartbeat goes into the next transaction ahead
//! of any other request, and no request holds the signer (retrying, or following a transaction
//! that has not landed) for longer than the busy limit, which a provider sets from the
//! marketplace's `max_silence` so a stuck transaction can never make it look silent.
//!
//! A signer may act for another account (an operator key for a cold provider account, see
//! [`authz`](super::authz)): callers build messages with that account as sender, and the signer
//! wraps each transaction's messages in one `MsgExec` and has the granter pay its fees.

use super::{Any, ChainClient, ChainError, TxOutcome, Wallet};
use cosmrs::tx::{Body, Fee, SignDoc, SignerInfo};
use cosmrs::Coin;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lane {
    Heartbeat,
    Normal,
}

struct Request {
    msgs: Vec<Any>,
    memo: String,
    lane: Lane,
    reply: oneshot::Sender<Result<TxOutcome, ChainError>>,
}

/// Sends transactions through the signer task.
#[derive(Clone)]
pub struct SignerHandle {
    tx: mpsc::Sender<Request>,
    /// The account the messages act for: the granter, or the key's own account.
    address: String,
    /// The key's own account when it acts for a granter.
    operator: Option<String>,
    /// Milliseconds one request may hold the signer; 0: only the chain's `tx_timeout` bounds it.
    busy_limit_ms: Arc<AtomicU64>,
}

impl SignerHandle {
    /// The account this signer's messages act for (their sender, the provider or renter).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The operator key's own account, when the signer acts for a cold account.
    pub fn operator(&self) -> Option<&str> {
        self.operator.as_deref()
    }

    /// Signs and broadcasts `msgs` (possibly in one transaction with other callers' messages) and
    /// waits for the block.
    pub async fn submit(&self, msgs: Vec<Any>, memo: &str) -> Result<TxOutcome, ChainError> {
        self.send(msgs, memo, Lane::Normal).await
    }

    /// Like [`submit`](Self::submit), on the heartbeat lane: ahead of every queued request.
    pub async fn heartbeat(&self, msgs: Vec<Any>, memo: &str) -> Result<TxOutcome, ChainError> {
        self.send(msgs, memo, Lane::Heartbeat).await
    }

    /// Bounds the time any one request holds the signer so that a heartbeat queued behind it
    /// still lands within `max_silence` of the previous one (see [`busy_limit`]).
    pub fn bound_by_silence(&self, max_silence: Duration, heartbeat_interval: Duration) {
        let limit = busy_limit(max_silence, heartbeat_interval);
        self.busy_limit_ms
            .store(limit.as_millis() as u64, Ordering::Relaxed);
        tracing::info!(?limit, "signer busy limit");
    }

    async fn send(&self, msgs: Vec<Any>, memo: &str, lane: Lane) -> Result<TxOutcome, ChainError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Request {
                msgs,
                memo: memo.to_string(),
                lane,
                reply,
            })
            .await
            .map_err(|_| ChainError::SignerGone)?;
        answer.await.map_err(|_| ChainError::SignerGone)?
    }
}

/// How long one request may hold the signer: a heartbeat waits for at most one such request
/// and then needs its own time to land (bounded the same way), all within the margin between
/// the heartbeat interval and `max_silence`. Never under 2 s (a block or two).
pub fn busy_limit(max_silence: Duration, heartbeat_interval: Duration) -> Duration {
    (max_silence.saturating_sub(heartbeat_interval) / 2).max(Duration::from_secs(2))
}

/// The next transaction's requests: every queued heartbeat first, then the others in arrival
/// order, up to [`MAX_BATCH_MSGS`] messages (a single larger request still goes alone).
fn next_batch(queue: &mut VecDeque<Request>) -> Vec<Request> {
    let mut batch = Vec::new();
    let mut count = 0;
    for lane in [Lane::Heartbeat, Lane::Normal] {
        let mut i = 0;
        while i < queue.len() {
            let fits = batch.is_empty() || count + queue[i].msgs.len() <= MAX_BATCH_MSGS;
            if queue[i].lane == lane && fits {
                if let Some(r) = queue.remove(i) {
                    count += r.msgs.len();
                    batch.push(r);
                }
            } else {
                i += 1;
            }
        }
    }
    batch
}

pub struct Signer {
    client: ChainClient,
    wallet: Arc<Wallet>,
    /// The cold account this key executes for through x/authz, which also pays the fees.
    granter: Option<cosmrs::AccountId>,
    account: Option<(u64, u64)>,
    busy_limit_ms: Arc<AtomicU64>,
}

impl Signer {
    /// Starts the signer task; it ends when every handle is dropped. With a `granter`, every
    /// transaction executes its messages for that account (see the module docs).
    pub fn spawn(
        client: ChainClient,
        wallet: Arc<Wallet>,
        granter: Option<cosmrs::AccountId>,
    ) -> SignerHandle {
        let (tx, rx) = mpsc::channel(256);
        let own = wallet.address().to_string();
        let (address, operator) = match &granter {
            Some(g) => (g.to_string(), Some(own)),
            None => (own, None),
        };
        let busy_limit_ms = Arc::new(AtomicU64::new(0));
        let signer = Signer {
            client,
            wallet,
            granter,
            account: None,
            busy_limit_ms: busy_limit_ms.clone(),
        };
        tokio::spawn(signer.run(rx));
        SignerHandle {
            tx,
            address,
            operator,
            busy_limit_ms,
        }
    }

    async fn run(mut self, mut rx: mpsc::Receiver<Request>) {
        let mut queue = VecDeque::new();
        loop {
            if queue.is_empty() {
                match rx.recv().await {
                    Some(first) => queue.push_back(first),
                    None => return,
                }
            }
            while let Ok(next) = rx.try_recv() {
                queue.push_back(next);
            }
            let batch = next_batch(&mut queue);
            self.process(batch).await;
        }
    }

    /// The time one request may hold the signer.
    fn busy_limit(&self) -> Duration {
        match self.busy_limit_ms.load(Ordering::Relaxed) {
            0 => self
                .client
                .config
                .tx_timeout
                .saturating_mul(UNCONFIRMED_FACTOR),
            ms => Duration::from_millis(ms),
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
        let started = Instant::now();
        loop {
            match self.send_once(&msgs, memo, started).await {
                Ok(outcome) => return Ok(outcome),
                // Retries stop at the busy limit: the caller retries later, and a queued
                // heartbeat goes first.
                Err(e)
                    if e.is_transient()
                        && attempt < MAX_ATTEMPTS
                        && started.elapsed() + backoff < self.busy_limit() =>
                {
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

    async fn send_once(
        &mut self,
        msgs: &[Any],
        memo: &str,
        started: Instant,
    ) -> Result<TxOutcome, ChainError> {
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
        let msgs = match &self.granter {
            Some(_) => vec![super::authz::exec(
                self.wallet.address().as_ref(),
                msgs.to_vec(),
            )],
            None => msgs.to_vec(),
        };
        let body = Body::new(msgs, memo, height);

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
        self.track(&hash, sequence, start_height, timeout_height, started)
            .await
    }

    /// Follows a broadcast transaction until it is provably in a block (found by the node's
    /// index, or — on a node without one — by the account's sequence having moved past it and
    /// the transaction then found in the blocks since it was sent) or provably dropped (its
    /// timeout height passed with the sequence unused). Only a dropped transaction may be signed
    /// again; one that stays unknown past the deadline is reported as unconfirmed, never resent.
    /// The deadline is the busy limit, counted from the request's first attempt (`started`).
    async fn track(
        &mut self,
        hash: &str,
        sequence: u64,
        start_height: u64,
        timeout_height: u64,
        started: Instant,
    ) -> Result<TxOutcome, ChainError> {
        let deadline = self.busy_limit();
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
        let mut fee = Fee::from_amount_and_gas(Coin { denom, amount: fee }, gas);
        fee.granter = self.granter.clone();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(lane: Lane, msgs: usize) -> Request {
        let (reply, _) = oneshot::channel();
        Request {
            msgs: vec![Any::default(); msgs],
            memo: format!("{lane:?}"),
            lane,
            reply,
        }
    }

    fn lanes(batch: &[Request]) -> Vec<(Lane, usize)> {
        batch.iter().map(|r| (r.lane, r.msgs.len())).collect()
    }

    #[test]
    fn a_heartbeat_goes_ahead_of_queued_work() {
        let mut queue: VecDeque<Request> = [
            request(Lane::Normal, 20),
            request(Lane::Normal, 20),
            request(Lane::Heartbeat, 1),
        ]
        .into_iter()
        .collect();
        let batch = next_batch(&mut queue);
        assert_eq!(
            lanes(&batch),
            vec![(Lane::Heartbeat, 1), (Lane::Normal, 20)]
        );
        assert_eq!(lanes(&next_batch(&mut queue)), vec![(Lane::Normal, 20)]);
        assert!(next_batch(&mut queue).is_empty());
    }

    #[test]
    fn an_oversized_request_still_goes_alone() {
        let mut queue: VecDeque<Request> = [request(Lane::Normal, 40), request(Lane::Normal, 1)]
            .into_iter()
            .collect();
        assert_eq!(lanes(&next_batch(&mut queue)), vec![(Lane::Normal, 40)]);
        assert_eq!(lanes(&next_batch(&mut queue)), vec![(Lane::Normal, 1)]);
    }

    #[test]
    fn the_busy_limit_leaves_a_heartbeat_room_before_max_silence() {
        let s = Duration::from_secs;
        // Waiting behind one busy request and then landing itself (each within the limit), a
        // heartbeat sent on time lands before max_silence.
        for (silence, interval) in [(30, 10), (300, 60), (600, 599), (20, 30)] {
            let limit = busy_limit(s(silence), s(interval));
            assert!(limit >= s(2));
            if silence > interval + 4 {
                assert!(
                    s(interval) + 2 * limit <= s(silence),
                    "{silence} {interval}"
                );
            }
        }
        assert_eq!(busy_limit(s(30), s(10)), s(10));
    }
}
