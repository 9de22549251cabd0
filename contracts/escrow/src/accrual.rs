//! Lazy streaming: what a payment has earned at a given time, computed from its start, never
//! stepped block by block. Every figure is derived from totals since the start, so rounding never
//! accumulates across releases, and every division rounds down, against the payee.

use crate::state::Payment;
use cosmwasm_std::{Timestamp, Uint128};
pub use gridshare_types::escrow::fee_on;

/// Gross amount accrued from `payment.start` to `at`, never more than the cap.
pub fn accrued(payment: &Payment, at: Timestamp) -> Uint128 {
    let elapsed = at.seconds().saturating_sub(payment.start.seconds());
    payment.rate.accrued(payment.cap, elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::Addr;
    use gridshare_types::escrow::Rate;

    fn payment(rate: Rate, cap: u128) -> Payment {
        Payment {
            account_id: 1,
            payee: Addr::unchecked("p"),
            rate,
            start: Timestamp::from_seconds(1_000),
            cap: Uint128::new(cap),
            fee_bps: 0,
            settled_until: Timestamp::from_seconds(1_000),
            released: Uint128::zero(),
            fees_paid: Uint128::zero(),
            withdrawn: Uint128::zero(),
            closed: false,
        }
    }

    #[test]
    fn nothing_accrues_before_or_at_the_start() {
        let p = payment(Rate::per_second(5u128), 1_000);
        assert_eq!(accrued(&p, Timestamp::from_seconds(10)), Uint128::zero());
        assert_eq!(accrued(&p, Timestamp::from_seconds(1_000)), Uint128::zero());
        assert_eq!(accrued(&p, Timestamp::from_seconds(1_001)), Uint128::new(5));
    }

    #[test]
    fn hourly_rates_are_exact_and_round_down() {
        let p = payment(Rate::per_hour(3_600_001u128), u128::MAX);
        assert_eq!(
            accrued(&p, Timestamp::from_seconds(1_000 + 3_600)),
            Uint128::new(3_600_001)
        );
        // 1 s of 3_600_001/h is 1000.0002…, rounded down.
        assert_eq!(
            accrued(&p, Timestamp::from_seconds(1_001)),
            Uint128::new(1_000)
        );
    }

    #[test]
    fn accrual_stops_at_the_cap() {
        let p = payment(Rate::per_second(7u128), 100);
        assert_eq!(
            accrued(&p, Timestamp::from_seconds(1_014)),
            Uint128::new(98)
        );
        assert_eq!(
            accrued(&p, Timestamp::from_seconds(1_015)),
            Uint128::new(100)
        );
        assert_eq!(
            accrued(&p, Timestamp::from_seconds(u64::MAX / 1_000_000_000)),
            Uint128::new(100)
        );
    }

    #[test]
    fn huge_rates_do_not_overflow() {
        let p = payment(Rate::per_second(u128::MAX), u128::MAX);
        assert_eq!(accrued(&p, Timestamp::from_seconds(5_000)), Uint128::MAX);
    }

    #[test]
    fn fees_round_down_and_never_exceed_the_gross() {
        assert_eq!(fee_on(Uint128::new(999), 100), Uint128::new(9));
        assert_eq!(fee_on(Uint128::new(10_000), 250), Uint128::new(250));
        assert_eq!(fee_on(Uint128::new(7), 10_000), Uint128::new(7));
        assert_eq!(fee_on(Uint128::MAX, 10_000), Uint128::MAX);
        assert_eq!(fee_on(Uint128::new(7), 0), Uint128::zero());
    }
}
