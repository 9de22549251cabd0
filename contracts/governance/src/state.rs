use crate::msg::{
    Deposit, ProposalDeposit, ProposalMessage, ProposalStatus, Tally, VoteOption, VotingRules,
};
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};

#[cw_serde]
pub struct Config {
    pub staking: Addr,
    pub deposit: Option<Deposit>,
    pub min_proposer_power: Uint128,
    pub quorum: Decimal,
    pub threshold: Decimal,
    pub veto_threshold: Decimal,
    pub voting_period: u64,
    pub timelock: u64,
    /// The floor under `timelock`, fixed at instantiation. State written before the floor
    /// existed reads it as 1 s (see `migrate`).
    #[serde(default = "legacy_min_timelock")]
    pub min_timelock: u64,
}

fn legacy_min_timelock() -> u64 {
    1
}

impl Config {
    pub fn rules(&self) -> VotingRules {
        VotingRules {
            quorum: self.quorum,
            threshold: self.threshold,
            veto_threshold: self.veto_threshold,
        }
    }
}

#[cw_serde]
pub struct Proposal {
    pub title: String,
    pub description: String,
    pub proposer: Addr,
    pub messages: Vec<ProposalMessage>,
    pub staking: Addr,
    pub start_height: u64,
    pub start_time: Timestamp,
    pub voting_ends_at: Timestamp,
    pub executable_at: Timestamp,
    pub total_power: Uint128,
    pub rules: VotingRules,
    pub tally: Tally,
    /// As recorded: `Open` until someone closes the proposal after its vote.
    pub status: ProposalStatus,
    pub deposit: Option<ProposalDeposit>,
}

#[cw_serde]
pub struct Ballot {
    pub vote: VoteOption,
    pub power: Uint128,
}

pub const CONFIG: Item<Config> = Item::new("config");
/// The id of the last proposal made (ids start at 1).
pub const PROPOSAL_COUNT: Item<u64> = Item::new("proposal_count");
pub const PROPOSALS: Map<u64, Proposal> = Map::new("proposals");
pub const BALLOTS: Map<(u64, &Addr), Ballot> = Map::new("ballots");
/// Per denom key: deposits held for proposals not yet closed. The treasury is the contract's
/// balance less these; `AssertDepositsHeld` runs after every proposal's messages.
pub const DEPOSITS_HELD: Map<&str, Deposit> = Map::new("deposits_held");
/// The proposal whose `DispatchProposal` is expected next: set by `Execute`, taken by
/// `DispatchProposal` (or cleared by the failure reply), so no other path can dispatch messages.
pub const DISPATCHING: Item<u64> = Item::new("dispatching");
