//! The keeper's HTTP face: job outputs for renters (the URL in every result commitment), served
//! only once the result is revealed, Prometheus metrics and a health check.

use crate::metrics::Metrics;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tokio::sync::watch;

#[derive(Clone)]
pub struct HttpState {
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pub provider: String,
    pub executor: String,
    /// Asks the marketplace whether a lease's hash is revealed when the store has not recorded it
    /// yet (the reveal landed, the keeper has not written it down): the chain is the authority.
    pub chain: Option<ChainView>,
}

/// The marketplace, as the HTTP server asks it.
#[derive(Clone)]
pub struct ChainView {
    pub client: crate::chain::ChainClient,
    pub marketplace: String,
}

impl ChainView {
    async fn revealed(&self, lease_id: u64) -> bool {
        let lease: Result<gridshare_types::marketplace::LeaseResponse, _> = self
            .client
            .query(
                &self.marketplace,
                &gridshare_types::marketplace::QueryMsg::Lease { lease_id },
            )
            .await;
        lease.is_ok_and(|l| l.result.is_some_and(|r| r.sha256.is_some()))
    }
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/outputs/{lease_id}", get(output))
        .route("/metrics", get(metrics))
        .route("/health", get(health))
        .with_state(state)
}

/// Serves until `shutdown` turns true.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: HttpState,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await
}

async fn output(State(state): State<HttpState>, Path(lease_id): Path<String>) -> Response {
    // Only a number names an output: nothing else on disk is reachable.
    let Ok(lease_id) = lease_id.parse::<u64>() else {
        return (StatusCode::BAD_REQUEST, "lease id must be a number\n").into_response();
    };
    // Outputs are public (their URL is on chain) and dApps fetch them from the renter's browser,
    // on another origin: allow any origin to read them.
    let cors = (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    // Until the hash is revealed on chain, the output is the secret the commitment hides: another
    // replica of the order could download it and commit its hash without running the job.
    let on_chain = |state: &HttpState| {
        let chain = state.chain.clone();
        async move {
            match chain {
                Some(chain) => chain.revealed(lease_id).await,
                None => false,
            }
        }
    };
    let record = state.store.get(lease_id);
    let public = match &record {
        Ok(Some(record)) => record.output_is_public() || on_chain(&state).await,
        _ => false,
    };
    match record {
        Ok(Some(_)) if public => {}
        Ok(Some(_)) => {
            return (
                StatusCode::FORBIDDEN,
                [cors],
                format!(
                "the output of lease {lease_id} is served once its result is revealed on chain\n"
            ),
            )
                .into_response()
        }
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                [cors],
                format!("no output for lease {lease_id}\n"),
            )
                .into_response()
        }
        Err(e) => {
            tracing::warn!(lease = lease_id, error = %e, "reading the store for an output request");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [cors],
                "the keeper's store cannot be read\n",
            )
                .into_response();
        }
    }
    match tokio::fs::read(state.store.output_path(lease_id)).await {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, "application/octet-stream"), cors],
            bytes,
        )
            .into_response(),
        Err(_) => (
            StatusCode::NOT_FOUND,
            [cors],
            format!("no output for lease {lease_id}\n"),
        )
            .into_response(),
    }
}

async fn metrics(State(state): State<HttpState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

async fn health(State(state): State<HttpState>) -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "provider": state.provider,
        "executor": state.executor,
        "leases_known": state.store.len().unwrap_or(0),
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LeaseRecord, Stage};

    async fn get(base: &str, path: &str) -> (u16, String) {
        let response = reqwest::get(format!("{base}{path}")).await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    #[tokio::test]
    async fn outputs_are_withheld_until_revealed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let mut record = LeaseRecord {
            stage: Stage::Executed,
            sha256: Some("ab".repeat(32)),
            ..LeaseRecord::new(17, 1)
        };
        store.put(&record).unwrap();
        store.save_output(17, b"secret").unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = watch::channel(false);
        let state = HttpState {
            store: store.clone(),
            metrics: Arc::new(Metrics::default()),
            provider: "wasm1p".into(),
            executor: "cpu".into(),
            chain: None,
        };
        let server = tokio::spawn(serve(listener, state, stopped));

        for stage in [Stage::Executed, Stage::Committed] {
            record.stage = stage;
            store.put(&record).unwrap();
            let (status, body) = get(&base, "/outputs/17").await;
            assert_eq!(status, 403, "{stage:?}");
            assert!(body.contains("once its result is revealed"), "{body}");
        }
        record.stage = Stage::Revealed;
        record.revealed = true;
        store.put(&record).unwrap();
        assert_eq!(get(&base, "/outputs/17").await, (200, "secret".into()));
        // Still served once the lease is final.
        record.stage = Stage::Finished;
        store.put(&record).unwrap();
        assert_eq!(get(&base, "/outputs/17").await.0, 200);

        assert_eq!(get(&base, "/outputs/99").await.0, 404);
        assert_eq!(get(&base, "/outputs/x").await.0, 400);
        let _ = stop.send(true);
        server.await.unwrap().unwrap();
    }
}
