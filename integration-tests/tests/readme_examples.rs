//! The README's JSON examples are what the contracts parse: each ```json <contract>-hook block
//! deserializes as that contract's `ReceiveMsg` (together they show every hook variant the schema
//! exports), and each block of the worked deployment (```json deploy:… and job:…, which
//! `localnet/integrator.sh` runs on a real node) as the message it is sent as.

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

/// (tag, JSON) of every ```json <tag> block in the README.
fn tagged_blocks() -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = README.lines();
    while let Some(line) = lines.next() {
        let Some(tag) = line.strip_prefix("```json ").map(str::trim) else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        blocks.push((tag.to_string(), body.join("\n")));
    }
    blocks
}

/// (contract, JSON) of every hook block in the README.
fn hook_blocks() -> Vec<(String, String)> {
    tagged_blocks()
        .into_iter()
        .filter_map(|(tag, json)| Some((tag.strip_suffix("-hook")?.to_string(), json)))
        .collect()
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

/// The placeholders of the worked deployment, filled as `localnet/integrator.sh` fills them.
fn filled(json: &str) -> String {
    let hex64 = "ab".repeat(32);
    [
        ("<deployer>", "wasm1deployer"),
        ("<provider>", "wasm1provider"),
        ("<renter>", "wasm1renter"),
        ("<offer_id>", "1"),
        ("<order_id>", "2"),
        ("<proposal_id>", "1"),
        ("<grid>", "wasm1grid"),
        ("<staking>", "wasm1staking"),
        ("<escrow>", "wasm1escrow"),
        ("<marketplace>", "wasm1marketplace"),
        ("<deadline>", "1798761600"),
        ("<lease_id>", "16"),
        ("<commitment>", hex64.as_str()),
        ("<output_sha256>", hex64.as_str()),
        ("<salt>", "0123456789abcdef0123456789abcdef"),
    ]
    .iter()
    .fold(json.to_string(), |json, (placeholder, value)| {
        json.replace(placeholder, value)
    })
}

fn parses_as(tag: &str, json: &str) -> Result<(), String> {
    use access_token::msg::ExecuteMsg as Grid;
    use marketplace::msg::{ExecuteMsg as Market, QueryMsg as MarketQuery};
    let parsed = match tag {
        "deploy:grid" => from_json::<access_token::msg::InstantiateMsg>(json).map(|_| ()),
        "deploy:staking" => from_json::<staking::msg::InstantiateMsg>(json).map(|_| ()),
        "deploy:escrow" => from_json::<escrow::msg::InstantiateMsg>(json).map(|_| ()),
        "deploy:marketplace" => from_json::<marketplace::msg::InstantiateMsg>(json).map(|_| ()),
        "deploy:governance" => from_json::<governance::msg::InstantiateMsg>(json).map(|_| ()),
        "deploy:wire-escrow" => from_json::<escrow::msg::ExecuteMsg>(json).map(|_| ()),
        "deploy:wire-staking" => from_json::<staking::msg::ExecuteMsg>(json).map(|_| ()),
        "job:grant-grid" | "job:grant-grid-renter" => from_json::<Grid>(json).map(|_| ()),
        "job:subscribe" => match from_json::<Grid>(json) {
            Ok(Grid::Send { msg, .. }) => {
                from_json::<access_token::msg::ReceiveMsg>(&msg).map(|_| ())
            }
            Ok(other) => return Err(format!("not a cw20 Send: {other:?}")),
            Err(e) => Err(e),
        },
        "job:unbond" => from_json::<staking::msg::ExecuteMsg>(json).map(|_| ()),
        "job:propose" | "job:vote" => from_json::<governance::msg::ExecuteMsg>(json).map(|_| ()),
        "job:bond" => match from_json::<Grid>(json) {
            Ok(Grid::Send { msg, .. }) => from_json::<staking::msg::ReceiveMsg>(&msg).map(|_| ()),
            Ok(other) => return Err(format!("not a cw20 Send: {other:?}")),
            Err(e) => Err(e),
        },
        "job:lease-query" => from_json::<MarketQuery>(json).map(|_| ()),
        tag if tag.starts_with("deploy:") || tag.starts_with("job:") => {
            from_json::<Market>(json).map(|_| ())
        }
        _ => return Ok(()),
    };
    parsed.map_err(|e| e.to_string())
}

#[test]
fn every_block_of_the_worked_deployment_parses_as_the_message_it_is_sent_as() {
    let blocks: Vec<(String, String)> = tagged_blocks()
        .into_iter()
        .filter(|(tag, _)| tag.starts_with("deploy:") || tag.starts_with("job:"))
        .collect();
    assert!(
        blocks.len() >= 17,
        "the worked deployment has {} blocks",
        blocks.len()
    );
    let errors: Vec<String> = blocks
        .iter()
        .filter_map(|(tag, json)| {
            let json = filled(json);
            parses_as(tag, &json)
                .err()
                .map(|e| format!("{tag}: {json}: {e}"))
        })
        .collect();
    assert!(
        errors.is_empty(),
        "README blocks that do not parse:\n{}",
        errors.join("\n")
    );
}
