//! The size budget every optimized contract must meet, and the table `make check` prints.
//!
//! The chain's own cap (`MAX_WASM_SIZE`, 800 KiB) is far too late a warning: a contract that
//! grows to it cannot take one more fix. So each artifact has a budget (a failure above it) and
//! a goal (reported, not enforced), both in KiB.

use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    pub limit_kib: usize,
    pub goal_kib: usize,
    /// Named contracts held to a limit of their own (a ratchet while they are being brought under
    /// the budget: they may not grow past it). Listed as over budget all the same.
    pub allowances: Vec<(String, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// At or under the goal.
    Goal,
    /// Over the goal, at or under the limit.
    Within,
    /// Over the budget, within the contract's own allowance: reported, not a failure.
    Allowed,
    /// Over the limit: the check fails.
    Over,
}

impl Budget {
    /// `name=KiB,name=KiB`, as `SIZE_ALLOWANCES` gives it.
    pub fn parse_allowances(spec: &str) -> Result<Vec<(String, usize)>, String> {
        spec.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let (name, kib) = entry
                    .split_once('=')
                    .ok_or_else(|| format!("allowance {entry:?} is not name=KiB"))?;
                let kib = kib
                    .trim()
                    .parse()
                    .map_err(|_| format!("allowance {entry:?}: {kib:?} is not a whole number"))?;
                Ok((name.trim().to_string(), kib))
            })
            .collect()
    }

    pub fn verdict(&self, name: &str, size: usize) -> Verdict {
        if size > self.limit_kib * 1024 {
            let allowance = self.allowances.iter().find(|(n, _)| n == name);
            match allowance {
                Some((_, kib)) if size <= kib * 1024 => Verdict::Allowed,
                _ => Verdict::Over,
            }
        } else if size > self.goal_kib * 1024 {
            Verdict::Within
        } else {
            Verdict::Goal
        }
    }

    /// One line per contract: size, share of the budget, and the verdict.
    pub fn table(&self, rows: &[(String, usize)]) -> String {
        let mut out = format!(
            "{:<16} {:>9} {:>8} {:>7}  budget {} KiB, goal {} KiB\n",
            "contract", "bytes", "KiB", "budget", self.limit_kib, self.goal_kib
        );
        for (name, size) in rows {
            let allowance = self
                .allowances
                .iter()
                .find(|(n, _)| n == name)
                .map_or(String::new(), |(_, kib)| format!(" (allowance {kib} KiB)"));
            let verdict = match self.verdict(name, *size) {
                Verdict::Goal => "ok (within goal)".to_string(),
                Verdict::Within => "ok (over goal)".to_string(),
                Verdict::Allowed => format!("OVER BUDGET, held by its allowance{allowance}"),
                Verdict::Over => format!("OVER BUDGET{allowance}"),
            };
            let _ = writeln!(
                out,
                "{:<16} {:>9} {:>8.1} {:>6.0}%  {verdict}",
                name,
                size,
                *size as f64 / 1024.0,
                *size as f64 * 100.0 / (self.limit_kib * 1024) as f64,
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Budget {
        Budget {
            limit_kib: 560,
            goal_kib: 400,
            allowances: vec![("marketplace".into(), 700)],
        }
    }

    #[test]
    fn the_limit_is_inclusive_and_the_goal_is_reported_apart() {
        let b = budget();
        assert_eq!(b.verdict("escrow", 400 * 1024), Verdict::Goal);
        assert_eq!(b.verdict("escrow", 400 * 1024 + 1), Verdict::Within);
        assert_eq!(b.verdict("escrow", 560 * 1024), Verdict::Within);
        assert_eq!(b.verdict("escrow", 560 * 1024 + 1), Verdict::Over);
    }

    #[test]
    fn an_allowance_holds_one_contract_and_no_other() {
        let b = budget();
        assert_eq!(b.verdict("marketplace", 600 * 1024), Verdict::Allowed);
        assert_eq!(b.verdict("marketplace", 700 * 1024 + 1), Verdict::Over);
        assert_eq!(b.verdict("staking", 600 * 1024), Verdict::Over);
        assert_eq!(
            Budget::parse_allowances(" marketplace=700, escrow = 10 ,"),
            Ok(vec![("marketplace".into(), 700), ("escrow".into(), 10)])
        );
        assert!(Budget::parse_allowances("marketplace").is_err());
        assert!(Budget::parse_allowances("marketplace=big").is_err());
    }

    #[test]
    fn the_table_names_every_contract_and_its_verdict() {
        let table = budget().table(&[("escrow".into(), 300_000), ("marketplace".into(), 600_000)]);
        let over = Budget {
            allowances: vec![],
            ..budget()
        }
        .table(&[("marketplace".into(), 600_000)]);
        assert!(over.contains("OVER BUDGET"), "{over}");
        assert!(!over.contains("allowance"), "{over}");
        assert!(table.contains("budget 560 KiB, goal 400 KiB"), "{table}");
        assert!(table
            .lines()
            .any(|l| l.starts_with("escrow") && l.contains("ok (within goal)")));
        assert!(table.lines().any(|l| l.starts_with("marketplace")
            && l.contains("held by its allowance (allowance 700 KiB)")));
    }
}
