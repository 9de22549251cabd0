//! A job's input bytes: inline in the order, or fetched over HTTP and checked against the
//! sha256 the renter committed to on chain.
//!
//! A fetch is the renter's request made from the provider's network, so it is bounded and
//! guarded: a connect timeout, a timeout per read (a trickle stalls it), a byte cap (the caller
//! adds a total deadline), at most [`MAX_REDIRECTS`] redirects, and every hop's address checked
//! before connecting: loopback, private, link-local and other non-public addresses are refused
//! unless the provider allows them, and the connection goes to the address that was checked
//! (a second DNS answer cannot swap it).

use futures::StreamExt;
use gridshare_types::marketplace::{JobInputs, RenterFault};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for the next bytes of a body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(20);
pub const MAX_REDIRECTS: usize = 3;

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
    #[error("{url} resolves to {addr}, which this keeper does not fetch from (not public)")]
    Forbidden { url: String, addr: IpAddr },
    #[error("{url}: more than {MAX_REDIRECTS} redirects")]
    Redirects { url: String },
    #[error("{url} sent nothing for {READ_TIMEOUT:?}")]
    Stalled { url: String },
}

impl InputError {
    /// The renter's fault when the input is (it fails the same way on any provider); `None` for
    /// the others (a network error, a server error), which may pass and are retried.
    pub fn renter_fault(&self) -> Option<RenterFault> {
        match self {
            InputError::Status { status, .. } if *status >= 500 => None,
            InputError::Fetch { .. } => None,
            InputError::TooLarge { .. } => Some(RenterFault::InputTooLarge),
            InputError::HashMismatch { .. } => Some(RenterFault::InputMismatch),
            InputError::Status { .. }
            | InputError::Scheme { .. }
            | InputError::Forbidden { .. }
            | InputError::Redirects { .. }
            | InputError::Stalled { .. } => Some(RenterFault::InputUnavailable),
        }
    }
}

/// The client the keeper fetches inputs with: no automatic redirects (each hop is checked).
pub fn client() -> reqwest::Client {
    builder().build().unwrap_or_default()
}

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
}

/// The input's bytes. `allow_private` lets a provider fetch from its own network (tests, a
/// local mirror).
pub async fn fetch(
    inputs: &JobInputs,
    max_bytes: u64,
    http: &reqwest::Client,
    allow_private: bool,
) -> Result<Vec<u8>, InputError> {
    let (url, expected) = match inputs {
        JobInputs::Inline { data } => return Ok(data.to_vec()),
        JobInputs::Url { url, sha256 } => (url, sha256.to_ascii_lowercase()),
    };
    let body = get(url, max_bytes, http, allow_private).await?;
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

async fn get(
    url: &str,
    max_bytes: u64,
    http: &reqwest::Client,
    allow_private: bool,
) -> Result<Vec<u8>, InputError> {
    let original = url.to_owned();
    let fetch_err = |reason: String| InputError::Fetch {
        url: original.clone(),
        reason,
    };
    let mut current = reqwest::Url::parse(url).map_err(|e| fetch_err(e.to_string()))?;
    for _ in 0..=MAX_REDIRECTS {
        if !matches!(current.scheme(), "http" | "https") {
            return Err(InputError::Scheme {
                url: current.to_string(),
            });
        }
        let host = current
            .host_str()
            .ok_or_else(|| fetch_err("no host".into()))?
            .to_owned();
        let port = current
            .port_or_known_default()
            .ok_or_else(|| fetch_err("no port".into()))?;
        let addr = resolve(&current, &host, port, allow_private).await?;
        // Connect to the address just checked, whatever a second lookup would answer.
        let pinned = builder()
            .resolve(host.trim_start_matches('[').trim_end_matches(']'), addr)
            .build()
            .map_err(|e| fetch_err(e.to_string()))?;
        let client = if allow_private { http } else { &pinned };
        let response = client
            .get(current.clone())
            .send()
            .await
            .map_err(|e| fetch_err(e.to_string()))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| fetch_err(format!("HTTP {status} without a location")))?;
            current = current
                .join(location)
                .map_err(|e| fetch_err(format!("redirect to {location:?}: {e}")))?;
            continue;
        }
        if !status.is_success() {
            return Err(InputError::Status {
                url: current.to_string(),
                status: status.as_u16(),
            });
        }
        return read_body(response, &current, max_bytes).await;
    }
    Err(InputError::Redirects { url: original })
}

/// The address to connect to; with `allow_private` unset, every address the name has must be
/// public (a name with one private answer is refused, not retried on the public one).
async fn resolve(
    url: &reqwest::Url,
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<SocketAddr, InputError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|e| InputError::Fetch {
                url: url.to_string(),
                reason: format!("resolving {bare}: {e}"),
            })?
            .collect(),
    };
    if !allow_private {
        if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
            return Err(InputError::Forbidden {
                url: url.to_string(),
                addr: bad.ip(),
            });
        }
    }
    addrs.first().copied().ok_or_else(|| InputError::Fetch {
        url: url.to_string(),
        reason: format!("{bare} has no address"),
    })
}

/// Streamed with a running total, so a lying Content-Length cannot exhaust memory, and a wait
/// per read, so a trickle cannot hold a job slot.
async fn read_body(
    response: reqwest::Response,
    url: &reqwest::Url,
    max_bytes: u64,
) -> Result<Vec<u8>, InputError> {
    let too_large = || InputError::TooLarge {
        url: url.to_string(),
        max: max_bytes,
    };
    if response.content_length().is_some_and(|n| n > max_bytes) {
        return Err(too_large());
    }
    let mut body = vec![];
    let mut stream = response.bytes_stream();
    loop {
        let next = tokio::time::timeout(READ_TIMEOUT, stream.next())
            .await
            .map_err(|_| InputError::Stalled {
                url: url.to_string(),
            })?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|e| InputError::Fetch {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        if (body.len() + chunk.len()) as u64 > max_bytes {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Globally routable: not loopback, private, link-local, shared (CGNAT), multicast,
/// documentation, benchmarking or unspecified, in IPv4 or IPv6 (mapped addresses included).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_fetched_from() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["1.1.1.1", "93.184.216.34", "2606:4700::1111"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn a_private_target_is_refused_before_connecting() {
        let inputs = JobInputs::Url {
            url: "http://127.0.0.1:9/input.bin".into(),
            sha256: "00".repeat(32),
        };
        let err = fetch(&inputs, 1024, &client(), false).await.unwrap_err();
        assert!(matches!(err, InputError::Forbidden { .. }), "{err}");
        assert_eq!(err.renter_fault(), Some(RenterFault::InputUnavailable));
        let meta = JobInputs::Url {
            url: "http://[::ffff:a9fe:a9fe]/latest/meta-data".into(),
            sha256: "00".repeat(32),
        };
        let err = fetch(&meta, 1024, &client(), false).await.unwrap_err();
        assert!(matches!(err, InputError::Forbidden { .. }), "{err}");
    }
}
