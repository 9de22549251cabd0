//! The owner's levers (governance's, once it takes over).

use super::ensure_owner;
use crate::state::{AcceptedDenom, Config, CONFIG, DENOMS, DENOM_IDS, DENOM_SEQ};
use crate::wire::{EscrowAsk, EscrowDenoms};
use crate::{
    ContractError, MAX_ACCEPTED_DENOMS, MAX_ELIGIBLE_MODELS_CEILING, MAX_INLINE_BYTES_CEILING,
    MAX_MATCHES_CEILING, MAX_REAP_CEILING, MAX_SCAN_CEILING,
};
use cosmwasm_std::{Addr, Api, DepsMut, Env, QuerierWrapper, Response, StdResult, Storage};
use gridshare_plumbing::denoms::{ensure_subset, validate_denom_list};
use gridshare_plumbing::owner::update_ownership as update_ownership_of;
use gridshare_types::escrow::BPS_DENOMINATOR;
use gridshare_types::marketplace::{ParamsUpdate, SlashRule, MAX_REPLICATION};
use gridshare_types::owner::OwnerAction;
use gridshare_types::UncheckedDenom;

/// Validates the denoms and gives each its permanent id (an old id when it was accepted before).
pub fn accept_denoms(
    storage: &mut dyn Storage,
    api: &dyn Api,
    denoms: &[UncheckedDenom],
) -> Result<Vec<AcceptedDenom>, ContractError> {
    let validated = validate_denom_list(api, denoms, MAX_ACCEPTED_DENOMS)?;
    let mut accepted = Vec::with_capacity(validated.len());
    for denom in validated {
        let key = denom.key();
        let id = match DENOM_IDS.may_load(storage, &key)? {
            Some(id) => id,
            None => {
                let id = DENOM_SEQ.may_load(storage)?.unwrap_or_default() + 1;
                DENOM_SEQ.save(storage, &id)?;
                DENOM_IDS.save(storage, &key, &id)?;
                DENOMS.save(storage, id, &denom)?;
                id
            }
        };
        accepted.push(AcceptedDenom { denom, id });
    }
    Ok(accepted)
}

fn invalid(param: &'static str, value: impl ToString, reason: &'static str) -> ContractError {
    ContractError::InvalidParam {
        param,
        value: value.to_string(),
        reason,
    }
}

fn within(param: &'static str, value: u32, max: u32) -> Result<(), ContractError> {
    if value == 0 || value > max {
        return Err(ContractError::InvalidParam {
            param,
            value: value.to_string(),
            reason: "out of range",
        });
    }
    Ok(())
}

/// Every numeric parameter within its bounds.
pub fn validate(config: &Config) -> Result<(), ContractError> {
    if config.take_rate_bps > BPS_DENOMINATOR {
        return Err(invalid(
            "take_rate_bps",
            config.take_rate_bps,
            "at most 10000",
        ));
    }
    if config.heartbeat_interval == 0 {
        return Err(invalid("heartbeat_interval", 0, "must be positive"));
    }
    if config.max_silence < config.heartbeat_interval {
        return Err(invalid(
            "max_silence",
            config.max_silence,
            "must be at least the heartbeat interval",
        ));
    }
    if config.dispute_window == 0 {
        return Err(invalid("dispute_window", 0, "must be positive"));
    }
    if config.reveal_window == 0 {
        return Err(invalid("reveal_window", 0, "must be positive"));
    }
    for (param, rule) in [
        ("slash", config.slash),
        ("liveness_slash", config.liveness_slash),
    ] {
        if let SlashRule::BondBps { bps } = rule {
            if bps > BPS_DENOMINATOR {
                return Err(invalid(param, bps, "at most 10000 bps"));
            }
        }
    }
    within("max_matches", config.max_matches, MAX_MATCHES_CEILING)?;
    within("max_scan", config.max_scan, MAX_SCAN_CEILING)?;
    within("max_reap", config.max_reap, MAX_REAP_CEILING)?;
    // The lease id scheme's bound, less the referee's index.
    within(
        "max_replication",
        u32::from(config.max_replication),
        u32::from(MAX_REPLICATION),
    )?;
    if config.max_inline_bytes > MAX_INLINE_BYTES_CEILING {
        return Err(invalid(
            "max_inline_bytes",
            config.max_inline_bytes,
            "out of range",
        ));
    }
    within(
        "max_eligible_models",
        config.max_eligible_models,
        MAX_ELIGIBLE_MODELS_CEILING,
    )?;
    Ok(())
}

pub fn update_params(
    deps: DepsMut,
    sender: &Addr,
    update: ParamsUpdate,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    let ParamsUpdate {
        accepted_denoms,
        take_rate_bps,
        heartbeat_interval,
        max_silence,
        dispute_window,
        reveal_window,
        slash,
        liveness_slash,
        max_matches,
        max_scan,
        max_reap,
        max_replication,
        max_inline_bytes,
        max_eligible_models,
        escrow,
        staking,
        access_token,
        remove_access_token,
    } = update;
    if access_token.is_some() && remove_access_token == Some(true) {
        return Err(ContractError::ConflictingAccessToken);
    }
    let accepted_denoms_changed = accepted_denoms.is_some();
    if let Some(denoms) = accepted_denoms {
        config.denoms = accept_denoms(deps.storage, deps.api, &denoms)?;
    }
    config.take_rate_bps = take_rate_bps.unwrap_or(config.take_rate_bps);
    config.heartbeat_interval = heartbeat_interval.unwrap_or(config.heartbeat_interval);
    config.max_silence = max_silence.unwrap_or(config.max_silence);
    config.dispute_window = dispute_window.unwrap_or(config.dispute_window);
    config.reveal_window = reveal_window.unwrap_or(config.reveal_window);
    config.slash = slash.unwrap_or(config.slash);
    config.liveness_slash = liveness_slash.unwrap_or(config.liveness_slash);
    config.max_matches = max_matches.unwrap_or(config.max_matches);
    config.max_scan = max_scan.unwrap_or(config.max_scan);
    config.max_reap = max_reap.unwrap_or(config.max_reap);
    config.max_replication = max_replication.unwrap_or(config.max_replication);
    config.max_inline_bytes = max_inline_bytes.unwrap_or(config.max_inline_bytes);
    config.max_eligible_models = max_eligible_models.unwrap_or(config.max_eligible_models);
    let denoms_changed = accepted_denoms_changed || escrow.is_some();
    if let Some(escrow) = escrow {
        config.escrow = deps.api.addr_validate(&escrow)?;
    }
    if let Some(staking) = staking {
        config.staking = deps.api.addr_validate(&staking)?;
    }
    if let Some(token) = access_token {
        config.access_token = Some(deps.api.addr_validate(&token)?);
    }
    if remove_access_token == Some(true) {
        config.access_token = None;
    }
    validate(&config)?;
    if denoms_changed {
        ensure_escrow_holds(&deps.querier, &config)?;
    }
    CONFIG.save(deps.storage, &config)?;

    Ok(Response::new()
        .add_attribute("action", "update_params")
        .add_attribute("take_rate_bps", config.take_rate_bps.to_string())
        .add_attribute("escrow", config.escrow.as_str())
        .add_attribute("staking", config.staking.as_str())
        .add_attribute(
            "access_token",
            config.access_token.as_ref().map_or("none", |a| a.as_str()),
        ))
}

/// The denom chain's first link: every denom an order may pay in is one escrow holds (see
/// `gridshare_plumbing::denoms`). An escrow that does not answer (a placeholder while the suite
/// is being wired) is not checked; escrow checks the link again from its side when it is wired.
fn ensure_escrow_holds(querier: &QuerierWrapper, config: &Config) -> Result<(), ContractError> {
    let escrow: StdResult<EscrowDenoms> =
        querier.query_wasm_smart(&config.escrow, &EscrowAsk::Config {});
    match escrow {
        Ok(escrow) => Ok(ensure_subset(
            config.denoms.iter().map(|d| &d.denom),
            &escrow.accepted_denoms,
            "marketplace's accepted denoms",
            "escrow's accepted denoms",
        )?),
        Err(_) => Ok(()),
    }
}

pub fn update_ownership(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    action: OwnerAction,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    let attributes = update_ownership_of(
        deps.storage,
        deps.api,
        env.block.time.seconds(),
        &mut config.owner,
        sender,
        action,
    )?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attributes(attributes))
}
