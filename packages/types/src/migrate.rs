//! The one migration rule of every GridShare contract: only the same contract, at an equal or
//! newer version (cw2), may take over a contract's state.
//!
//! Versions are compared as plain `MAJOR.MINOR.PATCH` numbers. GridShare releases carry no
//! pre-release or build suffix, and a full semver parser (cw2's `ensure_from_older_version`)
//! costs every contract about 5 KB of wasm for rules it never uses; a suffixed version on either
//! side is refused.

use cosmwasm_std::{Response, StdError, Storage};
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
#[error("cannot migrate from {from_name} {from_version} to {to_name} {to_version}")]
pub struct CannotMigrate {
    pub from_name: String,
    pub from_version: String,
    pub to_name: String,
    pub to_version: String,
}

/// Checks the stored cw2 version against `name`/`version`, records the new version, and returns
/// the migration's response.
pub fn upgrade<E>(storage: &mut dyn Storage, name: &str, version: &str) -> Result<Response, E>
where
    E: From<StdError> + From<CannotMigrate>,
{
    let stored = cw2::get_contract_version(storage)?;
    let cannot = || CannotMigrate {
        from_name: stored.contract.clone(),
        from_version: stored.version.clone(),
        to_name: name.to_string(),
        to_version: version.to_string(),
    };
    match (release(&stored.version), release(version)) {
        (Some(from), Some(to)) if stored.contract == name && from <= to => {}
        _ => return Err(cannot().into()),
    }
    cw2::set_contract_version(storage, name, version)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", stored.version)
        .add_attribute("to_version", version))
}

/// `MAJOR.MINOR.PATCH` as three numbers, ordered as semver orders releases.
fn release(version: &str) -> Option<[u64; 3]> {
    let mut parts = version.split('.').map(|p| {
        // `parse` would also take a leading `+`.
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    });
    let release = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some(release)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;

    #[test]
    fn releases_parse_as_numbers() {
        assert_eq!(release("0.1.0"), Some([0, 1, 0]));
        assert_eq!(release("10.20.300"), Some([10, 20, 300]));
        assert!(release("0.10.0") > release("0.9.9"));
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "1.2.3-rc1",
            "1.2.3+b",
            "+1.2.3",
            "1..3",
            "a.b.c",
        ] {
            assert_eq!(release(bad), None, "{bad}");
        }
    }

    fn migrate(from: (&str, &str), to: (&str, &str)) -> Result<Response, CannotMigrate> {
        let mut storage = MockStorage::new();
        cw2::set_contract_version(&mut storage, from.0, from.1).map_err(|_| unreachable_err())?;
        let result = upgrade::<Wrapped>(&mut storage, to.0, to.1).map_err(|e| match e {
            Wrapped::Cannot(c) => c,
            Wrapped::Std => unreachable_err(),
        });
        let stored = cw2::get_contract_version(&storage).map_err(|_| unreachable_err())?;
        if result.is_err() {
            // A refused migration leaves the recorded version as it was.
            assert_eq!((stored.contract.as_str(), stored.version.as_str()), from);
        } else {
            assert_eq!((stored.contract.as_str(), stored.version.as_str()), to);
        }
        result
    }

    fn unreachable_err() -> CannotMigrate {
        CannotMigrate {
            from_name: "storage".into(),
            from_version: String::new(),
            to_name: String::new(),
            to_version: String::new(),
        }
    }

    #[derive(Debug)]
    enum Wrapped {
        Std,
        Cannot(CannotMigrate),
    }
    impl From<StdError> for Wrapped {
        fn from(_: StdError) -> Self {
            Wrapped::Std
        }
    }
    impl From<CannotMigrate> for Wrapped {
        fn from(c: CannotMigrate) -> Self {
            Wrapped::Cannot(c)
        }
    }

    #[test]
    fn same_contract_equal_or_newer_release_only() {
        assert!(migrate(("c", "0.1.0"), ("c", "0.1.0")).is_ok());
        assert!(migrate(("c", "0.1.0"), ("c", "0.2.0")).is_ok());
        assert!(migrate(("c", "0.9.0"), ("c", "0.10.0")).is_ok());
        assert!(migrate(("c", "0.2.0"), ("c", "0.1.9")).is_err());
        assert!(migrate(("c", "0.1.0"), ("other", "0.2.0")).is_err());
        assert!(migrate(("c", "0.1.0-rc1"), ("c", "0.2.0")).is_err());
        assert!(migrate(("c", "0.1.0"), ("c", "0.2.0-rc1")).is_err());
    }
}
