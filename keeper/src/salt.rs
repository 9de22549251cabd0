//! Fresh secret salts: the provider's, which blinds its result commitment until reveals open, and
//! the renter's, whose hash an order carries so that a dispute's referee cannot be steered.

// The operating system's generator, reached through the k256 stack the signer already links
// (cosmrs enables its `getrandom` feature): no new dependency for 32 random bytes.
use cosmrs::bip32::secp256k1::elliptic_curve::rand_core::{OsRng, RngCore};
use gridshare_types::verification::{encode_hex, MAX_SALT_BYTES};

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random generator failed: {0}")]
pub struct SaltError(String);

/// A new salt of the longest accepted length, as lowercase hex.
pub fn fresh() -> Result<String, SaltError> {
    let mut bytes = [0u8; MAX_SALT_BYTES];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| SaltError(e.to_string()))?;
    Ok(encode_hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridshare_types::verification::salt_hash;

    #[test]
    fn salts_are_long_valid_and_distinct() {
        let a = fresh().unwrap();
        let b = fresh().unwrap();
        assert_eq!(a.len(), MAX_SALT_BYTES * 2);
        assert_ne!(a, b);
        // The contract accepts it: it hashes like any valid salt.
        assert!(salt_hash(&a).is_some());
    }
}
