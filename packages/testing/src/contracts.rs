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
        .with_reply(escrow::contract::reply)
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

pub fn access_token() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            access_token::contract::execute,
            access_token::contract::instantiate,
            access_token::contract::query,
        )
        .with_migrate(access_token::contract::migrate),
    )
}

pub fn governance() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            governance::contract::execute,
            governance::contract::instantiate,
            governance::contract::query,
        )
        .with_reply(governance::contract::reply)
        .with_migrate(governance::contract::migrate),
    )
}

pub fn marketplace() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            marketplace::contract::execute,
            marketplace::contract::instantiate,
            marketplace::contract::query,
        )
        .with_reply(marketplace::contract::reply)
        .with_migrate(marketplace::contract::migrate),
    )
}
