//! Event wake-ups: a websocket subscription to transactions that touch a contract. An event only
//! says "look again"; the reconcile loop reads the truth from contract state, so a missed or
//! duplicated event can never lose or double a lease.

use futures::StreamExt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::query::{EventType, Query};
use tendermint_rpc::{SubscriptionClient, Url, WebSocketClient};
use tokio::sync::{watch, Notify};

/// The websocket URL of a CometBFT RPC endpoint (`http://h:p` → `ws://h:p/websocket`).
pub fn websocket_url(rpc: &str) -> String {
    let base = rpc.trim_end_matches('/');
    let base = base
        .strip_prefix("https://")
        .map(|rest| format!("wss://{rest}"))
        .or_else(|| {
            base.strip_prefix("http://")
                .map(|rest| format!("ws://{rest}"))
        })
        .unwrap_or_else(|| base.to_string());
    format!("{base}/websocket")
}

/// Pokes `wake` for every transaction executing `contract`, reconnecting with backoff until
/// `shutdown` turns true.
pub async fn watch_contract(
    rpc: String,
    contract: String,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(500);
    loop {
        if *shutdown.borrow() {
            return;
        }
        match subscribe_once(&rpc, &contract, &wake, &mut shutdown).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(error = %e, retry_in = ?backoff, "event subscription lost; state reconcile continues");
                // Catch up on whatever happened while the subscription was down.
                wake.notify_one();
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.changed() => return,
                }
                backoff = (backoff * 2).min(Duration::from_secs(10));
            }
        }
    }
}

async fn subscribe_once(
    rpc: &str,
    contract: &str,
    wake: &Notify,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<(), String> {
    let url = Url::from_str(&websocket_url(rpc)).map_err(|e| e.to_string())?;
    let (client, driver) = WebSocketClient::builder(
        url.try_into()
            .map_err(|e: tendermint_rpc::Error| e.to_string())?,
    )
    .compat_mode(CompatMode::V0_38)
    .build()
    .await
    .map_err(|e| e.to_string())?;
    let driver = tokio::spawn(driver.run());
    let query = Query::from(EventType::Tx).and_eq("execute._contract_address", contract);
    let mut events = client.subscribe(query).await.map_err(|e| e.to_string())?;
    tracing::info!("subscribed to marketplace events");
    wake.notify_one();
    let result = loop {
        tokio::select! {
            next = events.next() => match next {
                Some(Ok(_)) => wake.notify_one(),
                Some(Err(e)) => break Err(e.to_string()),
                None => break Err("the node closed the subscription".to_string()),
            },
            _ = shutdown.changed() => break Ok(()),
        }
    };
    let _ = client.close();
    driver.abort();
    result
}

#[cfg(test)]
mod tests {
    use super::websocket_url;

    #[test]
    fn websocket_url_follows_the_rpc_scheme() {
        assert_eq!(
            websocket_url("http://127.0.0.1:26657"),
            "ws://127.0.0.1:26657/websocket"
        );
        assert_eq!(
            websocket_url("https://rpc.example.org/"),
            "wss://rpc.example.org/websocket"
        );
    }
}
