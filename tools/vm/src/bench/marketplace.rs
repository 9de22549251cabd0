//! The marketplace's operations, measured over books of 10, 1,000 and 10,000 resting offers
//! spread across 20 GPU models.
//!
//! Staking and the access token are not run here: the querier answers the marketplace's
//! collateral queries as a staking contract with ample bonds would, and no access token is set.
//! The escrow calls a matching order causes are measured in escrow's own rows.

use super::chain::{Chain, Contract, Gas};
use super::table::Table;
use anyhow::{anyhow, Context, Result};
use cosmwasm_std::{to_json_binary, Addr, Coin, ContractResult, SystemResult, Uint128, WasmQuery};
use gridshare_types::marketplace::{
    ComputeCapability, ExecuteMsg, GpuModel, InstantiateMsg, JobInputs, JobSpec, LeaseResponse,
    LeasesResponse, NewOrder, Params, QueryMsg, Requirements, SlashRule, Workload,
};
use gridshare_types::staking::{CollateralResponse, QueryMsg as StakingQueryMsg};
use gridshare_types::verification::{result_commitment, salt_hash};
use gridshare_types::UncheckedDenom;
use std::path::Path;

pub const MODELS: u32 = 20;
const DENOM: &str = "uusdc";
const STAKE_PER_GPU: u128 = 1_000;
/// Offers per provider when filling the book.
const OFFERS_PER_PROVIDER: u32 = 10;

/// One book size's figures.
pub struct MarketGas {
    pub resting_offers: u32,
    pub register: Gas,
    pub post_offer: Gas,
    pub post_order_one_model: Gas,
    pub post_order_all_models: Gas,
    pub heartbeat: Gas,
    pub commit_result: Gas,
    pub reveal_result: Gas,
    pub settle: Gas,
    pub dispute: Gas,
}

pub fn measure(wasm: &Path, resting_offers: u32, table: &mut Table) -> Result<MarketGas> {
    let mut chain = Chain::new()?;
    let staking = chain.addr("staking");
    let collateral = staking.to_string();
    let queries = Box::new(move |query: &WasmQuery| answer_staking(&collateral, query));
    let owner = chain.addr("owner");
    let mut market = chain.deploy(
        wasm,
        "marketplace",
        &owner,
        &InstantiateMsg {
            owner: None,
            escrow: chain.addr("escrow").to_string(),
            staking: staking.to_string(),
            access_token: None,
            params: params(),
        },
        Some(queries),
    )?;
    for i in 0..MODELS {
        chain.execute(
            &mut market,
            &owner,
            &ExecuteMsg::AddModel { model: model(i) },
            &[],
        )?;
    }

    fill_book(&mut chain, &mut market, resting_offers)
        .with_context(|| format!("filling a book of {resting_offers} offers"))?;

    // The measured provider and renter are new to the market, as a real newcomer is.
    let provider = chain.addr("bench-provider");
    let (_, register) = chain.execute(&mut market, &provider, &register_msg("bench"), &[])?;
    let (_, post_offer) = chain.execute(
        &mut market,
        &provider,
        &ExecuteMsg::PostOffer {
            model: model_id(5),
            units: 8,
            // Cheapest in the book, so the orders below match it.
            price: Uint128::new(100_000),
            denom: UncheckedDenom::Native(DENOM.into()),
            min_duration: 60,
            max_duration: 24 * 3600,
        },
        &[],
    )?;
    let (_, heartbeat) = chain.execute(
        &mut market,
        &provider,
        &ExecuteMsg::Heartbeat { telemetry: None },
        &[],
    )?;

    let renter = chain.addr("bench-renter");
    let one_model = Requirements {
        models: Some(vec![model_id(5)]),
        ..Requirements::default()
    };
    let (budget, order) = order_for(&chain, one_model);
    let (_, post_order_one_model) = chain.execute(
        &mut market,
        &renter,
        &ExecuteMsg::PostOrder(order),
        &[Coin::new(budget, DENOM)],
    )?;
    let all_models = Requirements {
        min_vram_mib: Some(1),
        ..Requirements::default()
    };
    let (budget, order) = order_for(&chain, all_models);
    let (_, post_order_all_models) = chain.execute(
        &mut market,
        &renter,
        &ExecuteMsg::PostOrder(order),
        &[Coin::new(budget, DENOM)],
    )?;

    // A referee candidate, listed before the disputed order below and alive when it is disputed.
    let referee = chain.addr("bench-referee");
    chain.execute(&mut market, &referee, &register_msg("referee"), &[])?;
    chain.execute(
        &mut market,
        &referee,
        &ExecuteMsg::PostOffer {
            model: model_id(5),
            units: 1,
            price: Uint128::new(200_000),
            denom: UncheckedDenom::Native(DENOM.into()),
            min_duration: 60,
            max_duration: 24 * 3600,
        },
        &[],
    )?;
    let disputed_model = Requirements {
        models: Some(vec![model_id(5)]),
        ..Requirements::default()
    };
    let (budget, order) = order_for(&chain, disputed_model);
    chain.execute(
        &mut market,
        &renter,
        &ExecuteMsg::PostOrder(order),
        &[Coin::new(budget, DENOM)],
    )?;
    let leases = provider_leases(&mut chain, &mut market, &provider)?;
    let (lease, disputed) = match leases.as_slice() {
        [first, .., last] => (first.clone(), last.clone()),
        _ => {
            return Err(anyhow!(
                "the measured orders did not match the bench provider"
            ))
        }
    };

    chain.advance(600);
    let (commit_result, reveal_result) =
        commit_and_reveal(&mut chain, &mut market, &provider, &lease)?;
    commit_and_reveal(&mut chain, &mut market, &provider, &disputed)?;
    chain.execute(
        &mut market,
        &referee,
        &ExecuteMsg::Heartbeat { telemetry: None },
        &[],
    )?;
    let (_, dispute) = chain.execute(
        &mut market,
        &renter,
        &ExecuteMsg::Dispute {
            lease_id: disputed.lease_id,
            salt: RENTER_SALT.into(),
        },
        &[Coin::new(budget, DENOM)],
    )?;
    chain.advance(params().dispute_window + 1);
    let cranker = chain.addr("anyone");
    let (_, settle) = chain.execute(
        &mut market,
        &cranker,
        &ExecuteMsg::Finalize {
            lease_id: lease.lease_id,
        },
        &[],
    )?;

    let label = |op: &str| format!("marketplace: {op} @ {resting_offers} offers");
    table.push(label("register provider"), register);
    table.push(label("post offer"), post_offer);
    table.push(label("post order, matches (1 model)"), post_order_one_model);
    table.push(
        label("post order, matches (20 models)"),
        post_order_all_models,
    );
    table.push(label("heartbeat"), heartbeat);
    table.push(label("commit result"), commit_result);
    table.push(label("reveal result (k = 1)"), reveal_result);
    table.push(label("settle (finalize)"), settle);
    table.push(label("dispute (matches a referee)"), dispute);
    Ok(MarketGas {
        resting_offers,
        register,
        post_offer,
        post_order_one_model,
        post_order_all_models,
        heartbeat,
        commit_result,
        reveal_result,
        settle,
        dispute,
    })
}

fn params() -> Params {
    Params {
        accepted_denoms: vec![UncheckedDenom::Native(DENOM.into())],
        take_rate_bps: 250,
        heartbeat_interval: 60,
        max_silence: 300,
        dispute_window: 600,
        reveal_window: 300,
        slash: SlashRule::Fixed {
            amount: Uint128::new(100),
        },
        liveness_slash: SlashRule::Fixed {
            amount: Uint128::new(100),
        },
        max_matches: 16,
        max_scan: 64,
        max_reap: 32,
        max_replication: 5,
        max_inline_bytes: 4_096,
        max_eligible_models: MODELS,
    }
}

fn model_id(i: u32) -> String {
    format!("gpu-{i:02}")
}

fn model(i: u32) -> GpuModel {
    GpuModel {
        id: model_id(i),
        vram_mib: 8_192 + 2_048 * i,
        compute_capability: ComputeCapability {
            major: 7 + (i / 8) as u8,
            minor: (i % 8) as u8,
        },
        benchmark_score: 1_000 + 150 * u64::from(i),
    }
}

fn register_msg(name: &str) -> ExecuteMsg {
    ExecuteMsg::RegisterProvider {
        name: name.into(),
        region: "eu-west".into(),
        endpoint: format!("https://{name}.example"),
        public_key: "A".repeat(44),
    }
}

/// `count` offers over all models from providers of ten offers each, priced above the bench
/// provider's so the measured orders all land on it.
fn fill_book(chain: &mut Chain, market: &mut Contract, count: u32) -> Result<()> {
    let mut posted = 0;
    let mut provider_index = 0;
    while posted < count {
        let provider = chain.addr(&format!("provider-{provider_index}"));
        chain.execute(
            market,
            &provider,
            &register_msg(&format!("p{provider_index}")),
            &[],
        )?;
        for _ in 0..OFFERS_PER_PROVIDER.min(count - posted) {
            let spread = u128::from(posted.wrapping_mul(7_919) % 1_000_000);
            chain.execute(
                market,
                &provider,
                &ExecuteMsg::PostOffer {
                    model: model_id(posted % MODELS),
                    units: 4,
                    price: Uint128::new(1_000_000 + spread),
                    denom: UncheckedDenom::Native(DENOM.into()),
                    min_duration: 60,
                    max_duration: 24 * 3600,
                },
                &[],
            )?;
            posted += 1;
        }
        provider_index += 1;
    }
    Ok(())
}

/// A one-GPU, one-replica hash job for an hour, with exactly the budget it needs.
fn order_for(chain: &Chain, requirements: Requirements) -> (u128, NewOrder) {
    let max_price = 500_000u128;
    let max_duration = 3_600u64;
    let budget = max_price * u128::from(max_duration) / 3_600;
    let order = NewOrder {
        spec: JobSpec {
            workload: Workload::Sha256 {},
            inputs: JobInputs::Url {
                url: "https://renter.example/input.bin".into(),
                sha256: "b".repeat(64),
            },
            deterministic: true,
            max_runtime_seconds: 600,
            output_key: None,
        },
        requirements,
        gpu_count: 1,
        max_price: Uint128::new(max_price),
        max_duration,
        replication: 1,
        deadline: chain.block.time.seconds() + 3_600,
        dispute_salt_hash: salt_hash(RENTER_SALT),
    };
    (budget, order)
}

const RENTER_SALT: &str = "72656e7465722d73616c742d62656e63";
const PROVIDER_SALT: &str = "70726f76696465722d73616c742d2d31";

/// The provider commits to an output and reveals it (k = 1: reveals open at the commitment).
fn commit_and_reveal(
    chain: &mut Chain,
    market: &mut Contract,
    provider: &Addr,
    lease: &LeaseResponse,
) -> Result<(Gas, Gas)> {
    let output = "a".repeat(64);
    let commitment = result_commitment(&output, lease.lease_id, provider.as_str(), PROVIDER_SALT)
        .ok_or_else(|| anyhow!("malformed commitment arguments"))?;
    let (_, commit) = chain.execute(
        market,
        provider,
        &ExecuteMsg::CommitResult {
            lease_id: lease.lease_id,
            commitment,
            output_uri: "https://provider.example/results/1".into(),
            runtime_seconds: 590,
            energy_mwh: Some(50),
        },
        &[],
    )?;
    let (_, reveal) = chain.execute(
        market,
        provider,
        &ExecuteMsg::RevealResult {
            lease_id: lease.lease_id,
            sha256: output,
            salt: PROVIDER_SALT.into(),
        },
        &[],
    )?;
    Ok((commit, reveal))
}

fn provider_leases(
    chain: &mut Chain,
    market: &mut Contract,
    provider: &Addr,
) -> Result<Vec<LeaseResponse>> {
    let leases: LeasesResponse = chain.query(
        market,
        &QueryMsg::LeasesByProvider {
            provider: provider.to_string(),
            start_after: None,
            limit: None,
        },
    )?;
    Ok(leases.leases)
}

/// Staking as the marketplace sees it: every address has a bond that covers anything.
fn answer_staking(staking: &str, query: &WasmQuery) -> cosmwasm_std::QuerierResult {
    let WasmQuery::Smart { contract_addr, msg } = query else {
        return SystemResult::Ok(ContractResult::Err("unsupported query".into()));
    };
    if contract_addr != staking {
        return SystemResult::Ok(ContractResult::Err(format!("no contract {contract_addr}")));
    }
    let answer = match cosmwasm_std::from_json::<StakingQueryMsg>(msg) {
        Ok(StakingQueryMsg::Collateral { gpus, .. }) => {
            let required = Uint128::new(STAKE_PER_GPU * u128::from(gpus));
            to_json_binary(&CollateralResponse {
                bonded: Uint128::new(u128::MAX / 2),
                locked: Uint128::zero(),
                required,
                sufficient: true,
            })
        }
        Ok(other) => return SystemResult::Ok(ContractResult::Err(format!("unexpected {other:?}"))),
        Err(e) => return SystemResult::Ok(ContractResult::Err(e.to_string())),
    };
    match answer {
        Ok(binary) => SystemResult::Ok(ContractResult::Ok(binary)),
        Err(e) => SystemResult::Ok(ContractResult::Err(e.to_string())),
    }
}
