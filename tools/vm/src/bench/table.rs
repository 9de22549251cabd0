//! The printed gas table.

use super::chain::Gas;

pub struct Row {
    pub operation: String,
    pub gas: Gas,
}

pub struct Table {
    baseline: Gas,
    rows: Vec<Row>,
}

impl Table {
    pub fn new(baseline: Gas) -> Self {
        Table {
            baseline,
            rows: vec![],
        }
    }

    pub fn push(&mut self, operation: impl Into<String>, gas: Gas) {
        self.rows.push(Row {
            operation: operation.into(),
            gas,
        });
    }

    /// Gas of `operation` relative to the baseline.
    pub fn ratio(&self, gas: Gas) -> f64 {
        gas.total() as f64 / self.baseline.total().max(1) as f64
    }

    pub fn print(&self) {
        println!(
            "| {:<62} | {:>16} | {:>16} | {:>16} | {:>9} | {:>7} |",
            "operation", "execution (VM)", "storage (VM)", "total (VM)", "≈ SDK gas", "× cw20"
        );
        println!(
            "|{:-<64}|{:-<18}|{:-<18}|{:-<18}|{:-<11}|{:-<9}|",
            "", "", "", "", "", ""
        );
        let baseline = Row {
            operation: "cw20-base transfer (baseline)".into(),
            gas: self.baseline,
        };
        for row in std::iter::once(&baseline).chain(&self.rows) {
            println!(
                "| {:<62} | {:>16} | {:>16} | {:>16} | {:>9} | {:>7.2} |",
                row.operation,
                row.gas.execution,
                row.gas.storage,
                row.gas.total(),
                row.gas.sdk(),
                self.ratio(row.gas)
            );
        }
    }
}
