//! Reputation and the ranking of offers: integer math only, so every node agrees.

use crate::state::ProviderHot;
use cosmwasm_std::{Uint128, Uint256};

/// The best reputation.
pub const MAX_REPUTATION: u16 = 1_000;

/// `1000 × (accepted + 1) / (accepted + 2 + 2 × (rejected + missed))`, rounded down: a new
/// address starts at a neutral 500, so `min_reputation` above it excludes fresh (possibly Sybil)
/// addresses; only accepted results raise it (1 accepted: 666, 8: 900, 98: 990); one failure
/// with no success brings it to 250, and a long record makes a single failure matter little
/// (100 accepted, 1 rejected: 971).
pub fn reputation(accepted: u32, rejected: u32, missed: u32) -> u16 {
    let good = u64::from(accepted) + 1;
    let bad = 2 * (u64::from(rejected) + u64::from(missed));
    // The denominator exceeds the numerator, so the ratio is below 1000.
    u16::try_from(u64::from(MAX_REPUTATION) * good / (good + 1 + bad)).unwrap_or(MAX_REPUTATION)
}

pub fn reputation_of(hot: &ProviderHot) -> u16 {
    reputation(hot.accepted, hot.rejected, hot.missed)
}

/// The ranking key of an offer: its price per unit of benchmark performance, inflated by up to
/// 2× as reputation falls: `price × 10⁶ × (2000 − reputation) / (score × 1000)`, rounded down.
/// Lower is better. A zero score (never stored) ranks last.
pub fn effective_price(price: Uint128, score: u64, reputation: u16) -> Uint256 {
    if score == 0 {
        return Uint256::MAX;
    }
    let penalty = 2 * u64::from(MAX_REPUTATION) - u64::from(reputation.min(MAX_REPUTATION));
    // u128 × 10⁶ × 2000 < 2²⁶⁰? No: 2¹²⁸ × 2²⁰ × 2¹¹ = 2¹⁵⁹, far inside 256 bits.
    Uint256::from(price) * Uint256::from(1_000_000u64) * Uint256::from(penalty)
        / (Uint256::from(score) * Uint256::from(u64::from(MAX_REPUTATION)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reputation_starts_neutral_grows_with_work_and_falls_with_failures() {
        assert_eq!(reputation(0, 0, 0), 500);
        assert_eq!(reputation(1, 0, 0), 666);
        assert_eq!(reputation(0, 1, 0), 250);
        assert_eq!(reputation(0, 0, 1), 250);
        assert_eq!(reputation(100, 1, 0), 971);
        assert_eq!(reputation(10, 1, 1), 687);
        assert_eq!(reputation(u32::MAX, u32::MAX, u32::MAX), 200);
        assert_eq!(reputation(u32::MAX, 0, 0), 999);
    }

    #[test]
    fn effective_price_rewards_speed_and_reputation() {
        let p = Uint128::new(1_000);
        // Twice the score: half the effective price.
        assert_eq!(
            effective_price(p, 2_000, 1_000) * Uint256::from(2u8),
            effective_price(p, 1_000, 1_000)
        );
        // Reputation 0 doubles it.
        assert_eq!(
            effective_price(p, 1_000, 0),
            effective_price(p, 1_000, 1_000) * Uint256::from(2u8)
        );
        assert_eq!(
            effective_price(p, 1_000, 1_000),
            Uint256::from(1_000_000u64)
        );
        assert_eq!(effective_price(p, 0, 1_000), Uint256::MAX);
        // No overflow at the extremes.
        assert!(effective_price(Uint128::MAX, 1, 0) > Uint256::zero());
    }
}
