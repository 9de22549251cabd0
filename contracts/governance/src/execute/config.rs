//! The rules of governance, changed only by governance's own proposals; the timelock never below
//! the `min_timelock` fixed at instantiation.

use super::ensure_self;
use crate::msg::{Deposit, DepositSetting, InstantiateMsg, UncheckedDeposit};
use crate::state::{Config, CONFIG};
use crate::{ContractError, MAX_TIMELOCK, MAX_VOTING_PERIOD};
use cosmwasm_std::{Addr, Api, Decimal, DepsMut, Env, Response, Uint128};

pub fn validate_deposit(
    api: &dyn Api,
    deposit: &UncheckedDeposit,
) -> Result<Deposit, ContractError> {
    if deposit.amount.is_zero() {
        return Err(ContractError::ZeroDeposit);
    }
    Ok(Deposit {
        denom: deposit.denom.validate(api)?,
        amount: deposit.amount,
    })
}

pub fn validate_config(config: &Config) -> Result<(), ContractError> {
    if config.quorum.is_zero() || config.quorum > Decimal::one() {
        return Err(ContractError::InvalidQuorum {
            quorum: config.quorum,
        });
    }
    if config.threshold < Decimal::percent(50) || config.threshold >= Decimal::one() {
        return Err(ContractError::InvalidThreshold {
            threshold: config.threshold,
        });
    }
    if config.veto_threshold.is_zero() || config.veto_threshold > Decimal::one() {
        return Err(ContractError::InvalidVetoThreshold {
            veto_threshold: config.veto_threshold,
        });
    }
    if config.voting_period == 0 || config.voting_period > MAX_VOTING_PERIOD {
        return Err(ContractError::InvalidVotingPeriod {
            seconds: config.voting_period,
            max: MAX_VOTING_PERIOD,
        });
    }
    if config.min_timelock == 0 || config.min_timelock > MAX_TIMELOCK {
        return Err(ContractError::InvalidMinTimelock {
            seconds: config.min_timelock,
            max: MAX_TIMELOCK,
        });
    }
    if config.timelock < config.min_timelock {
        return Err(ContractError::TimelockBelowMinimum {
            timelock: config.timelock,
            min_timelock: config.min_timelock,
        });
    }
    if config.timelock > MAX_TIMELOCK {
        return Err(ContractError::TimelockTooLong {
            seconds: config.timelock,
            max: MAX_TIMELOCK,
        });
    }
    if config.deposit.is_none() && config.min_proposer_power.is_zero() {
        return Err(ContractError::NoProposalGate);
    }
    Ok(())
}

pub fn config_from_msg(api: &dyn Api, msg: &InstantiateMsg) -> Result<Config, ContractError> {
    let config = Config {
        staking: api.addr_validate(&msg.staking)?,
        deposit: msg
            .deposit
            .as_ref()
            .map(|d| validate_deposit(api, d))
            .transpose()?,
        min_proposer_power: msg.min_proposer_power,
        quorum: msg.quorum,
        threshold: msg.threshold,
        veto_threshold: msg.veto_threshold,
        voting_period: msg.voting_period,
        timelock: msg.timelock,
        min_timelock: msg.min_timelock,
    };
    validate_config(&config)?;
    Ok(config)
}

/// `UpdateConfig`'s fields; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ConfigUpdate {
    pub staking: Option<String>,
    pub deposit: Option<DepositSetting>,
    pub min_proposer_power: Option<Uint128>,
    pub quorum: Option<Decimal>,
    pub threshold: Option<Decimal>,
    pub veto_threshold: Option<Decimal>,
    pub voting_period: Option<u64>,
    pub timelock: Option<u64>,
}

pub fn update_config(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    ensure_self(env, sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(staking) = update.staking {
        config.staking = deps.api.addr_validate(&staking)?;
    }
    match update.deposit {
        Some(DepositSetting::Require(deposit)) => {
            config.deposit = Some(validate_deposit(deps.api, &deposit)?)
        }
        Some(DepositSetting::Waive {}) => config.deposit = None,
        None => {}
    }
    if let Some(power) = update.min_proposer_power {
        config.min_proposer_power = power;
    }
    if let Some(quorum) = update.quorum {
        config.quorum = quorum;
    }
    if let Some(threshold) = update.threshold {
        config.threshold = threshold;
    }
    if let Some(veto_threshold) = update.veto_threshold {
        config.veto_threshold = veto_threshold;
    }
    if let Some(voting_period) = update.voting_period {
        config.voting_period = voting_period;
    }
    if let Some(timelock) = update.timelock {
        config.timelock = timelock;
    }
    validate_config(&config)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("staking", config.staking.as_str())
        .add_attribute("quorum", config.quorum.to_string())
        .add_attribute("threshold", config.threshold.to_string())
        .add_attribute("veto_threshold", config.veto_threshold.to_string())
        .add_attribute("voting_period", config.voting_period.to_string())
        .add_attribute("timelock", config.timelock.to_string()))
}
