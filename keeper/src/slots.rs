//! The units this keeper offers, handed to jobs: a lease of `units` GPUs runs on that many
//! devices at once, and only as many leases run as there are free units. The CUDA executor's
//! units are devices (a job's process sees exactly its own, through `CUDA_VISIBLE_DEVICES`); the
//! CPU executor's are job slots.

use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SlotError {
    #[error("a lease of {units} units cannot run on the {total} this keeper has")]
    TooMany { units: u32, total: usize },
    #[error("the offers list {offered} GPUs but this machine has {devices}")]
    OverOffered { offered: u64, devices: usize },
}

pub struct Slots {
    permits: Arc<Semaphore>,
    free: Mutex<Vec<usize>>,
    total: usize,
    /// The keeper's own `CUDA_VISIBLE_DEVICES`, when set: a job's ordinals are positions in it.
    visible: Option<Vec<String>>,
}

impl Slots {
    /// `total` units, numbered from 0 (device ordinals for the CUDA executor).
    pub fn new(total: usize, visible: Option<&str>) -> Arc<Self> {
        Arc::new(Slots {
            permits: Arc::new(Semaphore::new(total)),
            // Lowest ordinals first.
            free: Mutex::new((0..total).rev().collect()),
            total,
            visible: visible.map(|v| v.split(',').map(|d| d.trim().to_string()).collect()),
        })
    }

    /// The units of a CUDA keeper: one per device, refused when the offers list more GPUs than
    /// the machine has (a lease could then never be served on the GPUs it pays for).
    pub fn for_devices(offered: u64, devices: usize) -> Result<Arc<Self>, SlotError> {
        if offered > devices as u64 {
            return Err(SlotError::OverOffered { offered, devices });
        }
        let visible = std::env::var("CUDA_VISIBLE_DEVICES").ok();
        Ok(Slots::new(devices, visible.as_deref()))
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// Waits until `units` units are free and takes them; refused at once when this keeper
    /// could never have that many.
    pub async fn acquire(self: &Arc<Self>, units: u32) -> Result<Grant, SlotError> {
        let too_many = SlotError::TooMany {
            units,
            total: self.total,
        };
        if units == 0 || units as usize > self.total {
            return Err(too_many);
        }
        let permit = self
            .permits
            .clone()
            .acquire_many_owned(units)
            .await
            .map_err(|_| too_many)?;
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        // The permits guarantee `units` free entries.
        let at = free.len().saturating_sub(units as usize);
        let ids = free.split_off(at);
        Ok(Grant {
            slots: self.clone(),
            ids,
            _permit: permit,
        })
    }
}

/// Units held by one job; they return to the pool when it is dropped.
pub struct Grant {
    slots: Arc<Slots>,
    ids: Vec<usize>,
    _permit: OwnedSemaphorePermit,
}

impl Grant {
    pub fn ids(&self) -> &[usize] {
        &self.ids
    }

    /// The job process's `CUDA_VISIBLE_DEVICES`: its devices in the keeper's own numbering.
    pub fn cuda_visible_devices(&self) -> String {
        let name = |id: &usize| match &self.slots.visible {
            Some(list) => list.get(*id).cloned().unwrap_or_else(|| id.to_string()),
            None => id.to_string(),
        };
        let mut ids = self.ids.clone();
        ids.sort_unstable();
        ids.iter().map(name).collect::<Vec<_>>().join(",")
    }
}

impl Drop for Grant {
    fn drop(&mut self) {
        // Returned before the permit (dropped after this), so a waiter always finds its ids.
        let mut free = self.slots.free.lock().unwrap_or_else(|e| e.into_inner());
        free.append(&mut self.ids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_lease_takes_its_units_and_gives_them_back() {
        let slots = Slots::new(4, None);
        let a = slots.acquire(3).await.unwrap();
        assert_eq!(a.cuda_visible_devices(), "0,1,2");
        let b = slots.acquire(1).await.unwrap();
        assert_eq!(b.ids(), &[3]);
        // No unit is free: a third lease waits until one returns.
        let waiting = tokio::spawn({
            let slots = slots.clone();
            async move { slots.acquire(2).await.map(|g| g.cuda_visible_devices()) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        drop(a);
        let granted = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(granted.split(',').count(), 2);
        assert!(!granted.contains('3'), "{granted}");
    }

    #[tokio::test]
    async fn more_units_than_the_keeper_has_are_refused_at_once() {
        let slots = Slots::new(2, None);
        assert_eq!(
            slots.acquire(3).await.err(),
            Some(SlotError::TooMany { units: 3, total: 2 })
        );
        assert!(slots.acquire(0).await.is_err());
        assert_eq!(
            Slots::for_devices(3, 2).err(),
            Some(SlotError::OverOffered {
                offered: 3,
                devices: 2
            })
        );
    }

    #[tokio::test]
    async fn ordinals_follow_the_keepers_own_visible_devices() {
        let slots = Slots::new(2, Some("5, 7"));
        let g = slots.acquire(2).await.unwrap();
        assert_eq!(g.cuda_visible_devices(), "5,7");
    }
}
