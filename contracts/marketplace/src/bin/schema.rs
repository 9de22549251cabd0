//! Writes the marketplace's JSON schema (the IDL ts-codegen and auditors read) into the directory given
//! as the first argument.

use cosmwasm_schema::{generate_api, schema_for};
use marketplace::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = gridshare_schema::out_dir_arg()?;
    let api = generate_api! {
        name: "marketplace",
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    };
    // The JSON inside a cw20 `Send` to this contract, typed in the schema as `ReceiveMsg`.
    let path = gridshare_schema::write(api, Some(schema_for!(ReceiveMsg)), &out_dir)?;
    println!("wrote {}", path.display());
    Ok(())
}
