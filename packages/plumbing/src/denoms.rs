//! Configured denom lists: their shape, and the chain that keeps fees deliverable.
//!
//! Every fee escrow takes must be a reward denom the fee collector (staking) accepts, and every
//! denom an order may be paid in must be one escrow holds; otherwise a release reverts and no
//! lease in that denom can settle. So the suite keeps, at every configuration change,
//! `marketplace-accepted ⊆ escrow-accepted ⊆ staking reward denoms`, each contract checking
//! its neighbours by query when its own list (or the neighbour it points at) changes.

use cosmwasm_std::Api;
use gridshare_types::{Denom, DenomError, UncheckedDenom};

#[derive(thiserror::Error, Debug, PartialEq)]
pub enum DenomListError {
    #[error("a denom list holds 1 to {max} denoms, got {got}")]
    Count { got: usize, max: usize },
    #[error(transparent)]
    Denom(#[from] DenomError),
    #[error(
        "{missing} is in the {inner} but not in the {outer}: fees in it could never be delivered"
    )]
    NotSubset {
        missing: String,
        inner: &'static str,
        outer: &'static str,
    },
}

/// Validates a non-empty list of at most `max` denoms; returns it sorted and without duplicates.
pub fn validate_denom_list(
    api: &dyn Api,
    denoms: &[UncheckedDenom],
    max: usize,
) -> Result<Vec<Denom>, DenomListError> {
    if denoms.is_empty() || denoms.len() > max {
        return Err(DenomListError::Count {
            got: denoms.len(),
            max,
        });
    }
    let mut validated = denoms
        .iter()
        .map(|d| d.validate(api))
        .collect::<Result<Vec<_>, _>>()?;
    validated.sort();
    validated.dedup();
    Ok(validated)
}

/// Checks `inner ⊆ outer`, naming the first denom that breaks it.
pub fn ensure_subset<'a>(
    inner: impl IntoIterator<Item = &'a Denom>,
    outer: &[Denom],
    inner_name: &'static str,
    outer_name: &'static str,
) -> Result<(), DenomListError> {
    match inner.into_iter().find(|d| !outer.contains(d)) {
        None => Ok(()),
        Some(missing) => Err(DenomListError::NotSubset {
            missing: missing.to_string(),
            inner: inner_name,
            outer: outer_name,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockApi;

    fn native(d: &str) -> UncheckedDenom {
        UncheckedDenom::Native(d.into())
    }

    #[test]
    fn lists_are_bounded_sorted_and_deduplicated() {
        let api = MockApi::default();
        assert_eq!(
            validate_denom_list(&api, &[], 4),
            Err(DenomListError::Count { got: 0, max: 4 })
        );
        assert_eq!(
            validate_denom_list(&api, &vec![native("uusdc"); 5], 4),
            Err(DenomListError::Count { got: 5, max: 4 })
        );
        assert!(matches!(
            validate_denom_list(&api, &[native("1x")], 4),
            Err(DenomListError::Denom(_))
        ));
        assert_eq!(
            validate_denom_list(
                &api,
                &[native("uusdc"), native("uatom"), native("uusdc")],
                4
            ),
            Ok(vec![
                Denom::Native("uatom".into()),
                Denom::Native("uusdc".into())
            ])
        );
    }

    #[test]
    fn subset_names_the_missing_denom() {
        let a = Denom::Native("uatom".into());
        let b = Denom::Native("uusdc".into());
        assert_eq!(
            ensure_subset([&a], &[a.clone(), b.clone()], "x", "y"),
            Ok(())
        );
        assert_eq!(
            ensure_subset(
                [&a, &b],
                std::slice::from_ref(&a),
                "escrow's accepted denoms",
                "staking's reward denoms"
            ),
            Err(DenomListError::NotSubset {
                missing: b.to_string(),
                inner: "escrow's accepted denoms",
                outer: "staking's reward denoms",
            })
        );
    }
}
