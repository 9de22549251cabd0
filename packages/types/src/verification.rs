//! The commit–reveal rule every replica follows, defined once for the marketplace and the keeper.
//!
//! A provider first commits `sha256(output_sha256 ‖ lease_id ‖ provider ‖ salt)`, where
//! `output_sha256` is the 32-byte digest of the output, `lease_id` is 8 bytes big-endian,
//! `provider` is the provider's address as UTF-8 and `salt` is 16 to 32 secret random bytes.
//! Binding the lease id and the address means a commitment copied from another replica can never
//! be revealed: the copier would need the other provider's address and lease inside the digest.

use sha2::{Digest, Sha256};

/// Shortest salt accepted, in bytes.
pub const MIN_SALT_BYTES: usize = 16;
/// Longest salt accepted, in bytes.
pub const MAX_SALT_BYTES: usize = 32;

/// Decodes hex digits (either case) into bytes; `None` for an odd length or a non-hex digit.
pub fn decode_hex(value: &str) -> Option<Vec<u8>> {
    if !value.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    value
        .as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Lowercase hex of `bytes`.
pub fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// The commitment (64 lowercase hex digits) to `output_sha256` (64 hex digits) for `lease_id`
/// by `provider` with `salt` (hex of 16 to 32 bytes); `None` when a hex argument is malformed.
pub fn result_commitment(
    output_sha256: &str,
    lease_id: u64,
    provider: &str,
    salt: &str,
) -> Option<String> {
    let digest = decode_hex(output_sha256).filter(|d| d.len() == 32)?;
    let salt = decode_hex(salt).filter(|s| (MIN_SALT_BYTES..=MAX_SALT_BYTES).contains(&s.len()))?;
    let mut hasher = Sha256::new();
    hasher.update(&digest);
    hasher.update(lease_id.to_be_bytes());
    hasher.update(provider.as_bytes());
    hasher.update(&salt);
    Some(encode_hex(&hasher.finalize()))
}

/// The digest a renter commits with an order (`dispute_salt_hash`) and reveals when disputing:
/// `sha256(salt)`, lowercase hex; `None` when `salt` is not hex of 16 to 32 bytes.
pub fn salt_hash(salt: &str) -> Option<String> {
    let salt = decode_hex(salt).filter(|s| (MIN_SALT_BYTES..=MAX_SALT_BYTES).contains(&s.len()))?;
    Some(encode_hex(&Sha256::digest(&salt)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const SALT: &str = "00112233445566778899aabbccddeeff";

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("ABcd"), Some(vec![0xab, 0xcd]));
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(encode_hex(&[0, 255, 16]), "00ff10");
    }

    #[test]
    fn a_commitment_binds_output_lease_provider_and_salt() {
        let base = result_commitment(OUT, 17, "wasm1p", SALT).unwrap();
        assert_eq!(base.len(), 64);
        assert_eq!(
            result_commitment(&OUT.to_uppercase(), 17, "wasm1p", SALT),
            Some(base.clone())
        );
        assert_ne!(
            result_commitment(OUT, 18, "wasm1p", SALT),
            Some(base.clone())
        );
        assert_ne!(
            result_commitment(OUT, 17, "wasm1q", SALT),
            Some(base.clone())
        );
        let other_salt = "ff112233445566778899aabbccddeeff";
        assert_ne!(
            result_commitment(OUT, 17, "wasm1p", other_salt),
            Some(base.clone())
        );
        let other_out = "0f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert_ne!(result_commitment(other_out, 17, "wasm1p", SALT), Some(base));
    }

    #[test]
    fn malformed_arguments_have_no_commitment() {
        assert_eq!(result_commitment("abcd", 1, "p", SALT), None);
        assert_eq!(result_commitment(OUT, 1, "p", "0011"), None);
        assert_eq!(result_commitment(OUT, 1, "p", &"00".repeat(33)), None);
        assert_eq!(salt_hash("00"), None);
        assert_eq!(salt_hash(SALT).map(|h| h.len()), Some(64));
    }
}
