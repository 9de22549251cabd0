//! Orders: the bid side. Posting validates the job, checks the budget, forwards the funds to
//! escrow as the order's account, and matches at once; what does not fill rests in the book.

use super::catalogue::validate_model_id;
use super::load_order;
use super::settle::{due_orders, stop_order};
use crate::external::{access_tier, fee_bps, open_account_msg};
use crate::funds::accepted_denom_id;
use crate::matching::{lease_cap, required_budget, rest, Eligible, Matcher};
use crate::reputation::MAX_REPUTATION;
use crate::state::{
    Config, Order, StoredRequirements, Verification, CONFIG, MODELS, MODELS_BY_VRAM, ORDERS,
    ORDER_SEQ,
};
use crate::{ContractError, MAX_KERNEL_BUFFERS, MAX_KERNEL_ENTRY_LEN, MAX_REGION_LEN, MAX_URL_LEN};
use cosmwasm_std::{Addr, DepsMut, Env, Order as Direction, Response, StdResult, Storage, Uint128};
use cw_storage_plus::Bound;
use gridshare_types::marketplace::{
    ComputeCapability, CrankStep, JobInputs, JobSpec, NewOrder, OrderStatus, Requirements, Workload,
};
use gridshare_types::Denom;

fn invalid(field: &'static str, reason: &'static str) -> ContractError {
    ContractError::InvalidJob { field, reason }
}

/// 64 hex digits, returned lowercase.
pub fn normalize_sha256(value: &str) -> Result<String, ContractError> {
    if value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(ContractError::InvalidSha256 {
            value: value.to_string(),
        })
    }
}

/// Bytes of a dispute salt's sha256 an order stores.
pub const SALT_HASH_PREFIX: usize = 16;

/// Checks a job spec against the parameters; normalizes the input hash.
fn validate_spec(
    spec: &mut JobSpec,
    config: &Config,
    max_duration: u64,
) -> Result<(), ContractError> {
    if spec.max_runtime_seconds == 0 || spec.max_runtime_seconds > max_duration {
        return Err(ContractError::InvalidRuntime {
            max_runtime_seconds: spec.max_runtime_seconds,
            max_duration,
        });
    }
    match &mut spec.inputs {
        JobInputs::Inline { data } => {
            if data.len() > config.max_inline_bytes as usize {
                return Err(ContractError::InputTooLarge {
                    len: data.len(),
                    max: config.max_inline_bytes,
                });
            }
        }
        JobInputs::Url { url, sha256 } => {
            if url.is_empty() || url.len() > MAX_URL_LEN {
                return Err(invalid("input url", "must be 1 to 512 bytes"));
            }
            if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(invalid("input url", "must not contain whitespace"));
            }
            *sha256 = normalize_sha256(sha256)?;
        }
    }
    if let Some(key) = &spec.output_key {
        if !gridshare_types::marketplace::is_x25519_key(key) {
            return Err(invalid("output_key", "must be x25519: + 64 lowercase hex"));
        }
    }
    match &spec.workload {
        Workload::Benchmark {} | Workload::Sha256 {} => {}
        Workload::MatMulInt { m, n, k } | Workload::MatMulF32 { m, n, k } => {
            if *m == 0 || *n == 0 || *k == 0 {
                return Err(invalid("workload", "matrix dimensions must be positive"));
            }
        }
        Workload::CustomKernel {
            source,
            entry,
            grid,
            block,
            buffers,
        } => {
            if source.is_empty() {
                return Err(invalid("kernel source", "must not be empty"));
            }
            if source.len() > config.max_inline_bytes as usize {
                return Err(ContractError::InputTooLarge {
                    len: source.len(),
                    max: config.max_inline_bytes,
                });
            }
            if entry.is_empty() || entry.len() > MAX_KERNEL_ENTRY_LEN {
                return Err(invalid("kernel entry", "must be 1 to 128 bytes"));
            }
            if grid.contains(&0) || block.contains(&0) {
                return Err(invalid(
                    "kernel launch",
                    "grid and block sizes must be positive",
                ));
            }
            if buffers.is_empty() || buffers.len() > MAX_KERNEL_BUFFERS {
                return Err(invalid("kernel buffers", "between 1 and 16 buffers"));
            }
            if buffers.iter().any(|b| b.bytes == 0) {
                return Err(invalid("kernel buffers", "sizes must be positive"));
            }
        }
    }
    Ok(())
}

fn meets(vram: u32, cc: ComputeCapability, req: &Requirements) -> bool {
    req.min_vram_mib.is_none_or(|min| vram >= min)
        && req.min_compute_capability.is_none_or(|min| cc >= min)
}

/// The catalogue models an order may run on: the listed ones (each must exist and be active;
/// those failing the VRAM or compute-capability floor are dropped), or else the active models
/// meeting the floors, lowest VRAM first, at most `max_eligible_models`. Only eligible models
/// are read.
pub fn resolve_models(
    storage: &dyn Storage,
    config: &Config,
    req: &Requirements,
) -> Result<Vec<Eligible>, ContractError> {
    let max = config.max_eligible_models as usize;
    let mut eligible = vec![];
    match &req.models {
        Some(ids) => {
            if ids.len() > max {
                return Err(ContractError::TooManyModels {
                    got: ids.len(),
                    max: config.max_eligible_models,
                });
            }
            for id in ids {
                validate_model_id(id)?;
                let model = MODELS
                    .may_load(storage, id)?
                    .ok_or_else(|| ContractError::UnknownModel { id: id.clone() })?;
                if model.retired {
                    return Err(ContractError::ModelRetired { id: id.clone() });
                }
                let entry = Eligible {
                    idx: model.idx,
                    score: model.score,
                };
                if meets(model.vram_mib, model.cc, req) && !eligible.contains(&entry) {
                    eligible.push(entry);
                }
            }
        }
        None => {
            let from = req.min_vram_mib.unwrap_or(0);
            for item in MODELS_BY_VRAM.range(
                storage,
                Some(Bound::inclusive((from, 0u32))),
                None,
                Direction::Ascending,
            ) {
                let ((vram, idx), entry) = item?;
                if meets(vram, entry.cc, req) {
                    eligible.push(Eligible {
                        idx,
                        score: entry.score,
                    });
                    if eligible.len() >= max {
                        break;
                    }
                }
            }
        }
    }
    if eligible.is_empty() {
        return Err(ContractError::NoEligibleModel);
    }
    Ok(eligible)
}

pub fn post_order(
    deps: DepsMut,
    env: &Env,
    renter: Addr,
    denom: Denom,
    amount: Uint128,
    msg: NewOrder,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let denom_id = accepted_denom_id(&config, &denom)?;
    let NewOrder {
        mut spec,
        requirements,
        gpu_count,
        max_price,
        max_duration,
        replication,
        deadline,
        dispute_salt_hash,
    } = msg;
    let now = env.block.time.seconds();
    let dispute_salt_hash = dispute_salt_hash
        .map(|hash| normalize_sha256(&hash))
        .transpose()?
        .and_then(|hex| gridshare_types::verification::decode_hex(&hex))
        // 128 bits of the digest bind the salt as well as 256 would (finding another salt
        // with that prefix is a 2¹²⁸ search) and keep every order write 20 bytes shorter.
        .map(|digest| cosmwasm_std::Binary::from(&digest[..SALT_HASH_PREFIX]));
    if gpu_count == 0 {
        return Err(ContractError::ZeroUnits);
    }
    if max_price.is_zero() {
        return Err(ContractError::ZeroPrice);
    }
    if max_duration == 0 {
        return Err(ContractError::ZeroDuration);
    }
    if replication == 0 || replication > config.max_replication {
        return Err(ContractError::InvalidReplication {
            replication,
            max: config.max_replication,
        });
    }
    if replication >= 2 && !spec.deterministic {
        return Err(ContractError::ReplicationNeedsDeterministic { replication });
    }
    if deadline <= now {
        return Err(ContractError::DeadlineInPast { deadline, now });
    }
    if lease_cap(max_price, gpu_count, max_duration).is_zero() {
        return Err(ContractError::LeaseCapZero {
            max_price,
            gpu_count,
            max_duration,
        });
    }
    if let Some(region) = &requirements.region {
        super::check_text("region", region, MAX_REGION_LEN)?;
    }
    if let Some(min_reputation) = requirements.min_reputation {
        if min_reputation > MAX_REPUTATION {
            return Err(ContractError::InvalidReputation { min_reputation });
        }
    }
    validate_spec(&mut spec, &config, max_duration)?;
    let required = required_budget(replication, gpu_count, max_price, max_duration).ok_or(
        ContractError::InsufficientBudget {
            required: Uint128::MAX,
            attached: amount,
        },
    )?;
    if amount < required {
        return Err(ContractError::InsufficientBudget {
            required,
            attached: amount,
        });
    }
    let eligible = resolve_models(deps.storage, &config, &requirements)?;
    let tier = access_tier(&deps.querier, &config, &renter);

    let order_id = ORDER_SEQ.may_load(deps.storage)?.unwrap_or_default() + 1;
    ORDER_SEQ.save(deps.storage, &order_id)?;
    let mut order = Order {
        renter,
        denom: denom_id,
        budget: amount,
        max_price,
        committed: Uint128::zero(),
        gpu_count,
        max_duration,
        replication,
        deadline,
        created_at: now,
        priority: tier.priority,
        fee_bps: fee_bps(config.take_rate_bps, tier.fee_discount_bps),
        status: OrderStatus::Open,
        models: eligible.iter().map(|e| e.idx).collect(),
        requirements: StoredRequirements {
            from_floors: requirements.models.is_none(),
            min_vram_mib: requirements.min_vram_mib,
            min_compute_capability: requirements.min_compute_capability,
            region: requirements.region,
            min_reputation: requirements.min_reputation,
        },
        spec: spec.into(),
        providers: vec![],
        open_leases: 0,
        canonical: None,
        closed: false,
        verification: Verification {
            dispute_salt_hash,
            ..Verification::default()
        },
    };
    // The account must exist before the payments the matches open in it.
    let open_account = open_account_msg(&config, &denom, order_id, &order.renter, amount)?;
    let mut tx = Matcher::new(&config, now);
    tx.match_order(deps.storage, order_id, &mut order, &eligible)?;
    if order.unmatched() == 0 {
        order.status = OrderStatus::Filled;
    } else {
        rest(deps.storage, order_id, &order)?;
        let demand = u64::from(order.unmatched()) * u64::from(gpu_count);
        tx.stats
            .add_demand(deps.storage, &order.models, denom_id, demand)?;
    }
    ORDERS.save(deps.storage, order_id, &order)?;

    let response = Response::new().add_message(open_account);
    let matched = tx.finish(deps.storage, &env.contract.address)?;
    Ok(response
        .add_submessages(matched.messages)
        .add_attributes(matched.attributes)
        .add_attribute("action", "post_order")
        .add_attribute("order_id", order_id.to_string())
        .add_attribute("renter", order.renter.as_str())
        .add_attribute("budget", amount)
        .add_attribute(
            "status",
            match order.status {
                OrderStatus::Open => "open",
                OrderStatus::Filled => "filled",
                OrderStatus::Cancelled => "cancelled",
                OrderStatus::Expired => "expired",
            },
        ))
}

pub fn cancel_order(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    order_id: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut order = load_order(deps.storage, order_id)?;
    if order.renter != *sender {
        return Err(ContractError::NotRenter {
            sender: sender.to_string(),
            order_id,
        });
    }
    if order.status != OrderStatus::Open {
        return Err(ContractError::OrderNotOpen {
            order_id,
            status: order.status,
        });
    }
    let mut tx = Matcher::new(&config, env.block.time.seconds());
    // Replicas already running can no longer be outvoted by the ones the renter called off.
    order.verification.cut_short |= order.open_leases > 0;
    stop_order(
        deps.storage,
        &deps.querier,
        &mut tx,
        order_id,
        &mut order,
        OrderStatus::Cancelled,
    )?;
    Ok(tx
        .finish(deps.storage, &env.contract.address)?
        .add_attribute("action", "cancel_order")
        .add_attribute("order_id", order_id.to_string()))
}

pub fn expire_orders(
    deps: DepsMut,
    env: &Env,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let limit = crank_limit(limit, config.max_reap)?;
    let now = env.block.time.seconds();
    let due = due_orders(deps.storage, now, limit as usize)?;
    let contract = &env.contract.address;
    Ok(Response::new()
        .add_submessages(
            due.iter()
                .map(|&(due_at, order_id)| {
                    super::crank::dispatch(contract, &CrankStep::ExpireOrder { order_id, due_at })
                })
                .collect::<StdResult<Vec<_>>>()?,
        )
        .add_attribute("action", "expire_orders")
        .add_attribute("orders_due", due.len().to_string()))
}

/// A crank's limit: default and at most the cap; zero is refused.
pub fn crank_limit(limit: Option<u32>, max: u32) -> Result<u32, ContractError> {
    match limit {
        Some(0) => Err(ContractError::InvalidLimit { got: 0, max }),
        Some(limit) => Ok(limit.min(max)),
        None => Ok(max),
    }
}
