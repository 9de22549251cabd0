//! Two-step ownership: the owner offers the contract, the new owner accepts.
//!
//! A one-step transfer to a mistyped address, or to a contract that cannot send messages, loses
//! the contract for good. Here the owner only names a pending owner (optionally with a deadline);
//! nothing changes until that address sends `accept_ownership`, and the owner may cancel the offer
//! before then. The owner itself lives in each contract's configuration (it is read on every
//! owner-only message); this module keeps the pending offer under its own storage key.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Api, Attribute, StdError, Storage};
use cw_storage_plus::Item;
pub use gridshare_types::owner::{OwnerAction, OwnershipResponse};

#[cw_serde]
struct PendingOwner {
    address: Addr,
    expiry: Option<u64>,
}

const PENDING_OWNER: Item<PendingOwner> = Item::new("pending_owner");

#[derive(thiserror::Error, Debug, PartialEq)]
pub enum OwnerError {
    #[error("{sender} is not the owner")]
    NotOwner { sender: String },
    #[error("{sender} is not the pending owner")]
    NotPendingOwner { sender: String },
    #[error("no ownership transfer is pending")]
    NoPendingOwner,
    #[error("the ownership offer expired at {expiry}, now is {now}")]
    TransferExpired { expiry: u64, now: u64 },
    #[error("the expiry {expiry} is not after now ({now})")]
    ExpiryInPast { expiry: u64, now: u64 },
    #[error("{0}")]
    Std(#[from] StdError),
}

pub fn assert_owner(owner: &Addr, sender: &Addr) -> Result<(), OwnerError> {
    if owner == sender {
        Ok(())
    } else {
        Err(OwnerError::NotOwner {
            sender: sender.to_string(),
        })
    }
}

/// Applies `action` from `sender` at block time `now`; on acceptance `owner` becomes the sender.
/// Returns the attributes that describe what changed.
pub fn update_ownership(
    storage: &mut dyn Storage,
    api: &dyn Api,
    now: u64,
    owner: &mut Addr,
    sender: &Addr,
    action: OwnerAction,
) -> Result<Vec<Attribute>, OwnerError> {
    match action {
        OwnerAction::TransferOwnership { new_owner, expiry } => {
            assert_owner(owner, sender)?;
            let address = api.addr_validate(&new_owner)?;
            if let Some(expiry) = expiry {
                if expiry <= now {
                    return Err(OwnerError::ExpiryInPast { expiry, now });
                }
            }
            PENDING_OWNER.save(storage, &PendingOwner { address, expiry })?;
            Ok(vec![
                Attribute::new("action", "transfer_ownership"),
                Attribute::new("pending_owner", new_owner),
                Attribute::new(
                    "expiry",
                    expiry.map_or_else(|| "none".to_string(), |e| e.to_string()),
                ),
            ])
        }
        OwnerAction::AcceptOwnership {} => {
            let pending = PENDING_OWNER
                .may_load(storage)?
                .ok_or(OwnerError::NoPendingOwner)?;
            if pending.address != *sender {
                return Err(OwnerError::NotPendingOwner {
                    sender: sender.to_string(),
                });
            }
            if let Some(expiry) = pending.expiry {
                if now >= expiry {
                    return Err(OwnerError::TransferExpired { expiry, now });
                }
            }
            PENDING_OWNER.remove(storage);
            let previous = std::mem::replace(owner, pending.address);
            Ok(vec![
                Attribute::new("action", "accept_ownership"),
                Attribute::new("previous_owner", previous),
                Attribute::new("owner", owner.as_str()),
            ])
        }
        OwnerAction::CancelTransfer {} => {
            assert_owner(owner, sender)?;
            if !PENDING_OWNER.exists(storage) {
                return Err(OwnerError::NoPendingOwner);
            }
            PENDING_OWNER.remove(storage);
            Ok(vec![Attribute::new("action", "cancel_ownership_transfer")])
        }
    }
}

pub fn ownership(storage: &dyn Storage, owner: Addr) -> Result<OwnershipResponse, StdError> {
    let pending = PENDING_OWNER.may_load(storage)?;
    Ok(OwnershipResponse {
        owner,
        pending_expiry: pending.as_ref().and_then(|p| p.expiry),
        pending_owner: pending.map(|p| p.address),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::{MockApi, MockStorage};

    struct World {
        storage: MockStorage,
        api: MockApi,
        owner: Addr,
    }

    impl World {
        fn new() -> Self {
            let api = MockApi::default();
            World {
                storage: MockStorage::new(),
                owner: api.addr_make("owner"),
                api,
            }
        }
        fn addr(&self, name: &str) -> Addr {
            self.api.addr_make(name)
        }
        fn act(&mut self, now: u64, sender: &str, action: OwnerAction) -> Result<(), OwnerError> {
            let sender = self.addr(sender);
            update_ownership(
                &mut self.storage,
                &self.api,
                now,
                &mut self.owner,
                &sender,
                action,
            )
            .map(|_| ())
        }
        fn offer(&self, to: &str, expiry: Option<u64>) -> OwnerAction {
            OwnerAction::TransferOwnership {
                new_owner: self.addr(to).to_string(),
                expiry,
            }
        }
    }

    #[test]
    fn nothing_changes_until_the_new_owner_accepts() {
        let mut w = World::new();
        let offer = w.offer("dao", None);
        w.act(10, "owner", offer).unwrap();
        assert_eq!(w.owner, w.addr("owner"));
        let view = ownership(&w.storage, w.owner.clone()).unwrap();
        assert_eq!(view.pending_owner, Some(w.addr("dao")));
        assert_eq!(
            w.act(11, "mallory", OwnerAction::AcceptOwnership {}),
            Err(OwnerError::NotPendingOwner {
                sender: w.addr("mallory").to_string()
            })
        );
        w.act(11, "dao", OwnerAction::AcceptOwnership {}).unwrap();
        assert_eq!(w.owner, w.addr("dao"));
        assert_eq!(
            ownership(&w.storage, w.owner.clone())
                .unwrap()
                .pending_owner,
            None
        );
        // The old owner has no say any more, and the offer cannot be accepted twice.
        let offer = w.offer("owner", None);
        assert!(matches!(
            w.act(12, "owner", offer),
            Err(OwnerError::NotOwner { .. })
        ));
        assert_eq!(
            w.act(12, "dao", OwnerAction::AcceptOwnership {}),
            Err(OwnerError::NoPendingOwner)
        );
    }

    #[test]
    fn only_the_owner_offers_or_cancels_and_offers_expire() {
        let mut w = World::new();
        let offer = w.offer("mallory", None);
        assert!(matches!(
            w.act(1, "mallory", offer),
            Err(OwnerError::NotOwner { .. })
        ));
        let offer = w.offer("dao", Some(5));
        assert_eq!(
            w.act(5, "owner", offer),
            Err(OwnerError::ExpiryInPast { expiry: 5, now: 5 })
        );
        let offer = w.offer("dao", Some(100));
        w.act(5, "owner", offer).unwrap();
        assert_eq!(
            w.act(100, "dao", OwnerAction::AcceptOwnership {}),
            Err(OwnerError::TransferExpired {
                expiry: 100,
                now: 100
            })
        );
        assert!(matches!(
            w.act(6, "dao", OwnerAction::CancelTransfer {}),
            Err(OwnerError::NotOwner { .. })
        ));
        w.act(6, "owner", OwnerAction::CancelTransfer {}).unwrap();
        assert_eq!(
            w.act(7, "dao", OwnerAction::AcceptOwnership {}),
            Err(OwnerError::NoPendingOwner)
        );
        assert_eq!(w.owner, w.addr("owner"));
    }
}
