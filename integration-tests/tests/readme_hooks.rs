//! The README's cw20 hook examples are what the contracts parse: each ```json <contract>-hook block
//! deserializes as that contract's `ReceiveMsg`, and together they show every hook variant the
//! contract's schema exports.

use cosmwasm_std::from_json;
use std::collections::{BTreeMap, BTreeSet};

const README: &str = include_str!("../../README.md");

fn parses(contract: &str, json: &str) -> Result<(), String> {
    let parsed = match contract {
        "marketplace" => from_json::<marketplace::msg::ReceiveMsg>(json).map(|_| ()),
        "escrow" => from_json::<escrow::msg::ReceiveMsg>(json).map(|_| ()),
        "staking" => from_json::<staking::msg::ReceiveMsg>(json).map(|_| ()),
        "governance" => from_json::<governance::msg::ReceiveMsg>(json).map(|_| ()),
        "access-token" => from_json::<access_token::msg::ReceiveMsg>(json).map(|_| ()),
        other => return Err(format!("no contract named {other}")),
    };
    parsed.map_err(|e| e.to_string())
}

/// (contract, JSON) of every hook block in the README.
fn hook_blocks() -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = README.lines();
    while let Some(line) = lines.next() {
        let Some(contract) = line
            .strip_prefix("```json ")
            .and_then(|info| info.trim().strip_suffix("-hook"))
        else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        blocks.push((contract.to_string(), body.join("\n")));
    }
    blocks
}

/// The hook variants each contract's committed schema exports as `ReceiveMsg`.
fn schema_variants(contract: &str) -> BTreeSet<String> {
    let path = format!(
        "{}/../schema/{contract}/{contract}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let idl: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    idl["execute"]["definitions"]["ReceiveMsg"]["oneOf"]
        .as_array()
        .unwrap_or_else(|| panic!("{contract}'s schema exports no ReceiveMsg"))
        .iter()
        .filter_map(|variant| variant["required"][0].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_readme_hook_example_parses_and_every_hook_has_one() {
    let blocks = hook_blocks();
    let mut shown: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut errors = Vec::new();
    for (contract, json) in &blocks {
        if let Err(e) = parses(contract, json) {
            errors.push(format!("{contract}: {json}: {e}"));
        }
        let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        if let Some(variant) = value.as_object().and_then(|o| o.keys().next()) {
            shown
                .entry(contract.clone())
                .or_default()
                .insert(variant.clone());
        }
    }
    assert!(
        errors.is_empty(),
        "README hook examples that do not parse:\n{}",
        errors.join("\n")
    );
    for contract in [
        "marketplace",
        "escrow",
        "staking",
        "governance",
        "access-token",
    ] {
        assert_eq!(
            shown.get(contract).cloned().unwrap_or_default(),
            schema_variants(contract),
            "{contract}: the README's hook examples against the schema's ReceiveMsg variants"
        );
    }
}
