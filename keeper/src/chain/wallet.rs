//! The provider's (or renter's, or deployer's) signing key, derived from a BIP-39 mnemonic on the
//! Cosmos path. The mnemonic is read once and dropped; nothing here is ever printed.

use cosmrs::crypto::secp256k1::SigningKey;
use cosmrs::crypto::PublicKey;
use cosmrs::AccountId;
use std::fmt;

/// The Cosmos SDK's default HD path (coin type 118), the one `wasmd keys add` uses.
pub const HD_PATH: &str = "m/44'/118'/0'/0/0";

#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    #[error("the mnemonic is not a valid BIP-39 English phrase ({words} words given)")]
    BadMnemonic { words: usize },
    #[error("cannot derive the key on {path}: {reason}")]
    Derivation { path: &'static str, reason: String },
    #[error("cannot form an address with prefix {prefix:?}: {reason}")]
    Address { prefix: String, reason: String },
}

pub struct Wallet {
    key: SigningKey,
    address: AccountId,
}

impl Wallet {
    pub fn from_mnemonic(phrase: &str, prefix: &str) -> Result<Self, WalletError> {
        let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        let mnemonic = bip32::Mnemonic::new(&phrase, bip32::Language::English).map_err(|_| {
            WalletError::BadMnemonic {
                words: phrase.split(' ').filter(|w| !w.is_empty()).count(),
            }
        })?;
        let seed = mnemonic.to_seed("");
        let path = HD_PATH
            .parse()
            .map_err(|e: bip32::Error| WalletError::Derivation {
                path: HD_PATH,
                reason: e.to_string(),
            })?;
        let key =
            SigningKey::derive_from_path(seed, &path).map_err(|e| WalletError::Derivation {
                path: HD_PATH,
                reason: e.to_string(),
            })?;
        let address = key
            .public_key()
            .account_id(prefix)
            .map_err(|e| WalletError::Address {
                prefix: prefix.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Wallet { key, address })
    }

    pub fn address(&self) -> &AccountId {
        &self.address
    }

    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

/// Only the address: the key must never reach a log line.
impl fmt::Debug for Wallet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wallet")
            .field("address", &self.address.as_ref())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The `validator` development account of localnet/dev-accounts.txt; its address is what
    // `wasmd keys add --recover` prints for the same phrase.
    const DEV: &str = "ivory stone palm please lucky reform witness noble limit collect spring wear february couple mountain reduce claw pottery heavy ill friend library retreat decade";

    #[test]
    fn derives_the_cosmos_path_address() {
        let wallet = Wallet::from_mnemonic(DEV, "wasm").unwrap();
        assert!(wallet.address().as_ref().starts_with("wasm1"));
        let again = Wallet::from_mnemonic(&format!("  {DEV}\n"), "wasm").unwrap();
        assert_eq!(wallet.address(), again.address());
    }

    #[test]
    fn rejects_a_bad_mnemonic_without_echoing_it() {
        let err = Wallet::from_mnemonic("secret words that are wrong", "wasm").unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, WalletError::BadMnemonic { words: 5 }));
        assert!(!text.contains("secret"));
    }

    #[test]
    fn debug_shows_no_key() {
        let wallet = Wallet::from_mnemonic(DEV, "wasm").unwrap();
        let shown = format!("{wallet:?}");
        assert!(shown.contains("wasm1") && !shown.contains("ivory"));
    }
}
