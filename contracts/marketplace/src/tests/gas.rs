//! Storage gas (Cosmos SDK KVGasConfig, the part of a transaction's gas that dominates) of the hot
//! paths, against a cw20-base transfer measured on the same priced storage.

use super::helpers::*;
use crate::msg::*;
use cosmwasm_std::testing::{message_info, mock_env, MockApi, MockQuerier};
use cosmwasm_std::{Empty, OwnedDeps, Uint128};
use cw20::Cw20Coin;

/// Storage gas of a transfer between two existing balances of cw20-base.
fn cw20_transfer_gas() -> u64 {
    let mut deps = OwnedDeps {
        storage: GasStorage::default(),
        api: MockApi::default(),
        querier: MockQuerier::<Empty>::new(&[]),
        custom_query_type: std::marker::PhantomData::<Empty>,
    };
    let (alice, bob) = (addr("alice"), addr("bob"));
    cw20_base::contract::instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&alice, &[]),
        cw20_base::msg::InstantiateMsg {
            name: "Baseline".into(),
            symbol: "BASE".into(),
            decimals: 6,
            initial_balances: vec![
                Cw20Coin {
                    address: alice.to_string(),
                    amount: Uint128::new(1_000_000),
                },
                Cw20Coin {
                    address: bob.to_string(),
                    amount: Uint128::new(1_000_000),
                },
            ],
            mint: None,
            marketing: None,
        },
    )
    .unwrap();
    let before = deps.storage.gas.get();
    cw20_base::contract::execute(
        deps.as_mut(),
        mock_env(),
        message_info(&alice, &[]),
        cw20::Cw20ExecuteMsg::Transfer {
            recipient: bob.to_string(),
            amount: Uint128::new(1_000),
        },
    )
    .unwrap();
    deps.storage.gas.get() - before
}

const MODELS: usize = 20;

/// A market with `offers` offers spread over 20 models (the 3 of the catalogue plus 17 more), the
/// best rtx-4090 offers at 900–909, and a warm-up order already matched. Returns the suite.
fn market(offers: usize) -> Suite {
    let mut suite = Suite::new();
    for i in 0..MODELS - 3 {
        let owner = suite.owner.clone();
        suite.exec(
            &owner,
            &[],
            ExecuteMsg::AddModel {
                model: GpuModel {
                    id: format!("gpu-{i}"),
                    vram_mib: 8_192 + i as u32,
                    compute_capability: ComputeCapability { major: 7, minor: 0 },
                    benchmark_score: 500,
                },
            },
        );
    }
    let mut models: Vec<String> = catalogue().into_iter().map(|m| m.id).collect();
    models.extend((0..MODELS - 3).map(|i| format!("gpu-{i}")));
    let per_provider = 25;
    let mut provider = addr("none");
    for n in 0..offers {
        if n % per_provider == 0 {
            provider = suite.provider(&format!("p{}", n / per_provider), 4 * per_provider as u32);
        }
        let model = &models[n % MODELS];
        // The cheap end of every market is 900 + n / 20; everything else is dearer.
        let price = 900 + (n / MODELS) as u128 * 7 % 5_000;
        suite.offer(&provider, model, 4, price);
    }
    suite.post_order(new_order());
    suite
}

fn matched_order_gas(suite: &mut Suite) -> u64 {
    let before = suite.gas();
    let res = suite.post_order(new_order());
    assert_eq!(attr(&res, "status"), "filled");
    suite.gas() - before
}

#[test]
fn trace_a_matched_order() {
    let mut suite = market(10);
    let trace = std::rc::Rc::new(std::cell::RefCell::new(vec![]));
    suite.chain.deps.storage.trace = Some(trace.clone());
    let gas = matched_order_gas(&mut suite);
    for (op, key, gas) in trace.borrow().iter() {
        println!("{op:6} {gas:6} {key:?}");
    }
    println!("total {gas}");
}

#[test]
fn hot_paths_cost_what_the_targets_allow() {
    let baseline = cw20_transfer_gas();
    let mut small = market(10);
    let order_small = matched_order_gas(&mut small);
    let mut large = market(2_000);
    let order_large = matched_order_gas(&mut large);

    let provider = addr("p0");
    let before = small.gas();
    small.heartbeat(&provider);
    let heartbeat = small.gas() - before;

    println!("cw20 transfer storage gas: {baseline}");
    println!(
        "matched order, 10 offers: {order_small} ({:.2}×)",
        order_small as f64 / baseline as f64
    );
    println!(
        "matched order, 2000 offers: {order_large} ({:.2}×)",
        order_large as f64 / baseline as f64
    );
    println!(
        "heartbeat: {heartbeat} ({:.2}×)",
        heartbeat as f64 / baseline as f64
    );
    assert!(
        heartbeat <= baseline,
        "heartbeat {heartbeat} > transfer {baseline}"
    );
    assert!(
        order_small <= 3 * baseline,
        "order {order_small} > 3 × {baseline}"
    );
    assert!(
        order_large * 10 <= order_small * 12,
        "{order_large} vs {order_small}"
    );
}
