//! Property, on a chain (cw-multi-test): whatever the marketplace, payees, strangers and a fee
//! collector that refuses or accepts at random do, escrow creates and loses no coin.
//!
//! After every step, for each denom (native USDC and a cw20):
//! - escrow's real balance = the sum of its open accounts' balances + its uncollected fees, and
//!   its per-denom total is that sum of open accounts;
//! - every closed account is empty (nothing held, nothing reserved);
//! - every fee a payment counts as paid is either with the collector (through `DepositRewards`
//!   or `ClaimFees`) or still uncollected in escrow;
//! - the coins in the world are those minted at the start.
//!
//! Failed steps are part of the sequences on purpose: a failed transaction must change nothing.

mod common;

use common::*;
use escrow::msg::Rate;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const ACCOUNTS: u64 = 4;
const LEASES: u64 = 8;

#[derive(Clone, Debug)]
enum Op {
    Open {
        account: u64,
        renter: usize,
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
        cap: u128,
        fee_bps: u16,
    },
    Advance {
        seconds: u64,
    },
    Release {
        lease: u64,
    },
    ClosePayment {
        lease: u64,
    },
    Refund {
        account: u64,
        amount: u128,
    },
    CloseAccount {
        account: u64,
    },
    Withdraw {
        lease: u64,
    },
    /// The collector starts or stops refusing fees.
    Refuse {
        refusing: bool,
    },
    /// A stranger delivers the uncollected fees of a denom.
    Deliver {
        cw20: bool,
    },
    /// The collector claims the uncollected fees of a denom.
    Claim {
        cw20: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let account = 0..ACCOUNTS;
    let lease = 0..LEASES;
    prop_oneof![
        2 => (account.clone(), 0..2usize, any::<bool>(), 1u128..100_000)
            .prop_map(|(account, renter, cw20, amount)| Op::Open { account, renter, cw20, amount }),
        1 => (account.clone(), any::<bool>(), 0u128..20_000)
            .prop_map(|(account, cw20, amount)| Op::TopUp { account, cw20, amount }),
        3 => (lease.clone(), account.clone(), 0..2usize, 1u128..200, 1u128..40_000, prop_oneof![4 => 0u16..=2_000, 1 => 9_000u16..=10_000])
            .prop_map(|(lease, account, payee, rate, cap, fee_bps)| Op::OpenPayment { lease, account, payee, rate, cap, fee_bps }),
        3 => (1u64..500).prop_map(|seconds| Op::Advance { seconds }),
        4 => lease.clone().prop_map(|lease| Op::Release { lease }),
        1 => lease.clone().prop_map(|lease| Op::ClosePayment { lease }),
        1 => (account.clone(), 0u128..20_000).prop_map(|(account, amount)| Op::Refund { account, amount }),
        1 => account.prop_map(|account| Op::CloseAccount { account }),
        2 => lease.prop_map(|lease| Op::Withdraw { lease }),
        2 => any::<bool>().prop_map(|refusing| Op::Refuse { refusing }),
        1 => any::<bool>().prop_map(|cw20| Op::Deliver { cw20 }),
        1 => any::<bool>().prop_map(|cw20| Op::Claim { cw20 }),
    ]
}

/// Applies `op`; whether it succeeded.
fn apply(world: &mut World, op: &Op) -> bool {
    let result = match op.clone() {
        Op::Open {
            account,
            renter,
            cw20,
            amount,
        } => {
            let renter = world.renters[renter].clone();
            world.open_account(account, &renter, cw20, amount)
        }
        Op::TopUp {
            account,
            cw20,
            amount,
        } => world.top_up(account, cw20, amount),
        Op::OpenPayment {
            lease,
            account,
            payee,
            rate,
            cap,
            fee_bps,
        } => {
            let payee = world.payees[payee].clone();
            world.open_payment(account, lease, &payee, Rate::per_second(rate), cap, fee_bps)
        }
        Op::Advance { seconds } => {
            world.advance(seconds);
            return true;
        }
        Op::Release { lease } => world.release(lease),
        Op::ClosePayment { lease } => {
            world.as_marketplace(&escrow::msg::ExecuteMsg::ClosePayment {
                lease_id: lease,
                until: None,
            })
        }
        Op::Refund { account, amount } => world.as_marketplace(&escrow::msg::ExecuteMsg::Refund {
            account_id: account,
            amount: amount.into(),
        }),
        Op::CloseAccount { account } => world.close_account(account),
        Op::Withdraw { lease } => {
            let payee = world
                .payment(lease)
                .map_or_else(|| world.payees[0].clone(), |p| p.payee);
            world.withdraw(&payee, &[lease])
        }
        Op::Refuse { refusing } => {
            world.set_refusing(refusing);
            return true;
        }
        Op::Deliver { cw20 } => {
            let (stranger, denom) = (world.stranger.clone(), world.denom(cw20));
            world.deliver_fees(&stranger, &denom)
        }
        Op::Claim { cw20 } => {
            let (collector, denom) = (world.accepting.clone(), world.denom(cw20));
            world.claim_fees(&collector, &denom)
        }
    };
    result.is_ok()
}

fn check(world: &World) -> Result<(), TestCaseError> {
    let accounts: Vec<_> = (0..ACCOUNTS).filter_map(|id| world.account(id)).collect();
    let payments: Vec<_> = (0..LEASES).filter_map(|id| world.payment(id)).collect();
    for account in &accounts {
        if account.closed {
            prop_assert!(
                account.balance.is_zero() && account.reserved.is_zero(),
                "closed account is not empty: {:?}",
                account
            );
        }
        prop_assert!(account.reserved <= account.balance, "{:?}", account);
    }
    let collector = &world.accepting;
    for cw20 in [false, true] {
        let denom = world.denom(cw20);
        let open: u128 = accounts
            .iter()
            .filter(|a| a.denom == denom && !a.closed)
            .map(|a| a.balance.u128())
            .sum();
        let uncollected = world.uncollected(&denom);
        let held = world.balance(&world.escrow, &denom);
        prop_assert_eq!(
            held,
            open + uncollected,
            "escrow's {} balance is not its open accounts plus uncollected fees",
            denom
        );
        prop_assert_eq!(world.total(&denom), open, "escrow's {} total", denom);

        let fees_paid: u128 = payments
            .iter()
            .filter(|p| {
                accounts
                    .iter()
                    .any(|a| a.account_id == p.account_id && a.denom == denom)
            })
            .map(|p| p.fees_paid.u128())
            .sum();
        let at_collector = world.balance(collector, &denom);
        prop_assert_eq!(
            fees_paid,
            at_collector + uncollected,
            "a {} fee is neither with the collector nor uncollected",
            denom
        );
        prop_assert!(world.deposited(collector, &denom) <= at_collector);

        let everyone = world.renters.iter().chain(&world.payees).chain([
            &world.marketplace,
            &world.escrow,
            collector,
            &world.stranger,
        ]);
        let in_world: u128 = everyone.map(|who| world.balance(who, &denom)).sum();
        prop_assert_eq!(in_world, START_FUNDS, "{} created or lost", denom);
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn escrow_conserves_every_coin_whatever_the_collector_does(
        ops in prop::collection::vec(op(), 1..80),
    ) {
        let mut world = World::new(Collector::Accepting);
        // Every account opens first, so that most steps work on live accounts.
        for account in 0..ACCOUNTS {
            let renter = world.renters[account as usize % 2].clone();
            world.open_account(account, &renter, account % 2 == 1, 50_000).unwrap();
        }
        for op in &ops {
            apply(&mut world, op);
            check(&world)?;
        }
    }
}

/// The generator reaches the states that matter, not only error paths: a fixed sequence with a
/// refusal, a delivery and a claim succeeds step by step and keeps the books.
#[test]
fn the_interesting_path_succeeds_step_by_step() {
    let mut world = World::new(Collector::Accepting);
    let ops = [
        Op::Open {
            account: 0,
            renter: 0,
            cw20: false,
            amount: 50_000,
        },
        Op::Open {
            account: 1,
            renter: 1,
            cw20: true,
            amount: 50_000,
        },
        Op::OpenPayment {
            lease: 0,
            account: 0,
            payee: 0,
            rate: 10,
            cap: 20_000,
            fee_bps: 1_000,
        },
        Op::OpenPayment {
            lease: 1,
            account: 1,
            payee: 1,
            rate: 7,
            cap: 20_000,
            fee_bps: 500,
        },
        Op::Advance { seconds: 100 },
        Op::Release { lease: 0 },
        Op::Refuse { refusing: true },
        Op::Advance { seconds: 100 },
        Op::Release { lease: 0 },
        Op::Release { lease: 1 },
        Op::Withdraw { lease: 0 },
        Op::Advance { seconds: 50 },
        Op::CloseAccount { account: 1 },
        Op::Refuse { refusing: false },
        Op::Deliver { cw20: false },
        Op::Claim { cw20: true },
        Op::Advance { seconds: 10 },
        Op::ClosePayment { lease: 0 },
        Op::Refund {
            account: 0,
            amount: 1_000,
        },
        Op::CloseAccount { account: 0 },
    ];
    for op in &ops {
        assert!(apply(&mut world, op), "{op:?} failed");
        check(&world).unwrap();
    }
    assert_eq!(world.uncollected(&world.usdc()), 0);
    assert_eq!(world.uncollected(&world.grid()), 0);
    assert_eq!(world.balance(&world.escrow, &world.usdc()), 0);
}
