//! The keeper's HTTP face: job outputs for renters (the URL in every result commitment), served
//! only once the result is revealed, private jobs' key envelopes from their renters, Prometheus
//! metrics and a health check.

use crate::metrics::Metrics;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures::StreamExt;
use std::sync::Arc;
use tokio::sync::{watch, Semaphore};

/// Downloads served at once; more wait for a 503 and retry. Each streams from disk in small
/// chunks, so memory stays flat whatever the outputs' sizes.
pub const MAX_DOWNLOADS: usize = 8;

#[derive(Clone)]
pub struct HttpState {
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pub provider: String,
    pub executor: String,
    /// Asks the marketplace whether a lease's hash is revealed when the store has not recorded it
    /// yet (the reveal landed, the keeper has not written it down): the chain is the authority.
    pub chain: Option<ChainView>,
    /// One permit per download in progress ([`MAX_DOWNLOADS`]).
    pub downloads: Arc<Semaphore>,
    pub health: crate::health::HealthCheck,
    /// The provider's X25519 key, to check envelopes of private jobs; `None`: none accepted.
    pub privacy_key: Option<Arc<crate::privacy::SecretKey>>,
}

/// An envelope is 32 bytes of encapsulated key, a 32-byte secret and a 16-byte tag.
const MAX_ENVELOPE_BYTES: usize = 256;

/// The marketplace, as the HTTP server asks it.
#[derive(Clone)]
pub struct ChainView {
    pub client: crate::chain::ChainClient,
    pub marketplace: String,
}

impl ChainView {
    /// Whether `secret` is the key lease `lease_id`'s order's inline input names, the lease
    /// being `provider`'s and the order private.
    async fn names_input_key(
        &self,
        lease_id: u64,
        provider: &str,
        secret: &crate::privacy::SecretKey,
    ) -> Result<(), String> {
        use gridshare_types::marketplace::{JobInputs, LeaseResponse, OrderResponse, QueryMsg};
        let lease: LeaseResponse = self
            .client
            .query(&self.marketplace, &QueryMsg::Lease { lease_id })
            .await
            .map_err(|e| format!("lease {lease_id}: {e}"))?;
        if lease.provider.as_str() != provider {
            return Err(format!("lease {lease_id} is not this provider's"));
        }
        let order: OrderResponse = self
            .client
            .query(
                &self.marketplace,
                &QueryMsg::Order {
                    order_id: lease.order_id,
                },
            )
            .await
            .map_err(|e| format!("order {}: {e}", lease.order_id))?;
        if order.spec.output_key.is_none() {
            return Err(format!("order {} is not a private job", lease.order_id));
        }
        match &order.spec.inputs {
            JobInputs::Inline { data } if crate::privacy::input_key_matches(secret, data) => Ok(()),
            JobInputs::Inline { .. } => Err(format!(
                "the envelope's secret is not the key of order {}'s input",
                lease.order_id
            )),
            JobInputs::Url { .. } => Err("private jobs take inline inputs only".into()),
        }
    }

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
        .route(
            "/leases/{lease_id}/key",
            post(deliver_key).options(key_preflight),
        )
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

/// Browsers ask before posting an envelope from another origin (the renter's dApp).
async fn key_preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::ACCESS_CONTROL_ALLOW_METHODS, "POST"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "content-type"),
        ],
    )
        .into_response()
}

/// `POST /leases/<id>/key`: a renter's envelope holding its private job's order secret, sealed to
/// this provider's key for this lease. It is kept only if it opens, the lease is this
/// provider's, and the secret is the key the order's input names (compared, not decrypted:
/// the input is opened only in the job process). Nobody but the renter holds that secret, so
/// nobody else can make the job fail by delivering a wrong key.
async fn deliver_key(
    State(state): State<HttpState>,
    Path(lease_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let cors = || (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    let refuse =
        |status: StatusCode, why: String| (status, [cors()], format!("{why}\n")).into_response();
    let Ok(lease_id) = lease_id.parse::<u64>() else {
        return refuse(StatusCode::BAD_REQUEST, "lease id must be a number".into());
    };
    if body.len() > MAX_ENVELOPE_BYTES {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("an envelope is at most {MAX_ENVELOPE_BYTES} bytes"),
        );
    }
    let (Some(key), Some(chain)) = (&state.privacy_key, &state.chain) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "this keeper takes no private jobs".into(),
        );
    };
    let secret = match key
        .open(&crate::privacy::key_info(lease_id), &body, "the envelope")
        .and_then(|bytes| crate::privacy::SecretKey::from_bytes(&bytes))
    {
        Ok(secret) => secret,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.to_string()),
    };
    if let Err(why) = chain
        .names_input_key(lease_id, &state.provider, &secret)
        .await
    {
        return refuse(StatusCode::BAD_REQUEST, why);
    }
    match state.store.put_envelope(lease_id, &body) {
        Ok(()) => {
            tracing::info!(lease = lease_id, "private job key delivered");
            (StatusCode::NO_CONTENT, [cors()]).into_response()
        }
        Err(e) => refuse(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
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
    let Ok(permit) = state.downloads.clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "2"), cors],
            "too many downloads at once; retry shortly\n",
        )
            .into_response();
    };
    let file = match tokio::fs::File::open(state.store.output_path(lease_id)).await {
        Ok(file) => file,
        Err(_) => {
            return (
                StatusCode::NOT_FOUND,
                [cors],
                format!("no output for lease {lease_id}\n"),
            )
                .into_response()
        }
    };
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    // The permit travels with the stream: it is released when the download ends or is dropped.
    let stream = tokio_util::io::ReaderStream::new(file).map(move |chunk| {
        let _held = &permit;
        chunk
    });
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

async fn metrics(State(state): State<HttpState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// `ok`, or `degraded` (HTTP 503) with the reasons: the store cannot be read or written, or the
/// work dir's disk is nearly full. A load balancer or the provider's monitoring acts on it.
/// `ok`, or `degraded` (HTTP 503) with the reasons ([`crate::health::HealthCheck`]). A load
/// balancer or the provider's monitoring acts on it; the keeper itself takes its offers off the
/// market meanwhile.
async fn health(State(state): State<HttpState>) -> Response {
    let problems = state.health.problems(&state.store, &state.metrics);
    let status = if problems.is_empty() {
        "ok"
    } else {
        "degraded"
    };
    let body = serde_json::json!({
        "status": status,
        "problems": problems,
        "provider": state.provider,
        "executor": state.executor,
        "leases_known": state.store.len().unwrap_or(0),
        "downloads": MAX_DOWNLOADS.saturating_sub(state.downloads.available_permits()),
    });
    let code = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LeaseRecord, Stage};

    /// The server on a free port over `store`: its base URL, its stop switch and its task.
    async fn start(
        store: Arc<Store>,
        downloads: Arc<Semaphore>,
    ) -> (
        String,
        watch::Sender<bool>,
        tokio::task::JoinHandle<std::io::Result<()>>,
    ) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = watch::channel(false);
        let state = HttpState {
            store,
            metrics: Arc::new(Metrics::default()),
            provider: "wasm1p".into(),
            executor: "cpu".into(),
            chain: None,
            downloads,
            health: Default::default(),
            privacy_key: None,
        };
        (base, stop, tokio::spawn(serve(listener, state, stopped)))
    }

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
        let (base, stop, server) =
            start(store.clone(), Arc::new(Semaphore::new(MAX_DOWNLOADS))).await;

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

    #[tokio::test]
    async fn downloads_are_limited_and_a_failing_disk_reports_degraded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        store
            .put(&LeaseRecord {
                stage: Stage::Revealed,
                revealed: true,
                ..LeaseRecord::new(5, 1)
            })
            .unwrap();
        store.save_output(5, b"out").unwrap();
        let downloads = Arc::new(Semaphore::new(1));
        let (base, stop, server) = start(store.clone(), downloads.clone()).await;
        assert_eq!(get(&base, "/outputs/5").await, (200, "out".into()));
        assert_eq!(get(&base, "/health").await.0, 200);
        // Every download slot taken: the next one is asked to come back, not queued in memory.
        let held = downloads.clone().acquire_owned().await.unwrap();
        assert_eq!(get(&base, "/outputs/5").await.0, 503);
        drop(held);
        assert_eq!(get(&base, "/outputs/5").await.0, 200);
        // The outputs' directory is gone (a disk unmounted, a wiped work dir): degraded.
        std::fs::remove_dir_all(store.dir()).unwrap();
        let (status, body) = get(&base, "/health").await;
        assert_eq!(status, 503, "{body}");
        assert!(
            body.contains("degraded") && body.contains("unwritable"),
            "{body}"
        );
        let _ = stop.send(true);
        server.await.unwrap().unwrap();
    }
}
