//! A minimal chain for benchmarks: optimized contracts in cosmwasm-vm, each with its own priced
//! storage, one block clock, and a querier that answers the cross-contract queries a contract
//! under test makes. Messages a contract emits are not dispatched: each figure is one contract's
//! own execution, as wasmd meters it per call.

use super::storage::{ChainStorage, WASMD_GAS_MULTIPLIER};
use anyhow::{anyhow, Context, Result};
use cosmwasm_std::{
    Addr, BlockInfo, Coin, ContractInfo, ContractResult, Empty, Env, MessageInfo, QuerierResult,
    Response, Timestamp, WasmQuery,
};
use cosmwasm_vm::testing::{MockApi, MockQuerier};
use cosmwasm_vm::{
    call_execute, call_instantiate, call_query, capabilities_from_csv, Backend, Cache,
    CacheOptions, InstanceOptions, Size,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::{Path, PathBuf};

const GAS_LIMIT: u64 = 1_000_000_000_000_000;

/// The gas one call used, split as wasmd meters it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gas {
    /// Wasm execution and host calls (CosmWasm gas).
    pub execution: u64,
    /// Storage reads and writes at SDK prices (converted to CosmWasm gas).
    pub storage: u64,
}

impl Gas {
    pub fn total(&self) -> u64 {
        self.execution + self.storage
    }
    pub fn sdk(&self) -> u64 {
        self.total().div_ceil(WASMD_GAS_MULTIPLIER)
    }
}

pub type QueryHandler = Box<dyn Fn(&WasmQuery) -> QuerierResult>;

pub struct Contract {
    checksum: cosmwasm_std::Checksum,
    backend: Option<Backend<MockApi, ChainStorage, MockQuerier>>,
    pub address: Addr,
}

pub struct Chain {
    cache: Cache<MockApi, ChainStorage, MockQuerier>,
    dir: PathBuf,
    pub api: MockApi,
    pub block: BlockInfo,
}

impl Chain {
    pub fn new() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("gridshare-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let options = CacheOptions::new(
            &dir,
            capabilities_from_csv(crate::validate::CHAIN_CAPABILITIES),
            Size::mebi(200),
            Size::mebi(32),
        );
        // SAFETY: the directory is this cache's alone and outlives it.
        let cache = unsafe { Cache::new(options) }.context("creating the VM cache")?;
        Ok(Chain {
            cache,
            dir,
            api: MockApi::default(),
            block: BlockInfo {
                height: 1,
                time: Timestamp::from_seconds(1_700_000_000),
                chain_id: "gridshare-bench".into(),
            },
        })
    }

    pub fn addr(&self, name: &str) -> Addr {
        Addr::unchecked(self.api.addr_make(name))
    }

    pub fn advance(&mut self, seconds: u64) {
        self.block.time = self.block.time.plus_seconds(seconds);
        self.block.height += seconds.div_ceil(5).max(1);
    }

    /// Stores `wasm` and instantiates it at the address named `label`.
    pub fn deploy<M: Serialize>(
        &mut self,
        wasm_path: &Path,
        label: &str,
        sender: &Addr,
        msg: &M,
        queries: Option<QueryHandler>,
    ) -> Result<Contract> {
        let wasm = std::fs::read(wasm_path)
            .with_context(|| format!("reading {} (run `make wasm` first)", wasm_path.display()))?;
        let checksum = self.cache.store_code(&wasm, true, true)?;
        let mut querier = MockQuerier::new(&[]);
        if let Some(handler) = queries {
            querier.update_wasm(handler);
        }
        let mut contract = Contract {
            checksum,
            backend: Some(Backend {
                api: self.api,
                storage: ChainStorage::default(),
                querier,
            }),
            address: self.addr(label),
        };
        self.run(&mut contract, sender, &[], |instance, env, info| {
            call_instantiate::<_, _, _, Empty>(instance, env, info, &cosmwasm_vm::to_vec(msg)?)
        })
        .with_context(|| format!("instantiating {label}"))?;
        Ok(contract)
    }

    pub fn execute<M: Serialize>(
        &mut self,
        contract: &mut Contract,
        sender: &Addr,
        msg: &M,
        funds: &[Coin],
    ) -> Result<(Response, Gas)> {
        let raw = cosmwasm_vm::to_vec(msg)?;
        self.run(contract, sender, funds, |instance, env, info| {
            call_execute::<_, _, _, Empty>(instance, env, info, &raw)
        })
    }

    pub fn query<M: Serialize, R: DeserializeOwned>(
        &mut self,
        contract: &mut Contract,
        msg: &M,
    ) -> Result<R> {
        let backend = contract
            .backend
            .take()
            .ok_or_else(|| anyhow!("contract {} lost its backend", contract.address))?;
        let mut instance = self.cache.get_instance(
            &contract.checksum,
            backend,
            InstanceOptions {
                gas_limit: GAS_LIMIT,
            },
        )?;
        let env = self.env(contract);
        let result = call_query(&mut instance, &env, &cosmwasm_vm::to_vec(msg)?);
        contract.backend = instance.recycle();
        match result? {
            ContractResult::Ok(binary) => Ok(cosmwasm_vm::from_slice(&binary, usize::MAX)?),
            ContractResult::Err(e) => Err(anyhow!("query error: {e}")),
        }
    }

    fn env(&self, contract: &Contract) -> Env {
        Env {
            block: self.block.clone(),
            transaction: None,
            contract: ContractInfo {
                address: contract.address.clone(),
            },
        }
    }

    fn run<F>(
        &mut self,
        contract: &mut Contract,
        sender: &Addr,
        funds: &[Coin],
        call: F,
    ) -> Result<(Response, Gas)>
    where
        F: FnOnce(
            &mut cosmwasm_vm::Instance<MockApi, ChainStorage, MockQuerier>,
            &Env,
            &MessageInfo,
        ) -> cosmwasm_vm::VmResult<ContractResult<Response>>,
    {
        let backend = contract
            .backend
            .take()
            .ok_or_else(|| anyhow!("contract {} lost its backend", contract.address))?;
        let mut instance = self.cache.get_instance(
            &contract.checksum,
            backend,
            InstanceOptions {
                gas_limit: GAS_LIMIT,
            },
        )?;
        let env = self.env(contract);
        let info = MessageInfo {
            sender: sender.clone(),
            funds: funds.to_vec(),
        };
        let result = call(&mut instance, &env, &info);
        let report = instance.create_gas_report();
        contract.backend = instance.recycle();
        let gas = Gas {
            execution: report.used_internally,
            storage: report.used_externally,
        };
        match result? {
            ContractResult::Ok(response) => Ok((response, gas)),
            ContractResult::Err(e) => Err(anyhow!("contract error: {e}")),
        }
    }
}

impl Drop for Chain {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
