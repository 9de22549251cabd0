//! The keeper's HTTP face: job outputs for renters (the URL in every result commitment),
//! Prometheus metrics and a health check.

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
