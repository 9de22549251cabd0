//! A job's input bytes: inline in the order, or fetched over HTTP and checked against the
//! sha256 the renter committed to on chain.

use futures::StreamExt;
use gridshare_types::marketplace::JobInputs;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InputError {
    #[error("cannot fetch {url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url} is larger than the keeper's limit of {max} bytes")]
    TooLarge { url: String, max: u64 },
    #[error("{url}: sha256 is {actual}, the order commits to {expected}")]
    HashMismatch {
        url: String,
        expected: String,
        actual: String,
    },
    #[error("only http(s) inputs are fetched, not {url}")]
    Scheme { url: String },
}

pub async fn fetch(
    inputs: &JobInputs,
    max_bytes: u64,
    http: &reqwest::Client,
) -> Result<Vec<u8>, InputError> {
    let (url, expected) = match inputs {
        JobInputs::Inline { data } => return Ok(data.to_vec()),
        JobInputs::Url { url, sha256 } => (url, sha256.to_ascii_lowercase()),
    };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(InputError::Scheme { url: url.clone() });
    }
    let fetch_err = |e: reqwest::Error| InputError::Fetch {
        url: url.clone(),
        reason: e.to_string(),
    };
    let response = http.get(url).send().await.map_err(fetch_err)?;
    if !response.status().is_success() {
        return Err(InputError::Status {
            url: url.clone(),
            status: response.status().as_u16(),
        });
    }
    if response.content_length().is_some_and(|n| n > max_bytes) {
        return Err(InputError::TooLarge {
            url: url.clone(),
            max: max_bytes,
        });
    }
    // Streamed with a running total, so a lying Content-Length cannot exhaust memory.
    let mut body = vec![];
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(fetch_err)?;
        if (body.len() + chunk.len()) as u64 > max_bytes {
            return Err(InputError::TooLarge {
                url: url.clone(),
                max: max_bytes,
            });
        }
        body.extend_from_slice(&chunk);
    }
    let actual = hex::encode(Sha256::digest(&body));
    if actual != expected {
        return Err(InputError::HashMismatch {
            url: url.clone(),
            expected,
            actual,
        });
    }
    Ok(body)
}
