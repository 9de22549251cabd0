//! Private jobs: RFC 9180 HPKE in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
//! ChaCha20-Poly1305 (the same suite `@hpke/core` speaks in the TypeScript client), one
//! construction for everything, each use bound to its purpose and lease by HPKE's `info`:
//!
//! - the renter draws a one-off *order key pair* and seals the job's input to its public half
//!   (`info` = [`INPUT_INFO`]); the order carries that public half followed by the sealed input,
//!   so a keeper can tell a genuine order secret from a forged one without decrypting anything;
//! - once a replica is matched, the renter seals the order's secret half to that replica's
//!   provider key (`info` = [`key_info`] of the lease): one envelope per replica, delivered to the
//!   keeper's `POST /leases/<id>/key`, useless for any other lease or key;
//! - the job process opens the input with the order secret, runs, hashes the plaintext output
//!   (the commitment stays over it, so replicas still agree) and seals the output to the
//!   renter's `output_key` (`info` = [`output_info`] of the lease); the keeper serves only that.
//!
//! A sealed message is HPKE's encapsulated key (32 bytes) followed by the ciphertext.

use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use std::path::Path;

type Kem = X25519HkdfSha256;
pub use gridshare_types::marketplace::X25519_KEY_PREFIX;

pub const INPUT_INFO: &[u8] = b"gridshare/v1 input";
const ENC_LEN: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PrivacyError {
    #[error("{what} is not an x25519 key (`x25519:` and 64 hex digits): {value:?}")]
    BadKey { what: &'static str, value: String },
    #[error("cannot seal: {0}")]
    Seal(String),
    #[error("{what} does not open with this key (wrong key, wrong lease, or tampered)")]
    Open { what: &'static str },
    #[error("key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
}

/// A private input as an order carries it: the order's public key, then the input sealed to it.
pub fn seal_input(order: &SecretKey, input: &[u8]) -> Result<Vec<u8>, PrivacyError> {
    let public = order.public();
    let mut out = public.0.to_bytes().to_vec();
    out.extend_from_slice(&public.seal(INPUT_INFO, input)?);
    Ok(out)
}

/// Whether `order` is the secret of the key a sealed input names (its first 32 bytes).
pub fn input_key_matches(order: &SecretKey, sealed_input: &[u8]) -> bool {
    sealed_input.len() > ENC_LEN && sealed_input[..ENC_LEN] == order.public().0.to_bytes()[..]
}

/// The input [`seal_input`] sealed, opened with the order's secret.
pub fn open_input(order: &SecretKey, sealed_input: &[u8]) -> Result<Vec<u8>, PrivacyError> {
    if !input_key_matches(order, sealed_input) {
        return Err(PrivacyError::Open { what: "the input" });
    }
    order.open(INPUT_INFO, &sealed_input[ENC_LEN..], "the input")
}

pub fn key_info(lease_id: u64) -> Vec<u8> {
    format!("gridshare/v1 key lease {lease_id}").into_bytes()
}

pub fn output_info(lease_id: u64) -> Vec<u8> {
    format!("gridshare/v1 output lease {lease_id}").into_bytes()
}

/// An X25519 secret key.
#[derive(Clone)]
pub struct SecretKey(<Kem as hpke::Kem>::PrivateKey);

/// An X25519 public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(<Kem as hpke::Kem>::PublicKey);

impl SecretKey {
    pub fn generate() -> SecretKey {
        SecretKey(Kem::gen_keypair().0)
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(<Kem as hpke::Kem>::sk_to_pk(&self.0))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes().to_vec()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<SecretKey, PrivacyError> {
        <Kem as hpke::Kem>::PrivateKey::from_bytes(bytes)
            .map(SecretKey)
            .map_err(|_| PrivacyError::BadKey {
                what: "a secret key",
                value: format!("{} bytes", bytes.len()),
            })
    }

    /// The key in `path` (hex), created (mode 0600) if there is none yet.
    pub fn load_or_create(path: &Path) -> Result<SecretKey, PrivacyError> {
        let err = |reason: String| PrivacyError::KeyFile {
            path: path.display().to_string(),
            reason,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).map_err(|e| err(e.to_string()))?;
                SecretKey::from_bytes(&bytes).map_err(|e| err(e.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
                }
                use std::io::Write;
                use std::os::unix::fs::OpenOptionsExt;
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(|e| err(e.to_string()))?;
                file.write_all(hex::encode(key.to_bytes()).as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| err(e.to_string()))?;
                Ok(key)
            }
            Err(e) => Err(err(e.to_string())),
        }
    }

    /// Opens what [`seal`] sealed to this key's public half with the same `info`.
    pub fn open(
        &self,
        info: &[u8],
        sealed: &[u8],
        what: &'static str,
    ) -> Result<Vec<u8>, PrivacyError> {
        if sealed.len() < ENC_LEN {
            return Err(PrivacyError::Open { what });
        }
        let (enc, ciphertext) = sealed.split_at(ENC_LEN);
        let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(enc)
            .map_err(|_| PrivacyError::Open { what })?;
        hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, Kem>(
            &OpModeR::Base,
            &self.0,
            &enc,
            info,
            ciphertext,
            b"",
        )
        .map_err(|_| PrivacyError::Open { what })
    }
}

impl PublicKey {
    /// `x25519:<64 hex>`, as a job spec's `output_key` and a provider's `public_key` carry it.
    pub fn to_text(&self) -> String {
        format!("{X25519_KEY_PREFIX}{}", hex::encode(self.0.to_bytes()))
    }

    pub fn parse(text: &str, what: &'static str) -> Result<PublicKey, PrivacyError> {
        let bad = || PrivacyError::BadKey {
            what,
            value: text.to_string(),
        };
        if !gridshare_types::marketplace::is_x25519_key(text) {
            return Err(bad());
        }
        let bytes = hex::decode(&text[X25519_KEY_PREFIX.len()..]).map_err(|_| bad())?;
        <Kem as hpke::Kem>::PublicKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| bad())
    }

    /// HPKE-seals `plaintext` to this key: the encapsulated key, then the ciphertext.
    pub fn seal(&self, info: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, PrivacyError> {
        let (enc, ciphertext) = hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, Kem>(
            &OpModeS::Base,
            &self.0,
            info,
            plaintext,
            b"",
        )
        .map_err(|e| PrivacyError::Seal(e.to_string()))?;
        let mut out = enc.to_bytes().to_vec();
        out.extend_from_slice(&ciphertext);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_seal_opens_only_with_its_key_and_its_purpose() {
        let provider = SecretKey::generate();
        let other = SecretKey::generate();
        let order = SecretKey::generate();
        let envelope = provider
            .public()
            .seal(&key_info(16), &order.to_bytes())
            .unwrap();
        assert_eq!(
            provider.open(&key_info(16), &envelope, "envelope").unwrap(),
            order.to_bytes()
        );
        // Another provider, another lease, or a flipped bit: refused.
        assert!(other.open(&key_info(16), &envelope, "envelope").is_err());
        assert!(provider.open(&key_info(17), &envelope, "envelope").is_err());
        let mut flipped = envelope.clone();
        flipped[40] ^= 1;
        assert!(provider.open(&key_info(16), &flipped, "envelope").is_err());
        assert!(provider
            .open(&key_info(16), &envelope[..20], "envelope")
            .is_err());
        // Sealing twice gives different bytes: nothing about the plaintext repeats.
        let again = provider
            .public()
            .seal(&key_info(16), &order.to_bytes())
            .unwrap();
        assert_ne!(envelope, again);
    }

    #[test]
    fn keys_round_trip_as_text_and_files() {
        let key = SecretKey::generate();
        let text = key.public().to_text();
        assert!(text.starts_with("x25519:") && text.len() == 7 + 64);
        assert_eq!(PublicKey::parse(&text, "k").unwrap(), key.public());
        for bad in ["x25519:00", "ed25519:", &text.to_uppercase()] {
            assert!(PublicKey::parse(bad, "k").is_err(), "{bad}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/provider.x25519");
        let made = SecretKey::load_or_create(&path).unwrap();
        let loaded = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(made.public(), loaded.public());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }

    #[test]
    fn a_private_job_round_trips_from_renter_to_keeper_and_back() {
        let renter = SecretKey::generate();
        let provider = SecretKey::generate();
        // Renter: the order key pair seals the input; its secret goes to the provider.
        let order = SecretKey::generate();
        let input = b"the renter's secret input";
        let ciphertext = seal_input(&order, input).unwrap();
        assert!(!ciphertext.windows(6).any(|w| w == b"secret"));
        // Only the order's own secret matches the input, checked without decrypting.
        assert!(input_key_matches(&order, &ciphertext));
        assert!(!input_key_matches(&SecretKey::generate(), &ciphertext));
        assert!(open_input(&SecretKey::generate(), &ciphertext).is_err());
        let envelope = provider
            .public()
            .seal(&key_info(32), &order.to_bytes())
            .unwrap();
        // Keeper: opens the envelope, then the input; seals the output to the renter.
        let order_secret =
            SecretKey::from_bytes(&provider.open(&key_info(32), &envelope, "envelope").unwrap())
                .unwrap();
        assert_eq!(open_input(&order_secret, &ciphertext).unwrap(), input);
        let sealed = renter.public().seal(&output_info(32), b"output").unwrap();
        assert_eq!(
            renter.open(&output_info(32), &sealed, "output").unwrap(),
            b"output"
        );
        assert!(renter.open(&output_info(33), &sealed, "output").is_err());
    }
}
