//! Records the events a scenario's transactions emit, per contract and action, and checks them
//! against the events table in `docs/EVENTS.md`, so the published table cannot drift from what the
//! contracts really emit.

use crate::Suite;
use cw_multi_test::AppResponse;
use std::collections::{BTreeMap, BTreeSet};

/// (contract, event type, action) → every attribute key seen on it. Custom events (`wasm-slash`)
/// have no `action` attribute: their action column is `-`.
pub type EventTable = BTreeMap<(String, String, String), BTreeSet<String>>;

/// Attributes every wasm event carries or that name the row itself.
const IMPLIED: &[&str] = &["_contract_address", "action"];

pub struct EventLog {
    names: BTreeMap<String, String>,
    pub seen: EventTable,
    /// Steps that failed, with their errors: a scenario reports them all at once.
    pub failed: Vec<String>,
}

impl EventLog {
    pub fn new(suite: &Suite) -> Self {
        let names = [
            (&suite.marketplace, "marketplace"),
            (&suite.escrow, "escrow"),
            (&suite.staking, "staking"),
            (&suite.grid, "access-token"),
            (&suite.governance, "governance"),
        ]
        .into_iter()
        .map(|(addr, name)| (addr.to_string(), name.to_string()))
        .collect();
        EventLog {
            names,
            seen: EventTable::new(),
            failed: vec![],
        }
    }

    /// Records every wasm event of a successful transaction and hands the response back; a failed
    /// step is remembered under its name (see [`EventLog::failed`]).
    pub fn ok(&mut self, step: &str, result: anyhow::Result<AppResponse>) -> Option<AppResponse> {
        match result {
            Ok(response) => {
                self.record(&response);
                Some(response)
            }
            Err(e) => {
                self.failed.push(format!("{step}: {e:#}"));
                None
            }
        }
    }

    pub fn record(&mut self, response: &AppResponse) {
        for event in &response.events {
            if event.ty != "wasm" && !event.ty.starts_with("wasm-") {
                continue;
            }
            let attr = |key: &str| {
                event
                    .attributes
                    .iter()
                    .find(|a| a.key == key)
                    .map(|a| a.value.clone())
            };
            let contract = attr("_contract_address")
                .map(|addr| self.names.get(&addr).cloned().unwrap_or(addr))
                .unwrap_or_default();
            let action = attr("action").unwrap_or_else(|| "-".into());
            let keys = event
                .attributes
                .iter()
                .map(|a| a.key.clone())
                .filter(|k| !IMPLIED.contains(&k.as_str()));
            self.seen
                .entry((contract, event.ty.clone(), action))
                .or_default()
                .extend(keys);
        }
    }
}

/// The tables of `docs/EVENTS.md`: under each `## <contract>` heading, rows
/// `| event | action | attributes | … |` whose attribute cell lists backticked keys.
pub fn parse_events_doc(text: &str) -> EventTable {
    let mut table = EventTable::new();
    let mut contract = String::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            contract = heading.trim().trim_matches('`').to_string();
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 || !cells[1].starts_with('`') {
            continue;
        }
        let unquote = |cell: &str| cell.trim_matches('`').to_string();
        let attributes = cells[3]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        table.insert(
            (contract.clone(), unquote(cells[1]), unquote(cells[2])),
            attributes,
        );
    }
    table
}

/// The rows of `table` as the document writes them, for a table that has to be (re)written.
pub fn render_rows(table: &EventTable) -> String {
    let mut out = String::new();
    let mut current = "";
    for ((contract, ty, action), keys) in table {
        if contract != current {
            out.push_str(&format!("\n## {contract}\n\n"));
            current = contract;
        }
        let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&format!(
            "| `{ty}` | `{action}` | {} | |\n",
            keys.join(", ")
        ));
    }
    out
}
