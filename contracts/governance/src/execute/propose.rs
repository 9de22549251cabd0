//! Opening a proposal: content checks (sizes included), the deposit or the proposer's power, then
//! the snapshot.
//!
//! Sizes are bounded so that no proposal, and no page of them, can outgrow a query's gas limit:
//! each `msg` at most [`MAX_MSG_BYTES`], the proposal as stored at most [`MAX_PROPOSAL_BYTES`].

use crate::funds::check_deposit;
use crate::msg::{Deposit, DepositStatus, ProposalDeposit, ProposalMessage, ProposalStatus, Tally};
use crate::power::{total_power, voting_power};
use crate::state::{Proposal, CONFIG, DEPOSITS_HELD, PROPOSALS, PROPOSAL_COUNT};
use crate::{
    ContractError, MAX_DESCRIPTION_LEN, MAX_MSG_BYTES, MAX_PROPOSAL_BYTES, MAX_PROPOSAL_MESSAGES,
    MAX_TITLE_LEN,
};
use cosmwasm_std::{
    to_json_vec, Addr, Api, Binary, Coin, DepsMut, Env, OverflowError, OverflowOperation, Response,
    Storage, Timestamp,
};
use gridshare_types::UncheckedDenom;

/// A proposal as its author writes it.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub title: String,
    pub description: String,
    pub messages: Vec<ProposalMessage>,
}

fn invalid(index: usize, reason: impl Into<String>) -> ContractError {
    ContractError::InvalidMessage {
        index,
        reason: reason.into(),
    }
}

/// Positive amounts of valid, distinct native denoms, sorted by denom (as the bank requires).
fn validate_coins(
    api: &dyn Api,
    index: usize,
    coins: &[Coin],
    allow_empty: bool,
) -> Result<Vec<Coin>, ContractError> {
    if coins.is_empty() && !allow_empty {
        return Err(invalid(index, "no coins to send"));
    }
    let mut sorted = coins.to_vec();
    sorted.sort_by(|a, b| a.denom.cmp(&b.denom));
    for (i, coin) in sorted.iter().enumerate() {
        UncheckedDenom::Native(coin.denom.clone())
            .validate(api)
            .map_err(|e| invalid(index, e.to_string()))?;
        if coin.amount.is_zero() {
            return Err(invalid(index, format!("zero amount of {}", coin.denom)));
        }
        if i > 0 && sorted[i - 1].denom == coin.denom {
            return Err(invalid(index, format!("{} listed twice", coin.denom)));
        }
    }
    Ok(sorted)
}

fn validate_msg(index: usize, msg: &Binary) -> Result<Binary, ContractError> {
    if msg.len() > MAX_MSG_BYTES {
        return Err(ContractError::MessageTooLarge {
            index,
            size: msg.len(),
            max: MAX_MSG_BYTES,
        });
    }
    Ok(msg.clone())
}

fn validate_address(api: &dyn Api, index: usize, address: &str) -> Result<String, ContractError> {
    api.addr_validate(address)
        .map(Addr::into_string)
        .map_err(|e| invalid(index, e.to_string()))
}

/// Checks a message and returns it normalized (validated addresses, sorted coins).
pub fn validate_message(
    api: &dyn Api,
    index: usize,
    message: &ProposalMessage,
) -> Result<ProposalMessage, ContractError> {
    Ok(match message {
        ProposalMessage::WasmExecute {
            contract,
            msg,
            funds,
        } => ProposalMessage::WasmExecute {
            contract: validate_address(api, index, contract)?,
            msg: validate_msg(index, msg)?,
            funds: validate_coins(api, index, funds, true)?,
        },
        ProposalMessage::WasmMigrate {
            contract,
            new_code_id,
            msg,
        } => {
            if *new_code_id == 0 {
                return Err(invalid(index, "code id 0 does not exist"));
            }
            ProposalMessage::WasmMigrate {
                contract: validate_address(api, index, contract)?,
                new_code_id: *new_code_id,
                msg: validate_msg(index, msg)?,
            }
        }
        ProposalMessage::BankSend { to, amount } => ProposalMessage::BankSend {
            to: validate_address(api, index, to)?,
            amount: validate_coins(api, index, amount, false)?,
        },
    })
}

pub fn validate_content(
    api: &dyn Api,
    new: &NewProposal,
) -> Result<Vec<ProposalMessage>, ContractError> {
    if new.title.trim().is_empty() {
        return Err(ContractError::EmptyTitle);
    }
    if new.title.len() > MAX_TITLE_LEN {
        return Err(ContractError::TitleTooLong {
            len: new.title.len(),
            max: MAX_TITLE_LEN,
        });
    }
    if new.description.len() > MAX_DESCRIPTION_LEN {
        return Err(ContractError::DescriptionTooLong {
            len: new.description.len(),
            max: MAX_DESCRIPTION_LEN,
        });
    }
    if new.messages.len() > MAX_PROPOSAL_MESSAGES {
        return Err(ContractError::TooManyMessages {
            got: new.messages.len(),
            max: MAX_PROPOSAL_MESSAGES,
        });
    }
    new.messages
        .iter()
        .enumerate()
        .map(|(i, m)| validate_message(api, i, m))
        .collect()
}

fn after(time: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    let nanos = seconds
        .checked_mul(1_000_000_000)
        .and_then(|n| time.nanos().checked_add(n))
        .ok_or_else(|| OverflowError::new(OverflowOperation::Add))?;
    Ok(Timestamp::from_nanos(nanos))
}

pub(crate) fn hold_deposit(
    storage: &mut dyn Storage,
    deposit: &Deposit,
) -> Result<(), ContractError> {
    let key = deposit.denom.key();
    let held = match DEPOSITS_HELD.may_load(storage, &key)? {
        Some(held) => held.amount.checked_add(deposit.amount)?,
        None => deposit.amount,
    };
    DEPOSITS_HELD.save(
        storage,
        &key,
        &Deposit {
            denom: deposit.denom.clone(),
            amount: held,
        },
    )?;
    Ok(())
}

/// `proposer` opens a proposal, having paid `deposit` (native coins attached or a cw20 `Send`).
pub fn propose(
    deps: DepsMut,
    env: &Env,
    proposer: Addr,
    new: NewProposal,
    deposit: Option<Deposit>,
) -> Result<Response, ContractError> {
    let messages = validate_content(deps.api, &new)?;
    let config = CONFIG.load(deps.storage)?;
    check_deposit(config.deposit.as_ref(), deposit.as_ref())?;

    let height = env.block.height;
    let total_power = total_power(deps.as_ref(), &config.staking, height)?;
    if total_power.is_zero() {
        return Err(ContractError::NoStakedPower { height });
    }
    if !config.min_proposer_power.is_zero() {
        let power = voting_power(deps.as_ref(), &config.staking, &proposer, height)?;
        if power < config.min_proposer_power {
            return Err(ContractError::InsufficientProposerPower {
                proposer: proposer.to_string(),
                power,
                required: config.min_proposer_power,
                height,
            });
        }
    }
    let voting_ends_at = after(env.block.time, config.voting_period)?;
    let executable_at = after(voting_ends_at, config.timelock)?;
    let id = PROPOSAL_COUNT
        .may_load(deps.storage)?
        .unwrap_or_default()
        .checked_add(1)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Add))?;

    let proposal = Proposal {
        title: new.title,
        description: new.description,
        proposer: proposer.clone(),
        messages,
        staking: config.staking.clone(),
        start_height: height,
        start_time: env.block.time,
        voting_ends_at,
        executable_at,
        total_power,
        rules: config.rules(),
        tally: Tally::default(),
        status: ProposalStatus::Open,
        deposit: deposit.as_ref().map(|d| ProposalDeposit {
            denom: d.denom.clone(),
            amount: d.amount,
            depositor: proposer.clone(),
            status: DepositStatus::Held,
        }),
    };
    let size = to_json_vec(&proposal)?.len();
    if size > MAX_PROPOSAL_BYTES {
        return Err(ContractError::ProposalTooLarge {
            size,
            max: MAX_PROPOSAL_BYTES,
        });
    }
    if let Some(deposit) = &deposit {
        hold_deposit(deps.storage, deposit)?;
    }
    PROPOSALS.save(deps.storage, id, &proposal)?;
    PROPOSAL_COUNT.save(deps.storage, &id)?;

    Ok(Response::new()
        .add_attribute("action", "propose")
        .add_attribute("proposal_id", id.to_string())
        .add_attribute("proposer", proposer.as_str())
        .add_attribute("start_height", height.to_string())
        .add_attribute("total_power", total_power)
        .add_attribute("voting_ends_at", voting_ends_at.seconds().to_string())
        .add_attribute("executable_at", executable_at.seconds().to_string())
        .set_data(cosmwasm_std::to_json_binary(&id)?))
}
