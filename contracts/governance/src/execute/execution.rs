//! Executing a passed proposal: all of its messages or none, and governance survives a failure.
//!
//! `Execute` marks the proposal `Executed` and sends one sub-message to governance itself,
//! `DispatchProposal`, with `reply_on_error`. `DispatchProposal` emits the proposal's messages
//! followed by `AssertDepositsHeld`, so they all run inside that one
//! sub-message: if any of them fails, the chain reverts all of them, and the reply records
//! `ExecutionFailed { reason }` in place of `Executed`. The transaction itself succeeds, so a
//! broken message can never brick governance or leave a proposal half-applied; a failed proposal
//! is final (make a new one), because its messages were written for the state at the time.
//!
//! A transaction that runs out of gas reverts entirely (out of gas cannot be caught): the
//! proposal stays `Passed` and can be executed again with more gas.

use super::close::{ended_outcome, settle};
use super::{ensure_self, load_proposal};
use crate::msg::{ExecuteMsg, ProposalMessage, ProposalStatus};
use crate::state::{DEPOSITS_HELD, DISPATCHING, PROPOSALS};
use crate::{ContractError, MAX_REASON_LEN};
use cosmwasm_std::{
    to_json_binary, Addr, BankMsg, CosmosMsg, Deps, DepsMut, Env, Order, Reply, Response,
    StdResult, SubMsg, SubMsgResult, Uint128, WasmMsg,
};
use cw20::{BalanceResponse, Cw20QueryMsg};
use gridshare_types::Denom;

pub fn execute_proposal(
    deps: DepsMut,
    env: &Env,
    proposal_id: u64,
) -> Result<Response, ContractError> {
    let mut proposal = load_proposal(deps.storage, proposal_id)?;
    let was_open = proposal.status == ProposalStatus::Open;
    let status = if was_open {
        ended_outcome(proposal_id, &proposal, env.block.time)?
    } else {
        proposal.status.clone()
    };
    match &status {
        ProposalStatus::Passed => {
            if env.block.time < proposal.executable_at {
                return Err(ContractError::TimelockActive {
                    proposal_id,
                    executable_at: proposal.executable_at.seconds(),
                    now: env.block.time.seconds(),
                });
            }
        }
        ProposalStatus::Executed => return Err(ContractError::AlreadyExecuted { proposal_id }),
        ProposalStatus::ExecutionFailed { reason } => {
            return Err(ContractError::ExecutionAlreadyFailed {
                proposal_id,
                reason: reason.clone(),
            })
        }
        ProposalStatus::Open | ProposalStatus::Rejected | ProposalStatus::Vetoed => {
            return Err(ContractError::NotPassed {
                proposal_id,
                status: status.to_string(),
            })
        }
    }

    let refund = if was_open {
        settle(deps.storage, &mut proposal, status)?
    } else {
        vec![]
    };
    proposal.status = ProposalStatus::Executed;
    PROPOSALS.save(deps.storage, proposal_id, &proposal)?;

    let mut response = Response::new()
        .add_messages(refund)
        .add_attribute("action", "execute")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("messages", proposal.messages.len().to_string());
    if !proposal.messages.is_empty() {
        DISPATCHING.save(deps.storage, &proposal_id)?;
        response = response.add_submessage(SubMsg::reply_on_error(
            WasmMsg::Execute {
                contract_addr: env.contract.address.to_string(),
                msg: to_json_binary(&ExecuteMsg::DispatchProposal { proposal_id })?,
                funds: vec![],
            },
            proposal_id,
        ));
    }
    Ok(response)
}

pub fn to_cosmos_msg(message: ProposalMessage) -> CosmosMsg {
    match message {
        ProposalMessage::WasmExecute {
            contract,
            msg,
            funds,
        } => WasmMsg::Execute {
            contract_addr: contract,
            msg,
            funds,
        }
        .into(),
        ProposalMessage::WasmMigrate {
            contract,
            new_code_id,
            msg,
        } => WasmMsg::Migrate {
            contract_addr: contract,
            new_code_id,
            msg,
        }
        .into(),
        ProposalMessage::BankSend { to, amount } => BankMsg::Send {
            to_address: to,
            amount,
        }
        .into(),
    }
}

/// Governance itself, inside `Execute`'s sub-message: emits the proposal's messages.
pub fn dispatch(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    proposal_id: u64,
) -> Result<Response, ContractError> {
    ensure_self(env, sender)?;
    if DISPATCHING.may_load(deps.storage)? != Some(proposal_id) {
        return Err(ContractError::NotDispatching { proposal_id });
    }
    let proposal = load_proposal(deps.storage, proposal_id)?;
    DISPATCHING.remove(deps.storage);

    // Last, within the same sub-message: the deposits held for open proposals (including any
    // this proposal's own messages opened) must still be here.
    let response = Response::new()
        .add_attribute("action", "dispatch_proposal")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_messages(proposal.messages.into_iter().map(to_cosmos_msg))
        .add_message(WasmMsg::Execute {
            contract_addr: env.contract.address.to_string(),
            msg: to_json_binary(&ExecuteMsg::AssertDepositsHeld {})?,
            funds: vec![],
        });
    Ok(response)
}

fn balance(deps: Deps, holder: &Addr, denom: &Denom) -> StdResult<Uint128> {
    match denom {
        Denom::Native(denom) => Ok(deps.querier.query_balance(holder, denom)?.amount),
        Denom::Cw20(token) => {
            let response: BalanceResponse = deps.querier.query_wasm_smart(
                token,
                &Cw20QueryMsg::Balance {
                    address: holder.to_string(),
                },
            )?;
            Ok(response.balance)
        }
    }
}

/// Governance itself, after a proposal's messages: the treasury may be spent, the deposits it
/// holds for open proposals may not. Denoms held are only ever deposit denoms (set by governance),
/// so this loop is short.
pub fn assert_deposits_held(
    deps: Deps,
    env: &Env,
    sender: &Addr,
) -> Result<Response, ContractError> {
    ensure_self(env, sender)?;
    let held = DEPOSITS_HELD
        .range(deps.storage, None, None, Order::Ascending)
        .map(|item| item.map(|(_, deposit)| deposit))
        .collect::<StdResult<Vec<_>>>()?;
    for deposit in held {
        let balance = balance(deps, &env.contract.address, &deposit.denom)?;
        if balance < deposit.amount {
            return Err(ContractError::DepositsNotCovered {
                denom: deposit.denom.to_string(),
                balance,
                held: deposit.amount,
            });
        }
    }
    Ok(Response::new().add_attribute("action", "assert_deposits_held"))
}

/// The longest prefix of `reason` that fits `MAX_REASON_LEN` bytes on a character boundary.
fn truncate(mut reason: String) -> String {
    if reason.len() > MAX_REASON_LEN {
        let mut end = MAX_REASON_LEN;
        while !reason.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        reason.truncate(end);
    }
    reason
}

/// `DispatchProposal` failed: none of the proposal's messages took effect. Record why.
pub fn reply(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let proposal_id = msg.id;
    let reason = match msg.result {
        SubMsgResult::Err(reason) => reason,
        SubMsgResult::Ok(_) => return Err(ContractError::UnexpectedReply { id: proposal_id }),
    };
    let mut proposal = load_proposal(deps.storage, proposal_id)?;
    if proposal.status != ProposalStatus::Executed {
        return Err(ContractError::UnexpectedReply { id: proposal_id });
    }
    let reason = truncate(reason);
    proposal.status = ProposalStatus::ExecutionFailed {
        reason: reason.clone(),
    };
    PROPOSALS.save(deps.storage, proposal_id, &proposal)?;
    DISPATCHING.remove(deps.storage);
    Ok(Response::new()
        .add_attribute("action", "execution_failed")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("reason", reason))
}
