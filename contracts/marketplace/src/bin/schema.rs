//! Writes the marketplace's JSON schema (the IDL ts-codegen and auditors read) into the directory given
//! as the first argument.

use cosmwasm_schema::generate_api;
use marketplace::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: schema <out-dir>")?);
    let api = generate_api! {
        name: "marketplace",
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }
    .render();
    std::fs::create_dir_all(&out_dir)?;
    let path = out_dir.join("marketplace.json");
    std::fs::write(&path, api.to_string()? + "\n")?;
    println!("wrote {}", path.display());
    Ok(())
}
