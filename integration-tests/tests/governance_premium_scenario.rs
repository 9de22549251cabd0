//! Token holders run the suite: after the hand-over, only a proposal changes the marketplace's
//! take rate; a premium subscriber's resting order is served before an earlier standard one and
//! pays the discounted fee.

use cw_multi_test::Executor;
use governance::msg::{ProposalStatus, VoteOption};
use gridshare_testing::marketplace::{Job, H100};
use gridshare_testing::{SuiteBuilder, PREMIUM_PRICE, PREMIUM_TIER, TIMELOCK, USDC, VOTING_PERIOD};
use gridshare_types::marketplace::{
    lease_id, ConfigResponse, ExecuteMsg, OrderStatus, ParamsUpdate, QueryMsg,
};

#[test]
fn stakers_change_the_take_rate_and_premium_renters_go_first_at_a_discount() {
    let mut suite = SuiteBuilder::new()
        .with_grid("alice", 60_000)
        .with_grid("bob", 40_000)
        .with_grid("provider", 20_000)
        .with_grid("vip", 10 * PREMIUM_PRICE)
        .with_native("vip", 10_000_000, USDC)
        .with_native("standard", 10_000_000, USDC)
        .build();
    suite.bond("alice", 60_000).unwrap();
    suite.bond("bob", 40_000).unwrap();
    suite.advance_seconds(5);
    suite.hand_over_to_governance();

    // The deployer's key no longer changes anything.
    let market = suite.marketplace.clone();
    let raise = ExecuteMsg::UpdateParams(ParamsUpdate {
        take_rate_bps: Some(500),
        ..ParamsUpdate::default()
    });
    assert!(suite.market_execute("owner", &raise, &[]).is_err());
    let owner = suite.owner.clone();
    assert!(suite
        .app
        .execute_contract(owner, market.clone(), &raise, &[])
        .is_err());

    // A proposal does, once it passed and waited out its timelock.
    let id = suite
        .propose("alice", "Take rate to 5%", &market, &raise)
        .unwrap();
    suite.vote("alice", id, VoteOption::Yes).unwrap();
    suite.vote("bob", id, VoteOption::No).unwrap();
    assert!(
        suite.vote("bob", id, VoteOption::Yes).is_err(),
        "votes are final"
    );
    suite.advance_seconds(VOTING_PERIOD + 1);
    assert!(
        suite.execute_proposal(id).is_err(),
        "the timelock holds it back"
    );
    suite.advance_seconds(TIMELOCK);
    suite.execute_proposal(id).unwrap();
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    let config: ConfigResponse = suite
        .app
        .wrap()
        .query_wasm_smart(&market, &QueryMsg::Config {})
        .unwrap();
    assert_eq!(config.params.take_rate_bps, 500);

    // A standard renter posts first, a premium subscriber second; no GPU is listed yet.
    suite.subscribe("vip", PREMIUM_TIER, 1).unwrap();
    let job = Job::sha256().on(H100).max_price(2_000_000);
    let standard = suite.renter("standard").posts(job.clone());
    suite.advance_seconds(10);
    let vip = suite.renter("vip").posts(job);
    assert_eq!(suite.order(standard).status, OrderStatus::Open);
    assert_eq!(suite.order(vip).priority, 1);
    // The take rate less the tier's 50% discount.
    assert_eq!(suite.order(vip).fee_bps, 250);
    assert_eq!(suite.order(standard).fee_bps, 500);

    // One GPU arrives: the premium order is served first, the earlier standard one keeps resting.
    suite
        .provider("provider")
        .bonds(20_000)
        .registers("eu-west")
        .offers(H100, 1, 1_000_000);
    assert_eq!(suite.order(vip).status, OrderStatus::Filled);
    assert_eq!(suite.order(standard).status, OrderStatus::Open);
    let lease = lease_id(vip, 0).unwrap();
    assert_eq!(suite.escrow_payment(lease).fee_bps, 250);

    // The job completes in its max runtime (600 s); the fee that reaches staking is the
    // discounted one.
    suite.advance_seconds(600);
    suite
        .provider("provider")
        .heartbeat()
        .submits(lease, b"result");
    suite.advance_seconds(gridshare_testing::marketplace::DISPUTE_WINDOW + 1);
    suite.finalize(lease).unwrap();
    let usdc = suite.usdc();
    let gross = 1_000_000u128 * 600 / 3_600;
    assert_eq!(suite.fees_collected(&usdc).u128(), gross * 250 / 10_000);
    assert_eq!(
        suite.balance_of("provider", &usdc).u128(),
        gross - gross * 250 / 10_000
    );
}
