//! Marketplace scenarios, told as stories: providers bond, register and offer GPUs; renters post
//! jobs; keepers heartbeat and submit results; anyone settles and reaps.
//!
//! ```ignore
//! suite.provider("p1").bonds(10_000).registers("eu-west").offers(H100, 4, 2_000_000);
//! let order = suite.renter("r1").posts(Job::sha256().on(H100).max_price(2_500_000));
//! ```

use crate::suite::Suite;
use cosmwasm_std::{Coin, Event, Uint128};
use cw_multi_test::{AppResponse, Executor};
use gridshare_types::marketplace::{
    order_of_lease, required_budget, ComputeCapability, ConfigResponse, ExecuteMsg, GpuModel,
    JobInputs, JobSpec, LeaseResponse, LeaseState, LeasesResponse, MarketStatsResponse, NewOrder,
    OfferResponse, OffersResponse, OrderResponse, Params, ParamsUpdate, ProviderResponse, QueryMsg,
    RenterFault, Requirements, SlashRule, Workload,
};
use gridshare_types::verification::{result_commitment, salt_hash};
use gridshare_types::UncheckedDenom;

pub const H100: &str = "h100";
pub const A100: &str = "a100";
pub const RTX4090: &str = "rtx-4090";
/// A stake slashed for every rejected or failed lease in scenarios.
pub const SLASH_AMOUNT: u128 = 500;
pub const DISPUTE_WINDOW: u64 = 600;
pub const REVEAL_WINDOW: u64 = 300;
/// The secret every scenario renter commits with its orders and reveals when it disputes.
pub const RENTER_SALT: &str = "72656e7465722d73616c742d31323334";
pub const MAX_SILENCE: u64 = 300;

/// The catalogue every scenario starts with.
pub fn catalogue() -> Vec<GpuModel> {
    let model = |id: &str, vram_mib, major, minor, score| GpuModel {
        id: id.into(),
        vram_mib,
        compute_capability: ComputeCapability { major, minor },
        benchmark_score: score,
    };
    vec![
        model(H100, 81_920, 9, 0, 1_000),
        model(A100, 40_960, 8, 0, 600),
        model(RTX4090, 24_576, 8, 9, 450),
    ]
}

pub fn params() -> Params {
    Params {
        accepted_denoms: vec![UncheckedDenom::Native(crate::USDC.into())],
        take_rate_bps: 250,
        heartbeat_interval: 60,
        max_silence: MAX_SILENCE,
        dispute_window: DISPUTE_WINDOW,
        reveal_window: REVEAL_WINDOW,
        slash: SlashRule::Fixed {
            amount: Uint128::new(SLASH_AMOUNT),
        },
        liveness_slash: SlashRule::Fixed {
            amount: Uint128::new(SLASH_AMOUNT),
        },
        max_matches: 16,
        max_scan: 64,
        max_reap: 32,
        max_replication: 5,
        max_inline_bytes: 4_096,
        max_eligible_models: 20,
    }
}

/// A job a renter posts, built up in words.
#[derive(Clone, Debug)]
pub struct Job {
    pub order: NewOrder,
}

impl Job {
    /// SHA-256 of a small inline input: deterministic, so it can be replicated.
    pub fn sha256() -> Self {
        Job {
            order: NewOrder {
                spec: JobSpec {
                    workload: Workload::Sha256 {},
                    inputs: JobInputs::Inline {
                        data: b"gridshare".to_vec().into(),
                    },
                    deterministic: true,
                    max_runtime_seconds: 600,
                    output_key: None,
                },
                requirements: Requirements::default(),
                gpu_count: 1,
                max_price: Uint128::new(1_000_000),
                max_duration: 3_600,
                replication: 1,
                // Set against the block time when posted.
                deadline: 0,
                dispute_salt_hash: salt_hash(RENTER_SALT),
            },
        }
    }
    pub fn on(mut self, model: &str) -> Self {
        self.order.requirements.models = Some(vec![model.into()]);
        self
    }
    pub fn gpus(mut self, count: u32) -> Self {
        self.order.gpu_count = count;
        self
    }
    pub fn max_price(mut self, price: u128) -> Self {
        self.order.max_price = Uint128::new(price);
        self
    }
    pub fn hours(mut self, hours: u64) -> Self {
        self.order.max_duration = hours * 3_600;
        self
    }
    pub fn replicas(mut self, k: u8) -> Self {
        self.order.replication = k;
        self
    }
    /// The job's max runtime in seconds: the most a lease is billed for.
    pub fn runtime(mut self, seconds: u64) -> Self {
        self.order.spec.max_runtime_seconds = seconds;
        self
    }
    /// A max duration in seconds.
    pub fn seconds(mut self, seconds: u64) -> Self {
        self.order.max_duration = seconds;
        self
    }
    /// What the renter must attach: the marketplace's `required_budget`.
    pub fn budget(&self) -> u128 {
        let o = &self.order;
        required_budget(o.replication, o.gpu_count, o.max_price, o.max_duration)
            .map_or(u128::MAX, |b| b.u128())
    }
}

pub struct ProviderActor<'a> {
    suite: &'a mut Suite,
    name: String,
}

pub struct RenterActor<'a> {
    suite: &'a mut Suite,
    name: String,
}

impl Suite {
    pub fn provider(&mut self, name: &str) -> ProviderActor<'_> {
        ProviderActor {
            suite: self,
            name: name.into(),
        }
    }

    pub fn renter(&mut self, name: &str) -> RenterActor<'_> {
        RenterActor {
            suite: self,
            name: name.into(),
        }
    }

    pub fn market_execute(
        &mut self,
        who: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        let market = self.marketplace.clone();
        self.app.execute_contract(sender, market, msg, funds)
    }

    fn market_query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.marketplace, msg)
            .unwrap_or_else(|e| panic!("marketplace query {msg:?}: {e}"))
    }

    pub fn order(&self, order_id: u64) -> OrderResponse {
        self.market_query(&QueryMsg::Order { order_id })
    }

    pub fn lease(&self, lease_id: u64) -> LeaseResponse {
        self.market_query(&QueryMsg::Lease { lease_id })
    }

    /// Reveals every pending commitment whose reveals are open, as the keepers would; returns the
    /// last reveal's response.
    pub fn reveal_pending(&mut self) -> anyhow::Result<Option<AppResponse>> {
        let mut last = None;
        for (who, lease_id, output) in self.pending_reveals.clone() {
            let lease = self.lease(lease_id);
            if lease.closed_at.is_some() || lease.state != LeaseState::Committed {
                self.pending_reveals.retain(|(_, id, _)| *id != lease_id);
                continue;
            }
            if lease.reveals_open_at.is_some() {
                last = Some(self.provider(&who).try_reveal(lease_id, &output)?);
                self.pending_reveals.retain(|(_, id, _)| *id != lease_id);
            }
        }
        Ok(last)
    }

    pub fn leases_of(&self, order_id: u64) -> Vec<LeaseResponse> {
        let leases: LeasesResponse = self.market_query(&QueryMsg::LeasesByOrder {
            order_id,
            start_after: None,
            limit: None,
        });
        leases.leases
    }

    pub fn offer(&self, offer_id: u64) -> OfferResponse {
        self.market_query(&QueryMsg::Offer { offer_id })
    }

    pub fn offers_of(&self, provider: &str) -> Vec<OfferResponse> {
        let offers: OffersResponse = self.market_query(&QueryMsg::OffersByProvider {
            provider: self.addr(provider).to_string(),
            start_after: None,
            limit: None,
        });
        offers.offers
    }

    pub fn provider_info(&self, provider: &str) -> ProviderResponse {
        self.market_query(&QueryMsg::Provider {
            address: self.addr(provider).to_string(),
        })
    }

    pub fn market_stats(&self, model: &str) -> MarketStatsResponse {
        self.market_query(&QueryMsg::MarketStats {
            model: model.into(),
            denom: UncheckedDenom::Native(crate::USDC.into()),
        })
    }

    /// Anyone accepts a single-replica result whose dispute window is over.
    pub fn finalize(&mut self, lease_id: u64) -> anyhow::Result<AppResponse> {
        self.market_execute("cranker", &ExecuteMsg::Finalize { lease_id }, &[])
    }

    /// Anyone fails the leases of silent providers.
    pub fn reap(&mut self) -> anyhow::Result<AppResponse> {
        self.market_execute("cranker", &ExecuteMsg::Reap { limit: None }, &[])
    }

    /// Anyone reaps, looking at most at `limit` entries.
    pub fn reap_at_most(&mut self, limit: u32) -> anyhow::Result<AppResponse> {
        self.market_execute("cranker", &ExecuteMsg::Reap { limit: Some(limit) }, &[])
    }

    /// Anyone expires the open orders past their deadline.
    pub fn expire_orders(&mut self) -> anyhow::Result<AppResponse> {
        self.market_execute("cranker", &ExecuteMsg::ExpireOrders { limit: None }, &[])
    }

    /// The owner changes the marketplace's parameters.
    pub fn update_market_params(&mut self, update: ParamsUpdate) -> anyhow::Result<AppResponse> {
        let (owner, market) = (self.owner.clone(), self.marketplace.clone());
        self.app
            .execute_contract(owner, market, &ExecuteMsg::UpdateParams(update), &[])
    }

    /// The owner sets the marketplace's slash rule.
    /// Sets both slash classes (dishonesty and liveness) to `rule`.
    pub fn set_slash_rule(&mut self, rule: SlashRule) {
        self.update_market_params(ParamsUpdate {
            slash: Some(rule),
            liveness_slash: Some(rule),
            ..ParamsUpdate::default()
        })
        .unwrap_or_else(|e| panic!("setting the slash rule {rule:?}: {e:?}"));
    }

    pub fn market_config(&self) -> ConfigResponse {
        self.market_query(&QueryMsg::Config {})
    }
}

/// The crank steps a transaction skipped: (step, id, reason) of each `crank_skipped` event the
/// marketplace's reply emitted.
pub fn crank_skipped(response: &AppResponse) -> Vec<(String, String, String)> {
    response
        .events
        .iter()
        .filter(|e| e.ty == "wasm-crank_skipped")
        .map(|e| {
            (
                event_attr(e, "step"),
                event_attr(e, "id"),
                event_attr(e, "reason"),
            )
        })
        .collect()
}

/// The events of type `ty` in a transaction (custom contract events are `wasm-<name>`).
pub fn events_of<'a>(response: &'a AppResponse, ty: &str) -> Vec<&'a Event> {
    response.events.iter().filter(|e| e.ty == ty).collect()
}

/// The value of attribute `key` of `event`; panics when it is missing.
pub fn event_attr(event: &Event, key: &str) -> String {
    event
        .attributes
        .iter()
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key} in {event:?}"))
        .value
        .clone()
}

impl ProviderActor<'_> {
    /// Bonds `amount` GRID as collateral (the provider must hold it).
    pub fn bonds(self, amount: u128) -> Self {
        self.suite
            .bond(&self.name, amount)
            .unwrap_or_else(|e| panic!("{} bonds {amount}: {e:?}", self.name));
        self
    }

    pub fn try_register(&mut self, region: &str) -> anyhow::Result<AppResponse> {
        let msg = ExecuteMsg::RegisterProvider {
            name: self.name.clone(),
            region: region.into(),
            endpoint: format!("https://{}.example", self.name),
            public_key: "A".repeat(44),
        };
        self.suite.market_execute(&self.name, &msg, &[])
    }

    pub fn registers(mut self, region: &str) -> Self {
        self.try_register(region)
            .unwrap_or_else(|e| panic!("{} registers: {e:?}", self.name));
        self
    }

    pub fn try_offer(
        &mut self,
        model: &str,
        units: u32,
        price: u128,
    ) -> anyhow::Result<AppResponse> {
        let msg = ExecuteMsg::PostOffer {
            model: model.into(),
            units,
            price: Uint128::new(price),
            denom: UncheckedDenom::Native(crate::USDC.into()),
            min_duration: 60,
            max_duration: 24 * 3_600,
        };
        self.suite.market_execute(&self.name, &msg, &[])
    }

    /// Lists `units` GPUs of `model` at `price` per GPU-hour.
    pub fn offers(mut self, model: &str, units: u32, price: u128) -> Self {
        self.try_offer(model, units, price)
            .unwrap_or_else(|e| panic!("{} offers {units} × {model}: {e:?}", self.name));
        self
    }

    pub fn heartbeat(mut self) -> Self {
        self.try_heartbeat()
            .unwrap_or_else(|e| panic!("{} heartbeat: {e:?}", self.name));
        self
    }

    pub fn try_heartbeat(&mut self) -> anyhow::Result<AppResponse> {
        self.suite
            .market_execute(&self.name, &ExecuteMsg::Heartbeat { telemetry: None }, &[])
    }

    /// Commits to `output` for the lease (salted with [`salt_for`]).
    pub fn try_commit(&mut self, lease_id: u64, output: &[u8]) -> anyhow::Result<AppResponse> {
        let me = self.suite.addr(&self.name);
        let commitment = result_commitment(
            &sha256_hex(output),
            lease_id,
            me.as_str(),
            &salt_for(lease_id),
        )
        .unwrap_or_default();
        self.try_commit_raw(lease_id, &commitment)
    }

    /// Commits an arbitrary commitment string (a copier's).
    pub fn try_commit_raw(
        &mut self,
        lease_id: u64,
        commitment: &str,
    ) -> anyhow::Result<AppResponse> {
        let msg = ExecuteMsg::CommitResult {
            lease_id,
            commitment: commitment.into(),
            output_uri: format!("https://{}.example/results/{lease_id}", self.name),
            runtime_seconds: 60,
            energy_mwh: Some(12),
        };
        self.suite.market_execute(&self.name, &msg, &[])
    }

    /// Reveals `output` for the lease with the suite's salt.
    pub fn try_reveal(&mut self, lease_id: u64, output: &[u8]) -> anyhow::Result<AppResponse> {
        let msg = ExecuteMsg::RevealResult {
            lease_id,
            sha256: sha256_hex(output),
            salt: salt_for(lease_id),
        };
        self.suite.market_execute(&self.name, &msg, &[])
    }

    /// What an honest keeper does: commits to `output`, then reveals — its own and every other
    /// pending commitment whose order has opened reveals.
    pub fn try_submit(&mut self, lease_id: u64, output: &[u8]) -> anyhow::Result<AppResponse> {
        let mut last = self.try_commit(lease_id, output)?;
        self.suite
            .pending_reveals
            .push((self.name.clone(), lease_id, output.to_vec()));
        last = self.suite.reveal_pending()?.unwrap_or(last);
        Ok(last)
    }

    /// Commits to `output` and reveals once the order's reveals open (see [`Self::try_submit`]).
    pub fn submits(mut self, lease_id: u64, output: &[u8]) -> Self {
        self.try_submit(lease_id, output)
            .unwrap_or_else(|e| panic!("{} submits lease {lease_id}: {e:?}", self.name));
        self
    }

    /// Commits to `output` and never reveals (a keeper that dies, or a cheater that learns it lost).
    pub fn commits_only(mut self, lease_id: u64, output: &[u8]) -> Self {
        self.try_commit(lease_id, output)
            .unwrap_or_else(|e| panic!("{} commits lease {lease_id}: {e:?}", self.name));
        self
    }

    pub fn try_withdraw_offer(&mut self, offer_id: u64) -> anyhow::Result<AppResponse> {
        self.suite
            .market_execute(&self.name, &ExecuteMsg::WithdrawOffer { offer_id }, &[])
    }

    /// Takes an offer off the market (units still leased stay listed until their leases end).
    pub fn withdraws_offer(mut self, offer_id: u64) -> Self {
        self.try_withdraw_offer(offer_id)
            .unwrap_or_else(|e| panic!("{} withdraws offer {offer_id}: {e:?}", self.name));
        self
    }

    /// Walks away from a lease it is running (unpaid).
    pub fn try_close(&mut self, lease_id: u64) -> anyhow::Result<AppResponse> {
        self.suite
            .market_execute(&self.name, &close_lease(lease_id, None), &[])
    }

    /// Hands a lease back, blaming the renter's job (unpaid, no reputation change).
    pub fn try_hand_back(
        &mut self,
        lease_id: u64,
        fault: RenterFault,
    ) -> anyhow::Result<AppResponse> {
        self.suite
            .market_execute(&self.name, &close_lease(lease_id, Some(fault)), &[])
    }

    /// Withdraws every payment released to it in escrow.
    pub fn withdraws(self, lease_ids: &[u64]) -> Self {
        self.suite
            .withdraw(&self.name, lease_ids)
            .unwrap_or_else(|e| panic!("{} withdraws {lease_ids:?}: {e:?}", self.name));
        self
    }
}

impl RenterActor<'_> {
    pub fn try_post(&mut self, job: &Job) -> anyhow::Result<AppResponse> {
        let mut order = job.order.clone();
        order.deadline = self.suite.now().seconds() + 3_600;
        let funds = [Coin::new(job.budget(), crate::USDC)];
        self.suite
            .market_execute(&self.name, &ExecuteMsg::PostOrder(order), &funds)
    }

    /// Posts the job with its budget and returns the order id.
    pub fn posts(mut self, job: Job) -> u64 {
        let response = self
            .try_post(&job)
            .unwrap_or_else(|e| panic!("{} posts a job: {e:?}", self.name));
        response
            .events
            .iter()
            .flat_map(|e| &e.attributes)
            .find(|a| a.key == "order_id")
            .and_then(|a| a.value.parse().ok())
            .unwrap_or_else(|| panic!("no order_id attribute in {response:?}"))
    }

    pub fn cancels(&mut self, order_id: u64) -> anyhow::Result<AppResponse> {
        self.suite
            .market_execute(&self.name, &ExecuteMsg::CancelOrder { order_id }, &[])
    }

    /// Stops a running lease early (the provider is paid for the time so far).
    pub fn closes(&mut self, lease_id: u64) -> anyhow::Result<AppResponse> {
        self.suite
            .market_execute(&self.name, &close_lease(lease_id, None), &[])
    }

    /// Tries to blame itself on the provider's behalf (always refused).
    pub fn try_hand_back(
        &mut self,
        lease_id: u64,
        fault: RenterFault,
    ) -> anyhow::Result<AppResponse> {
        self.suite
            .market_execute(&self.name, &close_lease(lease_id, Some(fault)), &[])
    }

    /// Disputes a single-replica result with the order's bond (USDC) and the renter's salt.
    pub fn disputes(&mut self, lease_id: u64) -> anyhow::Result<AppResponse> {
        let order = self.suite.order(order_of_lease(lease_id));
        let funds = if order.dispute_bond.is_zero() {
            vec![]
        } else {
            vec![Coin::new(order.dispute_bond.u128(), crate::USDC)]
        };
        let msg = ExecuteMsg::Dispute {
            lease_id,
            salt: RENTER_SALT.into(),
        };
        self.suite.market_execute(&self.name, &msg, &funds)
    }
}

/// The salt the suite's keepers use for a lease (16 bytes, distinct per lease).
pub fn salt_for(lease_id: u64) -> String {
    format!("{lease_id:032x}")
}

/// Lowercase hex SHA-256, as keepers commit it.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn close_lease(lease_id: u64, renter_fault: Option<RenterFault>) -> ExecuteMsg {
    ExecuteMsg::CloseLease {
        lease_id,
        renter_fault,
    }
}
