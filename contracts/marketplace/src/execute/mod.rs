//! State-changing actions, one module per concern.

pub mod catalogue;
pub mod crank;
pub mod lease;
pub mod offer;
pub mod order;
pub mod params;
pub mod provider;
pub mod reap;
pub mod settle;
pub mod verify;

use crate::state::{Config, Lease, Order, CLOSED_LEASES, OPEN_LEASES, ORDERS, PROVIDER_IDS};
use crate::ContractError;
use cosmwasm_std::{Addr, Storage};
use gridshare_types::marketplace::{order_of_lease, replica_of_lease};

pub(crate) fn ensure_owner(config: &Config, sender: &Addr) -> Result<(), ContractError> {
    Ok(gridshare_plumbing::owner::assert_owner(
        &config.owner,
        sender,
    )?)
}

/// The provider id of a registered address.
pub(crate) fn provider_id(storage: &dyn Storage, address: &Addr) -> Result<u32, ContractError> {
    PROVIDER_IDS
        .may_load(storage, address)?
        .ok_or_else(|| ContractError::NotProvider {
            address: address.to_string(),
        })
}

pub(crate) fn load_order(storage: &dyn Storage, order_id: u64) -> Result<Order, ContractError> {
    ORDERS
        .may_load(storage, order_id)?
        .ok_or(ContractError::OrderNotFound { order_id })
}

/// A lease wherever it is stored, with its order and its provider id.
pub struct LoadedLease {
    pub lease_id: u64,
    pub order_id: u64,
    pub order: Order,
    pub provider: u32,
    pub lease: Lease,
}

pub fn load_lease(storage: &dyn Storage, lease_id: u64) -> Result<LoadedLease, ContractError> {
    let order_id = order_of_lease(lease_id);
    let order = ORDERS
        .may_load(storage, order_id)?
        .ok_or(ContractError::LeaseNotFound { lease_id })?;
    let provider = order
        .provider_of(replica_of_lease(lease_id))
        .ok_or(ContractError::LeaseNotFound { lease_id })?;
    let lease = match OPEN_LEASES.may_load(storage, (provider, lease_id))? {
        Some(lease) => lease,
        None => CLOSED_LEASES
            .may_load(storage, lease_id)?
            .ok_or(ContractError::LeaseNotFound { lease_id })?,
    };
    Ok(LoadedLease {
        lease_id,
        order_id,
        order,
        provider,
        lease,
    })
}

/// Checks a free-text field's length (1..=max bytes).
pub(crate) fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<(), ContractError> {
    if value.is_empty() || value.len() > max {
        return Err(ContractError::InvalidProviderField {
            field,
            len: value.len(),
            max,
        });
    }
    Ok(())
}
