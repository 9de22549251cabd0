//! The code each scenario stores: the suite's own contracts and the standard cw20.

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, ContractWrapper};

pub fn escrow() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            escrow::contract::execute,
            escrow::contract::instantiate,
            escrow::contract::query,
        )
        .with_migrate(escrow::contract::migrate),
    )
}

pub fn cw20_base() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        cw20_base::contract::execute,
        cw20_base::contract::instantiate,
        cw20_base::contract::query,
    ))
}

pub fn staking() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            staking::contract::execute,
            staking::contract::instantiate,
            staking::contract::query,
        )
        .with_migrate(staking::contract::migrate),
    )
}
