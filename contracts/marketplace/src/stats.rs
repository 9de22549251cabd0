//! Market statistics per (model, denom): the supply/demand signal providers and frontends read.
//!
//! * `ewma ← (7 × ewma + price) / 8` on every match (alpha = 1/8, rounded down; the first match
//!   seeds it).
//! * utilization = `leased × 10000 / listed` basis points.
//! * suggested price: from the EWMA (or the best ask before any match), `× 9/8` rounded up when
//!   the market is tight (utilization ≥ 80%, or resting demand exceeds the free units), `× 15/16`
//!   rounded down when it is slack (utilization < 50% and no resting demand), unchanged otherwise.

use crate::state::{Stats, STATS};
use crate::ContractError;
use cosmwasm_std::{StdResult, Storage, Uint128};

pub const TIGHT_UTILIZATION_BPS: u16 = 8_000;
pub const SLACK_UTILIZATION_BPS: u16 = 5_000;

pub fn ewma_after(ewma: Option<Uint128>, price: Uint128) -> Uint128 {
    match ewma {
        None => price,
        // 7 × ewma + price may not fit a Uint128 near its top: computed in 256 bits.
        Some(old) => {
            let sum = cosmwasm_std::Uint256::from(old) * cosmwasm_std::Uint256::from(7u8)
                + cosmwasm_std::Uint256::from(price);
            Uint128::try_from(sum / cosmwasm_std::Uint256::from(8u8)).unwrap_or(Uint128::MAX)
        }
    }
}

pub fn utilization_bps(stats: &Stats) -> u16 {
    if stats.listed == 0 {
        return 0;
    }
    let bps = u128::from(stats.leased.min(stats.listed)) * 10_000 / u128::from(stats.listed);
    u16::try_from(bps).unwrap_or(10_000)
}

pub fn free_units(stats: &Stats) -> u64 {
    stats.listed.saturating_sub(stats.leased)
}

pub fn suggested_price(stats: &Stats, best_ask: Option<Uint128>) -> Option<Uint128> {
    let base = stats.ewma.or(best_ask)?;
    let utilization = utilization_bps(stats);
    let tight = utilization >= TIGHT_UTILIZATION_BPS || stats.demand > free_units(stats);
    let slack = utilization < SLACK_UTILIZATION_BPS && stats.demand == 0;
    Some(if tight {
        base.checked_mul_ceil(cosmwasm_std::Decimal::from_ratio(9u8, 8u8))
            .unwrap_or(Uint128::MAX)
    } else if slack {
        // 15/16 of a Uint128 always fits.
        base.checked_multiply_ratio(15u8, 16u8).unwrap_or(base)
    } else {
        base
    })
}

/// Market statistics touched by one transaction, loaded once and written once.
#[derive(Default)]
pub struct StatsCache {
    entries: Vec<((u32, u32), Stats, bool)>,
}

impl StatsCache {
    pub fn get(&mut self, storage: &dyn Storage, key: (u32, u32)) -> StdResult<&mut Stats> {
        let pos = match self.entries.iter().position(|(k, _, _)| *k == key) {
            Some(pos) => pos,
            None => {
                let stats = STATS.may_load(storage, key)?.unwrap_or_default();
                self.entries.push((key, stats, false));
                self.entries.len() - 1
            }
        };
        let entry = &mut self.entries[pos];
        entry.2 = true;
        Ok(&mut entry.1)
    }

    pub fn record_match(
        &mut self,
        storage: &dyn Storage,
        key: (u32, u32),
        price: Uint128,
        units: u32,
    ) -> Result<(), ContractError> {
        let stats = self.get(storage, key)?;
        stats.leased = stats
            .leased
            .checked_add(u64::from(units))
            .ok_or_else(overflow)?;
        stats.ewma = Some(ewma_after(stats.ewma, price));
        stats.last_price = Some(price);
        stats.matches = stats.matches.saturating_add(1);
        Ok(())
    }

    pub fn add_listed(
        &mut self,
        storage: &dyn Storage,
        key: (u32, u32),
        units: u32,
    ) -> Result<(), ContractError> {
        let stats = self.get(storage, key)?;
        stats.listed = stats
            .listed
            .checked_add(u64::from(units))
            .ok_or_else(overflow)?;
        Ok(())
    }

    pub fn sub_listed(
        &mut self,
        storage: &dyn Storage,
        key: (u32, u32),
        units: u32,
    ) -> Result<(), ContractError> {
        let stats = self.get(storage, key)?;
        stats.listed = stats.listed.saturating_sub(u64::from(units));
        Ok(())
    }

    pub fn sub_leased(
        &mut self,
        storage: &dyn Storage,
        key: (u32, u32),
        units: u32,
    ) -> Result<(), ContractError> {
        let stats = self.get(storage, key)?;
        stats.leased = stats.leased.saturating_sub(u64::from(units));
        Ok(())
    }

    /// Adds (or removes) resting demand of `units` on every model of `models`.
    pub fn add_demand(
        &mut self,
        storage: &dyn Storage,
        models: &[u32],
        denom: u32,
        units: u64,
    ) -> Result<(), ContractError> {
        for model in models {
            let stats = self.get(storage, (*model, denom))?;
            stats.demand = stats.demand.checked_add(units).ok_or_else(overflow)?;
        }
        Ok(())
    }

    pub fn sub_demand(
        &mut self,
        storage: &dyn Storage,
        models: &[u32],
        denom: u32,
        units: u64,
    ) -> Result<(), ContractError> {
        for model in models {
            let stats = self.get(storage, (*model, denom))?;
            stats.demand = stats.demand.saturating_sub(units);
        }
        Ok(())
    }

    pub fn flush(self, storage: &mut dyn Storage) -> StdResult<()> {
        for (key, stats, dirty) in self.entries {
            if dirty {
                STATS.save(storage, key, &stats)?;
            }
        }
        Ok(())
    }
}

fn overflow() -> ContractError {
    ContractError::Overflow(cosmwasm_std::OverflowError::new(
        cosmwasm_std::OverflowOperation::Add,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(listed: u64, leased: u64, demand: u64, ewma: Option<u128>) -> Stats {
        Stats {
            listed,
            leased,
            demand,
            ewma: ewma.map(Uint128::new),
            ..Stats::default()
        }
    }

    #[test]
    fn ewma_moves_an_eighth_of_the_way() {
        assert_eq!(ewma_after(None, Uint128::new(800)), Uint128::new(800));
        assert_eq!(
            ewma_after(Some(Uint128::new(800)), Uint128::new(1_600)),
            Uint128::new(900)
        );
        // (7 × 100 + 0) / 8 = 87.5 → 87.
        assert_eq!(
            ewma_after(Some(Uint128::new(100)), Uint128::zero()),
            Uint128::new(87)
        );
        assert_eq!(ewma_after(Some(Uint128::MAX), Uint128::MAX), Uint128::MAX);
    }

    #[test]
    fn utilization_is_leased_over_listed() {
        assert_eq!(utilization_bps(&stats(0, 0, 0, None)), 0);
        assert_eq!(utilization_bps(&stats(8, 2, 0, None)), 2_500);
        assert_eq!(utilization_bps(&stats(3, 3, 0, None)), 10_000);
    }

    #[test]
    fn suggested_price_follows_pressure() {
        // No match and no ask: nothing to suggest.
        assert_eq!(suggested_price(&stats(0, 0, 0, None), None), None);
        // Before any match: the best ask, slack market → 15/16.
        assert_eq!(
            suggested_price(&stats(10, 0, 0, None), Some(Uint128::new(1_600))),
            Some(Uint128::new(1_500))
        );
        // Tight by utilization: 9/8 rounded up.
        assert_eq!(
            suggested_price(&stats(10, 8, 0, Some(1_001)), None),
            Some(Uint128::new(1_127))
        );
        // Tight by demand exceeding free units.
        assert_eq!(
            suggested_price(&stats(10, 5, 6, Some(800)), None),
            Some(Uint128::new(900))
        );
        // In between: the EWMA.
        assert_eq!(
            suggested_price(&stats(10, 6, 1, Some(800)), None),
            Some(Uint128::new(800))
        );
    }
}
