//! The GPU catalogue: the models offers list and orders ask for (owner only).

use super::ensure_owner;
use crate::state::{Model, VramEntry, CONFIG, MODELS, MODELS_BY_VRAM, MODEL_IDS, MODEL_SEQ};
use crate::{ContractError, MAX_CATALOGUE, MAX_MODEL_ID_LEN};
use cosmwasm_std::{Addr, DepsMut, Response, Storage};
use gridshare_types::marketplace::{ComputeCapability, GpuModel};

pub fn validate_model_id(id: &str) -> Result<(), ContractError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_MODEL_ID_LEN
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ContractError::InvalidModelId {
            id: id.to_string(),
            max: MAX_MODEL_ID_LEN,
        })
    }
}

fn check_figures(id: &str, vram_mib: u32, score: u64) -> Result<(), ContractError> {
    if vram_mib == 0 {
        return Err(ContractError::InvalidModel {
            id: id.to_string(),
            reason: "vram_mib must be positive",
        });
    }
    if score == 0 {
        return Err(ContractError::InvalidModel {
            id: id.to_string(),
            reason: "benchmark_score must be positive",
        });
    }
    Ok(())
}

/// A model that exists (retired or not).
pub fn load_model(storage: &dyn Storage, id: &str) -> Result<Model, ContractError> {
    MODELS
        .may_load(storage, id)?
        .ok_or_else(|| ContractError::UnknownModel { id: id.to_string() })
}

/// A model that exists and is not retired.
pub fn load_active_model(storage: &dyn Storage, id: &str) -> Result<Model, ContractError> {
    let model = load_model(storage, id)?;
    if model.retired {
        return Err(ContractError::ModelRetired { id: id.to_string() });
    }
    Ok(model)
}

fn vram_entry(model: &Model) -> VramEntry {
    VramEntry {
        cc: model.cc,
        score: model.score,
    }
}

pub fn add_model(deps: DepsMut, sender: &Addr, model: GpuModel) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    validate_model_id(&model.id)?;
    check_figures(&model.id, model.vram_mib, model.benchmark_score)?;
    if MODELS.has(deps.storage, &model.id) {
        return Err(ContractError::ModelExists { id: model.id });
    }
    let idx = MODEL_SEQ.may_load(deps.storage)?.unwrap_or_default();
    if idx >= MAX_CATALOGUE {
        return Err(ContractError::CatalogueFull { max: MAX_CATALOGUE });
    }
    let idx = idx + 1;
    MODEL_SEQ.save(deps.storage, &idx)?;
    let stored = Model {
        idx,
        vram_mib: model.vram_mib,
        cc: model.compute_capability,
        score: model.benchmark_score,
        retired: false,
    };
    MODELS.save(deps.storage, &model.id, &stored)?;
    MODEL_IDS.save(deps.storage, idx, &model.id)?;
    MODELS_BY_VRAM.save(deps.storage, (stored.vram_mib, idx), &vram_entry(&stored))?;

    Ok(Response::new()
        .add_attribute("action", "add_model")
        .add_attribute("model", model.id)
        .add_attribute("idx", idx.to_string())
        .add_attribute("vram_mib", stored.vram_mib.to_string())
        .add_attribute("benchmark_score", stored.score.to_string()))
}

pub fn update_model(
    deps: DepsMut,
    sender: &Addr,
    id: String,
    vram_mib: Option<u32>,
    compute_capability: Option<ComputeCapability>,
    benchmark_score: Option<u64>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    if vram_mib.is_none() && compute_capability.is_none() && benchmark_score.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut model = load_active_model(deps.storage, &id)?;
    let old_vram = model.vram_mib;
    model.vram_mib = vram_mib.unwrap_or(model.vram_mib);
    model.cc = compute_capability.unwrap_or(model.cc);
    model.score = benchmark_score.unwrap_or(model.score);
    check_figures(&id, model.vram_mib, model.score)?;
    MODELS.save(deps.storage, &id, &model)?;
    MODELS_BY_VRAM.remove(deps.storage, (old_vram, model.idx));
    MODELS_BY_VRAM.save(
        deps.storage,
        (model.vram_mib, model.idx),
        &vram_entry(&model),
    )?;

    Ok(Response::new()
        .add_attribute("action", "update_model")
        .add_attribute("model", id)
        .add_attribute("vram_mib", model.vram_mib.to_string())
        .add_attribute("benchmark_score", model.score.to_string()))
}

pub fn retire_model(deps: DepsMut, sender: &Addr, id: String) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    let mut model = load_active_model(deps.storage, &id)?;
    model.retired = true;
    MODELS.save(deps.storage, &id, &model)?;
    MODELS_BY_VRAM.remove(deps.storage, (model.vram_mib, model.idx));
    Ok(Response::new()
        .add_attribute("action", "retire_model")
        .add_attribute("model", id))
}
