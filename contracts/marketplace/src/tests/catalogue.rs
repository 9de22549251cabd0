//! The GPU catalogue: AddModel, UpdateModel, RetireModel and the model queries.

use super::helpers::*;
use crate::msg::*;
use crate::{ContractError, MAX_CATALOGUE};
use gridshare_plumbing::OwnerError;

fn model(id: &str) -> GpuModel {
    GpuModel {
        id: id.into(),
        vram_mib: 49_152,
        compute_capability: ComputeCapability { major: 8, minor: 6 },
        benchmark_score: 1_500,
    }
}

#[test]
fn the_owner_adds_models_and_others_cannot() {
    let mut suite = Suite::new();
    let (owner, stranger) = (suite.owner.clone(), suite.stranger.clone());
    assert_eq!(
        suite.exec_err(
            &stranger,
            &[],
            ExecuteMsg::AddModel {
                model: model("l40")
            }
        ),
        ContractError::Owner(OwnerError::NotOwner {
            sender: stranger.to_string(),
        })
    );
    let res = suite.exec(
        &owner,
        &[],
        ExecuteMsg::AddModel {
            model: model("l40"),
        },
    );
    assert_eq!(attr(&res, "idx"), "4");
    let stored: ModelResponse = suite.query(QueryMsg::Model { id: "l40".into() }).unwrap();
    assert_eq!(
        stored,
        ModelResponse {
            id: "l40".into(),
            vram_mib: 49_152,
            compute_capability: ComputeCapability { major: 8, minor: 6 },
            benchmark_score: 1_500,
            retired: false,
        }
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::AddModel {
                model: model("l40")
            }
        ),
        ContractError::ModelExists { id: "l40".into() }
    );
}

#[test]
fn model_ids_and_figures_are_validated() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    for bad in ["", "RTX", "a b", &"x".repeat(33)] {
        assert_eq!(
            suite.exec_err(&owner, &[], ExecuteMsg::AddModel { model: model(bad) }),
            ContractError::InvalidModelId {
                id: bad.into(),
                max: 32
            }
        );
    }
    let zero_vram = GpuModel {
        vram_mib: 0,
        ..model("z")
    };
    assert_eq!(
        suite.exec_err(&owner, &[], ExecuteMsg::AddModel { model: zero_vram }),
        ContractError::InvalidModel {
            id: "z".into(),
            reason: "vram_mib must be positive"
        }
    );
    let zero_score = GpuModel {
        benchmark_score: 0,
        ..model("z")
    };
    assert_eq!(
        suite.exec_err(&owner, &[], ExecuteMsg::AddModel { model: zero_score }),
        ContractError::InvalidModel {
            id: "z".into(),
            reason: "benchmark_score must be positive"
        }
    );
}

#[test]
fn the_catalogue_is_capped() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    for i in 3..MAX_CATALOGUE {
        suite.exec(
            &owner,
            &[],
            ExecuteMsg::AddModel {
                model: model(&format!("m{i}")),
            },
        );
    }
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::AddModel {
                model: model("one-more")
            }
        ),
        ContractError::CatalogueFull { max: MAX_CATALOGUE }
    );
    // Listing is clamped to 100 per page.
    let page: ModelsResponse = suite
        .query(QueryMsg::Models {
            start_after: None,
            limit: Some(500),
        })
        .unwrap();
    assert_eq!(page.models.len(), 100);
    let rest: ModelsResponse = suite
        .query(QueryMsg::Models {
            start_after: Some(page.models[99].id.clone()),
            limit: Some(500),
        })
        .unwrap();
    assert_eq!(rest.models.len(), MAX_CATALOGUE as usize - 100);
    let default: ModelsResponse = suite
        .query(QueryMsg::Models {
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(default.models.len(), 10);
}

#[test]
fn updating_and_retiring_models() {
    let mut suite = Suite::new();
    let (owner, stranger) = (suite.owner.clone(), suite.stranger.clone());
    let update = ExecuteMsg::UpdateModel {
        id: "t4".into(),
        vram_mib: Some(32_768),
        compute_capability: None,
        benchmark_score: Some(400),
    };
    assert!(matches!(
        suite.exec_err(&stranger, &[], update.clone()),
        ContractError::Owner(OwnerError::NotOwner { .. })
    ));
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::UpdateModel {
                id: "t4".into(),
                vram_mib: None,
                compute_capability: None,
                benchmark_score: None,
            }
        ),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::UpdateModel {
                id: "h100".into(),
                vram_mib: Some(1),
                compute_capability: None,
                benchmark_score: None,
            }
        ),
        ContractError::UnknownModel { id: "h100".into() }
    );
    suite.exec(&owner, &[], update);
    let t4: ModelResponse = suite.query(QueryMsg::Model { id: "t4".into() }).unwrap();
    assert_eq!((t4.vram_mib, t4.benchmark_score), (32_768, 400));

    // A minimum-VRAM order now finds the t4 among the models with ≥ 30 GiB.
    let provider = suite.provider("alice", 4);
    suite.offer(&provider, "t4", 1, 500);
    let order = NewOrder {
        requirements: Requirements {
            min_vram_mib: Some(30_000),
            ..Requirements::default()
        },
        ..new_order()
    };
    suite.post_order(order);
    assert_eq!(suite.order(1).eligible_models, vec!["t4", "a100"]);
    assert_eq!(suite.order(1).status, OrderStatus::Filled);

    assert!(matches!(
        suite.exec_err(&stranger, &[], ExecuteMsg::RetireModel { id: "t4".into() }),
        ContractError::Owner(OwnerError::NotOwner { .. })
    ));
    suite.exec(&owner, &[], ExecuteMsg::RetireModel { id: "t4".into() });
    assert_eq!(
        suite.exec_err(&owner, &[], ExecuteMsg::RetireModel { id: "t4".into() }),
        ContractError::ModelRetired { id: "t4".into() }
    );
    let t4: ModelResponse = suite.query(QueryMsg::Model { id: "t4".into() }).unwrap();
    assert!(t4.retired);
    // Retired: no new offers, no new orders naming it, and it drops out of VRAM resolution.
    assert_eq!(
        suite.exec_err(&provider, &[], offer_msg("t4", 1, 500)),
        ContractError::ModelRetired { id: "t4".into() }
    );
    let renter = suite.renter.clone();
    let naming = NewOrder {
        requirements: Requirements {
            models: Some(vec!["t4".into()]),
            ..Requirements::default()
        },
        ..new_order()
    };
    assert_eq!(
        suite
            .try_post_order(&renter, naming, &[usdc(1_000)])
            .unwrap_err(),
        ContractError::ModelRetired { id: "t4".into() }
    );
    let by_vram = NewOrder {
        requirements: Requirements {
            min_vram_mib: Some(30_000),
            ..Requirements::default()
        },
        ..new_order()
    };
    suite.post_order(by_vram);
    assert_eq!(suite.order(2).eligible_models, vec!["a100"]);
}
