//! The GridShare deployment, defined once for every chain the tests build: GRID (access-token),
//! staking, escrow and the marketplace (and governance) stored and instantiated in that order,
//! escrow and staking wired to the marketplace, the catalogue seeded; and the two-step hand-over
//! of the suite to governance.
//!
//! ```ignore
//! let deployed = Deployment { deployer, admin: Some(deployer.clone()), grid }
//!     .deploy(&mut app, |grid| Setup { staking, escrow, marketplace, governance: None });
//! ```

use crate::contracts;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_binary, Addr, Decimal, Empty, Uint128, WasmMsg};
use cw20::{Cw20Coin, MinterResponse};
use cw_multi_test::{App, Contract, Executor};
use governance::msg::{ProposalMessage, ProposalStatus, UncheckedDeposit};
use gridshare_types::marketplace::{GpuModel, Params};
use gridshare_types::owner::OwnerAction;
use gridshare_types::staking::UncheckedEmissionWeight;
use gridshare_types::UncheckedDenom;

/// Who deploys the suite, and GRID, the first contract: the rest of the deployment ([`Setup`]) is
/// written knowing GRID's address.
pub struct Deployment {
    /// Instantiates every contract, and owns escrow, staking, the marketplace and GRID's tiers
    /// until the hand-over.
    pub deployer: Addr,
    /// Every contract's wasm admin (`None`: none, so nothing can be migrated).
    pub admin: Option<Addr>,
    pub grid: GridSetup,
}

/// GRID, the access-token ("GridShare", "GRID", 6 decimals, tiers administered by the deployer).
pub struct GridSetup {
    pub initial_balances: Vec<Cw20Coin>,
    pub mint: Option<MinterResponse>,
    pub tiers: Vec<access_token::msg::Tier>,
}

/// The contracts deployed after GRID, less what the deployment wires itself: GRID is the stake
/// token, staking is escrow's fee collector, escrow and staking serve the marketplace, and
/// governance weighs votes by staking.
pub struct Setup {
    pub staking: StakingSetup,
    pub escrow: EscrowSetup,
    pub marketplace: MarketplaceSetup,
    /// `None`: no governance on this chain (and no hand-over).
    pub governance: Option<GovernanceSetup>,
}

/// Staking's instantiate parameters, but for its marketplace and stake denom (GRID).
pub struct StakingSetup {
    pub treasury: Addr,
    pub unbonding_period: u64,
    pub min_stake_per_gpu: Uint128,
    pub compensation_ratio: Decimal,
    pub reward_denoms: Vec<UncheckedDenom>,
    pub epoch_seconds: u64,
    pub emission_per_epoch: Uint128,
    pub emission_weights: Option<Vec<UncheckedEmissionWeight>>,
}

/// Escrow's instantiate parameters, but for its marketplace and fee collector (staking).
pub struct EscrowSetup {
    pub accepted_denoms: Vec<UncheckedDenom>,
}

/// The marketplace's instantiate parameters, but for escrow and staking; and its catalogue.
pub struct MarketplaceSetup {
    /// Whether GRID's premium tiers count on the marketplace (its `access_token`).
    pub premium_access: bool,
    pub params: Params,
    /// The GPU models the deployer adds before anything else happens.
    pub catalogue: Vec<GpuModel>,
}

/// Governance's instantiate parameters, but for staking.
pub struct GovernanceSetup {
    pub deposit: Option<UncheckedDeposit>,
    pub min_proposer_power: Uint128,
    pub quorum: Decimal,
    pub threshold: Decimal,
    pub veto_threshold: Decimal,
    pub voting_period: u64,
    pub timelock: u64,
    pub min_timelock: u64,
}

/// The addresses of a deployment.
#[derive(Clone, Debug)]
pub struct Deployed {
    pub deployer: Addr,
    pub grid: Addr,
    pub staking: Addr,
    pub escrow: Addr,
    pub marketplace: Addr,
    /// Deployed, when it is, but not in charge until the hand-over.
    pub governance: Option<Addr>,
}

impl Deployment {
    /// Stores and instantiates GRID, staking, escrow and the marketplace (each code stored just
    /// before its contract, so code ids and addresses follow that order); seeds the catalogue;
    /// points escrow and staking at the marketplace (they were instantiated with the deployer
    /// standing in for it, since it did not exist yet); then governance, when there is one.
    pub fn deploy(self, app: &mut App, setup: impl FnOnce(&Addr) -> Setup) -> Deployed {
        let Deployment {
            deployer,
            admin,
            grid,
        } = self;
        let by = Instantiator {
            deployer: &deployer,
            admin: admin.as_ref(),
        };

        let grid = by.instantiate(
            app,
            contracts::access_token(),
            "grid",
            &access_token::msg::InstantiateMsg {
                name: "GridShare".into(),
                symbol: "GRID".into(),
                decimals: 6,
                initial_balances: grid.initial_balances,
                mint: grid.mint,
                marketing: None,
                admin: None,
                tiers: grid.tiers,
            },
        );
        let Setup {
            staking,
            escrow,
            marketplace,
            governance,
        } = setup(&grid);

        let staking = by.instantiate(
            app,
            contracts::staking(),
            "staking",
            &gridshare_types::staking::InstantiateMsg {
                owner: None,
                marketplace: deployer.to_string(),
                treasury: staking.treasury.to_string(),
                stake_denom: UncheckedDenom::Cw20(grid.to_string()),
                unbonding_period: staking.unbonding_period,
                min_stake_per_gpu: staking.min_stake_per_gpu,
                compensation_ratio: staking.compensation_ratio,
                reward_denoms: staking.reward_denoms,
                epoch_seconds: staking.epoch_seconds,
                emission_per_epoch: staking.emission_per_epoch,
                emission_weights: staking.emission_weights,
            },
        );
        let escrow = by.instantiate(
            app,
            contracts::escrow(),
            "escrow",
            &gridshare_types::escrow::InstantiateMsg {
                owner: None,
                marketplace: deployer.to_string(),
                fee_collector: staking.to_string(),
                accepted_denoms: escrow.accepted_denoms,
            },
        );
        let market = by.instantiate(
            app,
            contracts::marketplace(),
            "marketplace",
            &gridshare_types::marketplace::InstantiateMsg {
                owner: None,
                escrow: escrow.to_string(),
                staking: staking.to_string(),
                access_token: marketplace.premium_access.then(|| grid.to_string()),
                params: marketplace.params,
            },
        );

        for model in marketplace.catalogue {
            app.execute_contract(
                deployer.clone(),
                market.clone(),
                &gridshare_types::marketplace::ExecuteMsg::AddModel { model },
                &[],
            )
            .unwrap_or_else(|e| panic!("seeding the catalogue: {e:?}"));
        }
        app.execute_contract(
            deployer.clone(),
            escrow.clone(),
            &gridshare_types::escrow::ExecuteMsg::UpdateConfig {
                marketplace: Some(market.to_string()),
                fee_collector: None,
                accepted_denoms: None,
            },
            &[],
        )
        .unwrap_or_else(|e| panic!("wiring escrow to the marketplace: {e:?}"));
        app.execute_contract(
            deployer.clone(),
            staking.clone(),
            &gridshare_types::staking::ExecuteMsg::UpdateConfig {
                marketplace: Some(market.to_string()),
                treasury: None,
                unbonding_period: None,
                min_stake_per_gpu: None,
                compensation_ratio: None,
                reward_denoms: None,
                emission_per_epoch: None,
                emission_weights: None,
            },
            &[],
        )
        .unwrap_or_else(|e| panic!("wiring staking to the marketplace: {e:?}"));

        let governance = governance.map(|gov| {
            by.instantiate(
                app,
                contracts::governance(),
                "governance",
                &governance::msg::InstantiateMsg {
                    staking: staking.to_string(),
                    deposit: gov.deposit,
                    min_proposer_power: gov.min_proposer_power,
                    quorum: gov.quorum,
                    threshold: gov.threshold,
                    veto_threshold: gov.veto_threshold,
                    voting_period: gov.voting_period,
                    timelock: gov.timelock,
                    min_timelock: gov.min_timelock,
                },
            )
        });

        Deployed {
            deployer,
            grid,
            staking,
            escrow,
            marketplace: market,
            governance,
        }
    }
}

/// Who instantiates the contracts, and their wasm admin.
struct Instantiator<'a> {
    deployer: &'a Addr,
    admin: Option<&'a Addr>,
}

impl Instantiator<'_> {
    /// Stores `code` and instantiates it with `msg`.
    fn instantiate<M: serde::Serialize + std::fmt::Debug>(
        &self,
        app: &mut App,
        code: Box<dyn Contract<Empty>>,
        label: &str,
        msg: &M,
    ) -> Addr {
        let code_id = app.store_code(code);
        app.instantiate_contract(
            code_id,
            self.deployer.clone(),
            msg,
            &[],
            label,
            self.admin.map(Addr::to_string),
        )
        .unwrap_or_else(|e| panic!("instantiating {label}: {e:?}"))
    }
}

impl Deployed {
    /// Governance's address; panics on a chain deployed without it.
    pub fn governance(&self) -> &Addr {
        self.governance
            .as_ref()
            .unwrap_or_else(|| panic!("this chain was deployed without governance"))
    }

    /// The contracts with a GridShare owner (GRID: its tier admin), in hand-over order.
    pub fn owned_contracts(&self) -> Vec<Addr> {
        vec![
            self.escrow.clone(),
            self.staking.clone(),
            self.marketplace.clone(),
            self.grid.clone(),
        ]
    }
}

/// `{"update_ownership": …}`: the same message on escrow, staking, the marketplace and GRID.
#[cw_serde]
pub enum OwnershipMsg {
    UpdateOwnership(OwnerAction),
}

pub fn update_ownership(action: OwnerAction) -> OwnershipMsg {
    OwnershipMsg::UpdateOwnership(action)
}

/// The hand-over of a deployed suite to governance, as governance's crate docs describe it, for
/// any chain that can pass a proposal.
pub trait HandOver {
    fn app_mut(&mut self) -> &mut App;

    fn deployed(&self) -> Deployed;

    /// Proposes `messages`, sees the proposal voted through, out of its timelock and executed
    /// (or failing to); returns its id.
    fn pass_proposal(&mut self, title: &str, messages: Vec<ProposalMessage>) -> u64;

    /// The contracts with a GridShare owner (GRID: its tier admin), in hand-over order.
    fn owned_contracts(&self) -> Vec<Addr> {
        self.deployed().owned_contracts()
    }

    /// Step 1: the deployer offers every owned contract to governance (two-step ownership:
    /// nothing changes hands yet).
    fn offer_suite_to_governance(&mut self) {
        let deployed = self.deployed();
        let offer = update_ownership(OwnerAction::TransferOwnership {
            new_owner: deployed.governance().to_string(),
            expiry: None,
        });
        for contract in deployed.owned_contracts() {
            self.app_mut()
                .execute_contract(deployed.deployer.clone(), contract.clone(), &offer, &[])
                .unwrap_or_else(|e| panic!("offering {contract} to governance: {e:?}"));
        }
    }

    /// Step 2: the messages of the proposal that accepts every offer, all or nothing.
    fn accept_suite_messages(&self) -> Vec<ProposalMessage> {
        let accept = to_json_binary(&update_ownership(OwnerAction::AcceptOwnership {})).unwrap();
        self.owned_contracts()
            .into_iter()
            .map(|contract| ProposalMessage::WasmExecute {
                contract: contract.to_string(),
                msg: accept.clone(),
                funds: vec![],
            })
            .collect()
    }

    /// Step 3, once governance owns the suite: the roles that change hands in one step (GRID's
    /// cw20 minter, when the deployer holds it, and every wasm admin) go to governance, which has
    /// just proven it works.
    fn hand_over_one_step_roles(&mut self) {
        let deployed = self.deployed();
        let (deployer, gov) = (&deployed.deployer, deployed.governance());
        let app = self.app_mut();
        let minter: Option<MinterResponse> = app
            .wrap()
            .query_wasm_smart(&deployed.grid, &access_token::msg::QueryMsg::Minter {})
            .unwrap_or_else(|e| panic!("GRID's minter: {e:?}"));
        if minter.is_some_and(|m| m.minter == deployer.as_str()) {
            app.execute_contract(
                deployer.clone(),
                deployed.grid.clone(),
                &access_token::msg::ExecuteMsg::UpdateMinter {
                    new_minter: Some(gov.to_string()),
                },
                &[],
            )
            .unwrap_or_else(|e| panic!("GRID's minter: {e:?}"));
        }
        let mut contracts = deployed.owned_contracts();
        contracts.push(gov.clone());
        for contract in contracts {
            app.execute(
                deployer.clone(),
                WasmMsg::UpdateAdmin {
                    contract_addr: contract.to_string(),
                    admin: gov.to_string(),
                }
                .into(),
            )
            .unwrap_or_else(|e| panic!("wasm admin of {contract}: {e:?}"));
        }
    }

    /// The whole hand-over: the offers, a proposal accepting them that must execute, then the
    /// one-step roles. Returns the acceptance proposal's id.
    fn hand_over(&mut self) -> u64 {
        self.offer_suite_to_governance();
        let messages = self.accept_suite_messages();
        let id = self.pass_proposal("Governance takes over the suite", messages);
        let gov = self.deployed().governance().clone();
        let proposal: governance::msg::ProposalResponse = self
            .app_mut()
            .wrap()
            .query_wasm_smart(
                gov,
                &governance::msg::QueryMsg::Proposal { proposal_id: id },
            )
            .unwrap_or_else(|e| panic!("the hand-over proposal: {e:?}"));
        assert_eq!(
            proposal.status,
            ProposalStatus::Executed,
            "the acceptance proposal did not execute (did the stakers bond?)"
        );
        self.hand_over_one_step_roles();
        id
    }
}
