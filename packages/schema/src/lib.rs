//! What every contract's `schema` binary does after `generate_api!`: exports the contract's cw20
//! hook message (the JSON inside `Receive { msg }`), documents the fields of types the project does
//! not own (cw20, cosmwasm-std), and writes the IDL. The rule that every field of the public API is
//! described lives here too ([`undocumented`]), so the binaries and the check agree on it.

mod external;
mod hooks;
mod lint;

pub use hooks::{add_receive_hook, RECEIVE_HOOK_DEFINITION};
pub use lint::undocumented;

use cosmwasm_schema::Api;
use schemars::schema::{Schema, SchemaObject};
use std::path::{Path, PathBuf};

/// Finishes `api` (hook message, external field docs) and writes `<out_dir>/<contract>.json`.
pub fn write(
    mut api: Api,
    receive: Option<schemars::schema::RootSchema>,
    out_dir: &Path,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(receive) = receive {
        add_receive_hook(&mut api, receive)?;
    }
    external::document(&mut api);
    let name = api.contract_name.clone();
    let rendered = api.render().to_string()?;
    std::fs::create_dir_all(out_dir)?;
    let path = out_dir.join(format!("{name}.json"));
    std::fs::write(&path, rendered + "\n")?;
    Ok(path)
}

/// The directory named by the binary's first argument.
pub fn out_dir_arg() -> Result<PathBuf, &'static str> {
    std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: schema <out-dir>")
}

/// A property schema that can carry its own description. A bare `$ref` cannot (draft 7 ignores its
/// siblings), so it is wrapped in `allOf`, as schemars does for documented fields.
pub(crate) fn describable(property: &mut Schema) -> Option<&mut SchemaObject> {
    let Schema::Object(inner) = property else {
        return None;
    };
    if inner.reference.is_some() {
        let reference = Schema::Object(std::mem::take(inner));
        inner.subschemas().all_of = Some(vec![reference]);
    }
    Some(inner)
}
