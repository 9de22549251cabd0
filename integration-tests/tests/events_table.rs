//! `docs/EVENTS.md` is what the contracts emit: one scenario drives every action of the suite,
//! records each wasm event's attributes per (contract, event, action), and the table must list
//! exactly those rows with exactly those attributes. `EVENTS_PRINT=1` prints the observed rows.

use cosmwasm_std::{to_json_binary, Uint128};
use cw_multi_test::Executor;
use governance::msg::{ExecuteMsg as GovMsg, ProposalMessage, VoteOption};
use gridshare_testing::events::{parse_events_doc, render_rows, EventLog};
use gridshare_testing::marketplace::{Job, A100, DISPUTE_WINDOW, H100, MAX_SILENCE};
use gridshare_testing::{
    SuiteBuilder, EPOCH_SECONDS, PREMIUM_TIER, TIMELOCK, UNBONDING_PERIOD, USDC, VOTING_PERIOD,
};
use gridshare_types::marketplace::{lease_id, ExecuteMsg, GpuModel, ParamsUpdate};

const STAKE: u128 = 20_000;

fn attribute_of(response: &Option<cw_multi_test::AppResponse>, key: &str) -> u64 {
    response
        .iter()
        .flat_map(|r| &r.events)
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == key)
        .and_then(|a| a.value.parse().ok())
        .unwrap_or(0)
}

fn order_id_of(response: &Option<cw_multi_test::AppResponse>) -> u64 {
    attribute_of(response, "order_id")
}

fn proposal_id_of(response: &Option<cw_multi_test::AppResponse>) -> u64 {
    attribute_of(response, "proposal_id")
}

fn commits_and_reveals(
    suite: &mut gridshare_testing::Suite,
    log: &mut EventLog,
    provider: &str,
    lease: u64,
    output: &[u8],
) {
    log.ok(
        "commit_result",
        suite.provider(provider).try_commit(lease, output),
    );
    log.ok(
        "reveal_result",
        suite.provider(provider).try_reveal(lease, output),
    );
}

fn heartbeats(suite: &mut gridshare_testing::Suite, log: &mut EventLog) {
    for p in ["alice", "bob", "carol"] {
        log.ok("heartbeat", suite.provider(p).try_heartbeat());
    }
}

#[test]
fn the_events_table_is_what_the_contracts_emit() {
    let mut suite = SuiteBuilder::new()
        .with_native("renter", 100_000_000, USDC)
        .with_native("funder", 100_000_000, USDC)
        .with_grid("alice", STAKE)
        .with_grid("bob", STAKE)
        .with_grid("carol", STAKE)
        .with_grid("renter", 100_000)
        .build();
    let mut log = EventLog::new(&suite);

    // Providers bond, register, list and heartbeat.
    for p in ["alice", "bob", "carol"] {
        log.ok("bond", suite.bond(p, STAKE));
        log.ok(
            "register_provider",
            suite.provider(p).try_register("eu-west"),
        );
        log.ok("heartbeat", suite.provider(p).try_heartbeat());
    }
    log.ok(
        "post_offer",
        suite.provider("alice").try_offer(H100, 4, 2_000_000),
    );
    log.ok(
        "post_offer",
        suite.provider("bob").try_offer(H100, 4, 2_500_000),
    );
    log.ok(
        "post_offer",
        suite.provider("carol").try_offer(H100, 4, 3_000_000),
    );
    let update_offer = ExecuteMsg::UpdateOffer {
        offer_id: 3,
        price: Some(Uint128::new(2_900_000)),
        units: None,
    };
    log.ok(
        "update_offer",
        suite.market_execute("carol", &update_offer, &[]),
    );
    let update_provider = ExecuteMsg::UpdateProvider {
        name: None,
        region: Some("eu-north".into()),
        endpoint: None,
        public_key: None,
    };
    log.ok(
        "update_provider",
        suite.market_execute("carol", &update_provider, &[]),
    );

    // A job run to the end: commit, reveal, dispute window, finalize.
    let job = || {
        Job::sha256()
            .on(H100)
            .gpus(1)
            .max_price(3_000_000)
            .hours(1)
            .runtime(600)
    };
    let posted = log.ok("post_order", suite.renter("renter").try_post(&job()));
    let first = lease_id(order_id_of(&posted), 0).unwrap_or_default();
    suite.advance_seconds(120);
    commits_and_reveals(&mut suite, &mut log, "alice", first, b"out");
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    log.ok("finalize", suite.finalize(first));

    // A disputed job, the owner rejecting the result (a slash).
    heartbeats(&mut suite, &mut log);
    let posted = log.ok("post_order", suite.renter("renter").try_post(&job()));
    let disputed = lease_id(order_id_of(&posted), 0).unwrap_or_default();
    commits_and_reveals(&mut suite, &mut log, "alice", disputed, b"junk");
    log.ok("dispute", suite.renter("renter").disputes(disputed));
    let resolve = ExecuteMsg::ResolveDispute {
        lease_id: disputed,
        uphold_result: false,
    };
    let market = suite.marketplace.clone();
    log.ok("resolve_dispute", suite.owner_executes(&market, &resolve));

    // The renter cancels a running lease; a resting order is cancelled, another expires.
    heartbeats(&mut suite, &mut log);
    let posted = log.ok("post_order", suite.renter("renter").try_post(&job()));
    let cancelled = lease_id(order_id_of(&posted), 0).unwrap_or_default();
    log.ok("close_lease", suite.renter("renter").closes(cancelled));
    let resting = || {
        Job::sha256()
            .on(A100)
            .gpus(1)
            .max_price(3_000_000)
            .hours(1)
            .runtime(600)
    };
    let posted = log.ok(
        "post_order (resting)",
        suite.renter("renter").try_post(&resting()),
    );
    log.ok(
        "cancel_order",
        suite.renter("renter").cancels(order_id_of(&posted)),
    );
    log.ok(
        "post_order (resting)",
        suite.renter("renter").try_post(&resting()),
    );
    suite.advance_seconds(3_601);
    log.ok("expire_orders", suite.expire_orders());

    // A silent provider is reaped.
    heartbeats(&mut suite, &mut log);
    let posted = log.ok("post_order", suite.renter("renter").try_post(&job()));
    let _silent = lease_id(order_id_of(&posted), 0).unwrap_or_default();
    suite.advance_seconds(MAX_SILENCE + 1);
    log.ok("reap", suite.reap());

    // Offers and providers leave the market.
    log.ok(
        "withdraw_offer",
        suite.provider("carol").try_withdraw_offer(3),
    );
    log.ok(
        "deactivate_provider",
        suite.market_execute("carol", &ExecuteMsg::DeactivateProvider {}, &[]),
    );

    // The catalogue and the parameters.
    let add = ExecuteMsg::AddModel {
        model: GpuModel {
            id: "l40s".into(),
            vram_mib: 49_152,
            compute_capability: gridshare_types::marketplace::ComputeCapability {
                major: 8,
                minor: 9,
            },
            benchmark_score: 100,
        },
    };
    log.ok("add_model", suite.owner_executes(&market, &add));
    let update = ExecuteMsg::UpdateModel {
        id: "l40s".into(),
        vram_mib: None,
        compute_capability: None,
        benchmark_score: Some(120),
    };
    log.ok("update_model", suite.owner_executes(&market, &update));
    log.ok(
        "retire_model",
        suite.owner_executes(&market, &ExecuteMsg::RetireModel { id: "l40s".into() }),
    );
    log.ok(
        "update_params",
        suite.update_market_params(ParamsUpdate {
            take_rate_bps: Some(300),
            ..Default::default()
        }),
    );

    // Staking: rewards, emissions, unbonding.
    log.ok("claim_rewards", suite.claim_rewards("alice"));
    log.ok("fund_emissions", suite.fund_emissions("owner", 10_000));
    suite.advance_seconds(EPOCH_SECONDS + 1);
    log.ok("claim_emissions", suite.claim_emissions("alice"));
    log.ok("unbond", suite.unbond("bob", 1_000));
    suite.advance_seconds(UNBONDING_PERIOD + 1);
    log.ok("claim", suite.claim("bob"));

    // Escrow driven directly, as the marketplace drives it: an account, a payment streamed,
    // released and withdrawn, part refunded, the rest closed.
    let renter_usdc = gridshare_testing::Asset::native(10_000, USDC);
    log.ok(
        "open_account",
        suite.open_account(1_000, "renter", renter_usdc),
    );
    let stream = gridshare_testing::PaymentSpec::lease(16_000)
        .in_account(1_000)
        .to("alice")
        .per_hour(3_600)
        .cap(5_000);
    log.ok("open_payment", suite.open_payment(stream));
    suite.advance_seconds(100);
    log.ok("release", suite.release(16_000));
    log.ok("withdraw", suite.withdraw("alice", &[16_000]));
    log.ok("refund", suite.refund(1_000, 1_000));
    log.ok("close_payment", suite.close_payment(16_000, None));
    log.ok("close_account", suite.close_account(1_000, None));
    let escrow = suite.escrow.clone();
    let rewire = escrow::msg::ExecuteMsg::UpdateConfig {
        marketplace: None,
        fee_collector: None,
        accepted_denoms: None,
    };
    log.ok(
        "update_config (escrow)",
        suite.owner_executes(&escrow, &rewire),
    );
    let staking = suite.staking.clone();
    let retune = staking::msg::ExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: Some(UNBONDING_PERIOD),
        min_stake_per_gpu: None,
        compensation_ratio: None,
        reward_denoms: None,
        emission_per_epoch: None,
        emission_weights: None,
    };
    log.ok(
        "update_config (staking)",
        suite.owner_executes(&staking, &retune),
    );

    // Two-step ownership, round trip: offered and withdrawn, offered and accepted, handed back.
    use gridshare_types::owner::OwnerAction;
    let ownership = |action| escrow::msg::ExecuteMsg::UpdateOwnership(action);
    let to = |who: &str| OwnerAction::TransferOwnership {
        new_owner: who.to_string(),
        expiry: None,
    };
    let (alice, owner) = (suite.addr("alice"), suite.owner.clone());
    let offer_to_alice = ownership(to(alice.as_str()));
    log.ok(
        "transfer_ownership",
        suite.owner_executes(&escrow, &offer_to_alice),
    );
    let cancel = ownership(OwnerAction::CancelTransfer {});
    log.ok("cancel_transfer", suite.owner_executes(&escrow, &cancel));
    log.ok(
        "transfer_ownership",
        suite.owner_executes(&escrow, &offer_to_alice),
    );
    let accept = ownership(OwnerAction::AcceptOwnership {});
    let accepted = suite
        .app
        .execute_contract(alice.clone(), escrow.clone(), &accept, &[]);
    log.ok("accept_ownership", accepted);
    let back = ownership(to(owner.as_str()));
    let offered_back = suite
        .app
        .execute_contract(alice, escrow.clone(), &back, &[]);
    log.ok("transfer_ownership (back)", offered_back);
    log.ok(
        "accept_ownership (back)",
        suite.owner_executes(&escrow, &accept),
    );

    // GRID: premium access and a transfer.
    log.ok("subscribe", suite.subscribe("renter", PREMIUM_TIER, 1));
    log.ok("transfer", suite.transfer_grid("renter", "alice", 10));
    let grid = suite.grid.clone();
    let mut team = gridshare_testing::suite::premium_tier();
    team.id = "team".into();
    let set_tier = access_token::msg::ExecuteMsg::SetTier { tier: team };
    log.ok("set_tier", suite.owner_executes(&grid, &set_tier));
    let remove_tier = access_token::msg::ExecuteMsg::RemoveTier {
        tier: "team".into(),
    };
    log.ok("remove_tier", suite.owner_executes(&grid, &remove_tier));

    // Governance: a proposal whose message fails (governance does not own the marketplace yet).
    let propose = GovMsg::Propose {
        title: "Lower the take rate".into(),
        description: "A scenario proposal".into(),
        messages: vec![ProposalMessage::WasmExecute {
            contract: market.to_string(),
            msg: to_json_binary(&ExecuteMsg::UpdateParams(ParamsUpdate {
                take_rate_bps: Some(200),
                ..Default::default()
            }))
            .unwrap_or_default(),
            funds: vec![],
        }],
    };
    let gov = suite.governance.clone();
    let alice = suite.addr("alice");
    let proposed = log.ok(
        "propose",
        suite.app.execute_contract(alice, gov, &propose, &[]),
    );
    let proposal_id = proposal_id_of(&proposed);
    log.ok("vote", suite.vote("alice", proposal_id, VoteOption::Yes));
    log.ok("vote", suite.vote("carol", proposal_id, VoteOption::Yes));
    suite.advance_seconds(VOTING_PERIOD + TIMELOCK + 1);
    log.ok("execute", suite.execute_proposal(proposal_id));

    // A proposal nobody votes for is closed as rejected.
    let alice = suite.addr("alice");
    let gov = suite.governance.clone();
    let proposed = log.ok(
        "propose",
        suite
            .app
            .execute_contract(alice, gov.clone(), &propose, &[]),
    );
    let rejected = proposal_id_of(&proposed);
    suite.advance_seconds(VOTING_PERIOD + 1);
    let cranker = suite.addr("cranker");
    let close = GovMsg::Close {
        proposal_id: rejected,
    };
    log.ok(
        "close",
        suite.app.execute_contract(cranker, gov, &close, &[]),
    );

    // Governance in charge: a proposal that passes and runs.
    suite.hand_over_to_governance();
    let alice = suite.addr("alice");
    let gov = suite.governance.clone();
    let proposed = log.ok(
        "propose",
        suite.app.execute_contract(alice, gov, &propose, &[]),
    );
    let proposal_id = proposal_id_of(&proposed);
    for voter in ["alice", "carol"] {
        log.ok("vote", suite.vote(voter, proposal_id, VoteOption::Yes));
    }
    suite.advance_seconds(VOTING_PERIOD + TIMELOCK + 1);
    log.ok("execute", suite.execute_proposal(proposal_id));

    if std::env::var_os("EVENTS_PRINT").is_some() {
        println!("{}", render_rows(&log.seen));
    }
    assert!(
        log.failed.is_empty(),
        "steps failed:\n{}",
        log.failed.join("\n")
    );
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/EVENTS.md"))
        .unwrap_or_default();
    let documented = parse_events_doc(&doc);
    let undocumented: Vec<_> = log
        .seen
        .iter()
        .filter(|(k, v)| documented.get(*k) != Some(*v))
        .collect();
    let unseen: Vec<_> = documented
        .iter()
        .filter(|(k, v)| log.seen.get(*k) != Some(*v))
        .collect();
    assert!(
        undocumented.is_empty() && unseen.is_empty(),
        "docs/EVENTS.md differs from the events emitted.\nemitted, not documented so: {undocumented:#?}\n\
         documented, not emitted so: {unseen:#?}\nobserved rows:{}",
        render_rows(&log.seen)
    );
}
