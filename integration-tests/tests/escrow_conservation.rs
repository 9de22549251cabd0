//! Property: over random sequences of escrow messages, no coin is created or lost.
//!
//! After every step, for each denom (native and cw20):
//! - escrow's real balance equals its per-denom total and the sum of its open accounts' balances;
//! - no account promises more than it holds (reserved ≤ balance) and closed accounts hold nothing;
//! - every payment has paid out no more than it released, and released no more than its cap;
//! - every coin the depositors and the patron put in is in escrow, with a payee, or with the fee
//!   collector (which received each fee through its deposit message); the marketplace keeps none.
//!
//! Failed messages are part of the sequence on purpose: each must leave all of this intact.

use cosmwasm_std::Uint128;
use gridshare_testing::{Asset, PaymentSpec, Suite, SuiteBuilder, USDC};
use gridshare_types::Denom;
use proptest::prelude::*;

const DEPOSITORS: [&str; 2] = ["r1", "r2"];
const PATRON: &str = "patron";
const PAYEES: [&str; 2] = ["p1", "p2"];
const ACCOUNTS: u64 = 4;
const LEASES: u64 = 12;
const START_FUNDS: u128 = 10_000_000;

#[derive(Clone, Debug)]
enum Op {
    Open {
        account: u64,
        depositor: usize,
        cw20: bool,
        amount: u128,
    },
    TopUp {
        account: u64,
        cw20: bool,
        amount: u128,
    },
    OpenPayment {
        lease: u64,
        account: u64,
        payee: usize,
        rate: u128,
        per: u64,
        cap: u128,
        fee_bps: u16,
        delay: u64,
    },
    Advance {
        seconds: u64,
    },
    Release {
        lease: u64,
        back: Option<u64>,
    },
    ClosePayment {
        lease: u64,
        back: Option<u64>,
    },
    Refund {
        account: u64,
        amount: u128,
    },
    CloseAccount {
        account: u64,
        back: Option<u64>,
    },
    /// `payee: None` withdraws as the lease's own payee; `Some(i)` as payee `i`, right or wrong.
    Withdraw {
        payee: Option<usize>,
        leases: Vec<u64>,
    },
}

/// Mostly valid amounts, sometimes zero (an error path that must change nothing).
fn amount(max: u128) -> impl Strategy<Value = u128> {
    prop_oneof![9 => 1..max, 1 => Just(0u128)]
}

fn op() -> impl Strategy<Value = Op> {
    let account = 0..ACCOUNTS;
    let lease = 0..LEASES;
    // A reference below 100 picks among the payments that exist; from 100, a raw lease id.
    let lease_ref = prop_oneof![5 => 0u64..100, 1 => 100..100 + LEASES];
    let back = prop::option::of(0u64..2_000);
    prop_oneof![
        3 => (account.clone(), 0..DEPOSITORS.len(), any::<bool>(), amount(200_000))
            .prop_map(|(account, depositor, cw20, amount)| Op::Open { account, depositor, cw20, amount }),
        1 => (account.clone(), any::<bool>(), amount(50_000))
            .prop_map(|(account, cw20, amount)| Op::TopUp { account, cw20, amount }),
        4 => (lease.clone(), account.clone(), 0..PAYEES.len(), amount(500), prop::sample::select(vec![1u64, 60, 3_600]), amount(80_000), prop_oneof![9 => 0u16..=3_000, 1 => 0u16..=11_000], 0u64..30)
            .prop_map(|(lease, account, payee, rate, per, cap, fee_bps, delay)| Op::OpenPayment { lease, account, payee, rate, per, cap, fee_bps, delay }),
        4 => (1u64..3_000).prop_map(|seconds| Op::Advance { seconds }),
        5 => (lease_ref.clone(), back.clone()).prop_map(|(lease, back)| Op::Release { lease, back }),
        2 => (lease_ref.clone(), back.clone()).prop_map(|(lease, back)| Op::ClosePayment { lease, back }),
        1 => (account.clone(), amount(100_000)).prop_map(|(account, amount)| Op::Refund { account, amount }),
        1 => (account, back).prop_map(|(account, back)| Op::CloseAccount { account, back }),
        4 => (prop_oneof![4 => Just(None), 1 => (0..PAYEES.len()).prop_map(Some)], prop::collection::vec(lease_ref, 1..3)).prop_map(|(payee, leases)| Op::Withdraw { payee, leases }),
    ]
}

fn suite() -> Suite {
    let mut builder = SuiteBuilder::new();
    for who in DEPOSITORS.iter().chain([&PATRON]) {
        builder = builder
            .with_native(who, START_FUNDS, USDC)
            .with_grid(who, START_FUNDS);
    }
    builder.build()
}

fn asset(suite: &Suite, cw20: bool, amount: u128) -> Asset {
    if cw20 {
        Asset::cw20(amount, &suite.grid)
    } else {
        Asset::native(amount, USDC)
    }
}

/// A time `back` seconds before now (saturating), or none.
fn before_now(suite: &Suite, back: Option<u64>) -> Option<cosmwasm_std::Timestamp> {
    back.map(|b| suite.now().minus_seconds(b.min(suite.now().seconds())))
}

/// The lease a reference from the generator points at (see `op`).
fn resolve(suite: &Suite, reference: u64) -> u64 {
    let existing: Vec<u64> = (0..LEASES)
        .filter(|&id| query_payment(suite, id).is_some())
        .collect();
    if reference >= 100 || existing.is_empty() {
        reference % 100
    } else {
        existing[reference as usize % existing.len()]
    }
}

fn apply(suite: &mut Suite, op: &Op) -> bool {
    let op = match op.clone() {
        Op::Release { lease, back } => Op::Release {
            lease: resolve(suite, lease),
            back,
        },
        Op::ClosePayment { lease, back } => Op::ClosePayment {
            lease: resolve(suite, lease),
            back,
        },
        Op::Withdraw { payee, leases } => Op::Withdraw {
            payee,
            leases: leases.into_iter().map(|l| resolve(suite, l)).collect(),
        },
        other => other,
    };
    let result = match op {
        Op::Open {
            account,
            depositor,
            cw20,
            amount,
        } => {
            let asset = asset(suite, cw20, amount);
            suite.open_account(account, DEPOSITORS[depositor], asset)
        }
        Op::TopUp {
            account,
            cw20,
            amount,
        } => {
            let asset = asset(suite, cw20, amount);
            suite.top_up(PATRON, account, asset)
        }
        Op::OpenPayment {
            lease,
            account,
            payee,
            rate,
            per,
            cap,
            fee_bps,
            delay,
        } => {
            let start = suite.now().plus_seconds(delay);
            let mut spec = PaymentSpec::lease(lease)
                .in_account(account)
                .to(PAYEES[payee])
                .cap(cap)
                .fee_bps(fee_bps)
                .starting(start);
            spec.rate = gridshare_types::escrow::Rate {
                amount: rate.into(),
                per_seconds: per,
            };
            suite.open_payment(spec)
        }
        Op::Advance { seconds } => {
            suite.advance_seconds(seconds);
            return true;
        }
        Op::Release { lease, back } => match before_now(suite, back) {
            Some(until) => suite.release_until(lease, until),
            None => suite.release(lease),
        },
        Op::ClosePayment { lease, back } => {
            let until = before_now(suite, back);
            suite.close_payment(lease, until)
        }
        Op::Refund { account, amount } => suite.refund(account, amount),
        Op::CloseAccount { account, back } => {
            let until = before_now(suite, back);
            suite.close_account(account, until)
        }
        Op::Withdraw { payee, leases } => {
            let payee = payee.unwrap_or_else(|| {
                let own = query_payment(suite, leases[0]).map(|p| p.payee);
                PAYEES
                    .iter()
                    .position(|name| Some(suite.addr(name)) == own)
                    .unwrap_or(0)
            });
            suite.withdraw(PAYEES[payee], &leases)
        }
    };
    result.is_ok()
}

fn query_account(suite: &Suite, id: u64) -> Option<gridshare_types::escrow::AccountResponse> {
    suite
        .app
        .wrap()
        .query_wasm_smart(
            &suite.escrow,
            &gridshare_types::escrow::QueryMsg::Account { account_id: id },
        )
        .ok()
}

fn query_payment(suite: &Suite, id: u64) -> Option<gridshare_types::escrow::PaymentResponse> {
    suite
        .app
        .wrap()
        .query_wasm_smart(
            &suite.escrow,
            &gridshare_types::escrow::QueryMsg::Payment { lease_id: id },
        )
        .ok()
}

fn check_invariants(suite: &Suite) -> Result<(), TestCaseError> {
    let accounts: Vec<_> = (0..ACCOUNTS)
        .filter_map(|id| query_account(suite, id))
        .collect();
    let payments: Vec<_> = (0..LEASES)
        .filter_map(|id| query_payment(suite, id))
        .collect();

    for account in &accounts {
        prop_assert!(
            account.reserved <= account.balance,
            "account over-reserved: {account:?}"
        );
        prop_assert_eq!(account.available, account.balance - account.reserved);
        if account.closed {
            prop_assert!(
                account.balance.is_zero() && account.reserved.is_zero(),
                "closed account holds funds: {:?}",
                account
            );
        }
        let owed: Uint128 = payments
            .iter()
            .filter(|p| p.account_id == account.account_id)
            .map(|p| p.withdrawable)
            .sum();
        prop_assert!(
            owed <= account.balance,
            "account {} owes {owed} but holds {}",
            account.account_id,
            account.balance
        );
    }
    for payment in &payments {
        prop_assert!(
            payment.released <= payment.cap,
            "released above cap: {payment:?}"
        );
        prop_assert_eq!(
            payment.released,
            payment.fees_paid + payment.withdrawn + payment.withdrawable
        );
        prop_assert_eq!(
            payment.fees_paid,
            payment.released.multiply_ratio(payment.fee_bps, 10_000u128)
        );
        if payment.closed {
            prop_assert!(payment.releasable.is_zero());
        }
    }

    for denom in [suite.usdc(), suite.grid_denom()] {
        let held = suite.balance(&suite.escrow, &denom);
        let open_sum: Uint128 = accounts
            .iter()
            .filter(|a| a.denom == denom)
            .map(|a| a.balance)
            .sum();
        prop_assert_eq!(
            held,
            suite.escrow_total(&denom),
            "escrow's totals disagree with its balance in {}",
            denom
        );
        prop_assert_eq!(
            held,
            open_sum,
            "escrow's balance is not the sum of its accounts in {}",
            denom
        );

        // Refunds of a patron's top-ups go to the account's depositor, so payers count as one.
        let payers = DEPOSITORS.iter().chain([&PATRON]);
        let payers_now: u128 = payers
            .clone()
            .map(|who| suite.balance_of(who, &denom).u128())
            .sum();
        let put_in = START_FUNDS * payers.count() as u128 - payers_now;
        let with_payees: u128 = PAYEES
            .iter()
            .map(|p| suite.balance_of(p, &denom).u128())
            .sum();
        let withdrawn: Uint128 = payments
            .iter()
            .filter(|p| denom_of(&accounts, p.account_id) == Some(&denom))
            .map(|p| p.withdrawn)
            .sum();
        prop_assert_eq!(
            Uint128::new(with_payees),
            withdrawn,
            "payees hold other than what they withdrew in {}",
            denom
        );
        let fees = suite.balance(&suite.staking, &denom);
        prop_assert_eq!(
            fees,
            suite.fees_collected(&denom),
            "a fee reached the collector without its deposit message"
        );
        let fees_paid: Uint128 = payments
            .iter()
            .filter(|p| denom_of(&accounts, p.account_id) == Some(&denom))
            .map(|p| p.fees_paid)
            .sum();
        prop_assert_eq!(fees, fees_paid);
        prop_assert!(
            suite.balance(&suite.marketplace, &denom).is_zero(),
            "the marketplace kept funds"
        );
        prop_assert_eq!(
            put_in,
            held.u128() + with_payees + fees.u128(),
            "coins created or lost in {}",
            denom
        );
    }
    Ok(())
}

fn denom_of(
    accounts: &[gridshare_types::escrow::AccountResponse],
    account_id: u64,
) -> Option<&Denom> {
    accounts
        .iter()
        .find(|a| a.account_id == account_id)
        .map(|a| &a.denom)
}

proptest! {
    // PROPTEST_CASES overrides the count.
    #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn escrow_conserves_every_coin(
        openings in prop::collection::vec((0..DEPOSITORS.len(), any::<bool>(), 1u128..200_000), ACCOUNTS as usize),
        ops in prop::collection::vec(op(), 1..80),
    ) {
        let mut suite = suite();
        // Most sequences should work on live accounts, so every account opens first.
        let openings = openings.into_iter().enumerate().map(|(account, (depositor, cw20, amount))| {
            Op::Open { account: account as u64, depositor, cw20, amount }
        });
        for op in openings.collect::<Vec<_>>().iter().chain(&ops) {
            apply(&mut suite, op);
            check_invariants(&suite)?;
        }
    }
}

/// The generator must reach the interesting states, not only the error paths: a fixed sequence
/// that opens, streams, releases, withdraws and closes runs every step successfully.
#[test]
fn the_happy_path_sequence_succeeds_step_by_step() {
    let mut suite = suite();
    let ops = [
        Op::Open {
            account: 1,
            depositor: 0,
            cw20: false,
            amount: 100_000,
        },
        Op::TopUp {
            account: 1,
            cw20: false,
            amount: 5_000,
        },
        Op::OpenPayment {
            lease: 3,
            account: 1,
            payee: 0,
            rate: 7,
            per: 60,
            cap: 50_000,
            fee_bps: 300,
            delay: 10,
        },
        Op::Advance { seconds: 600 },
        Op::Release {
            lease: 103,
            back: Some(100),
        },
        Op::Withdraw {
            payee: Some(0),
            leases: vec![103],
        },
        Op::Refund {
            account: 1,
            amount: 1_000,
        },
        Op::ClosePayment {
            lease: 103,
            back: None,
        },
        Op::CloseAccount {
            account: 1,
            back: None,
        },
    ];
    for op in &ops {
        assert!(apply(&mut suite, op), "{op:?} failed");
        check_invariants(&suite).unwrap();
    }
}
