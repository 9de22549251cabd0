//! What escrow sends the fee collector (the staking contract) with every fee.
//!
//! Native fees arrive as `ExecuteMsg::DepositRewards {}` with the coins attached; cw20 fees arrive
//! through the token's `Send`, whose hook message is the same `DepositRewards {}`. A collector
//! embeds these variants in its own `ExecuteMsg` and `ReceiveMsg`, which serialize identically.

use cosmwasm_schema::cw_serde;

#[cw_serde]
pub enum FeeCollectorExecuteMsg {
    /// Attached native funds are rewards for stakers.
    DepositRewards {},
}

#[cw_serde]
pub enum FeeCollectorReceiveMsg {
    /// The cw20 amount sent is rewards for stakers.
    DepositRewards {},
}
