//! cw20 hook messages in the schema. A cw20 `Send` carries the hook as base64 JSON in
//! `Cw20ReceiveMsg.msg`, which the IDL can only type as `Binary`. The hook's own schema is added to
//! the execute schema's definitions as `ReceiveMsg`, and the `msg` field says, in JSON Schema's own
//! vocabulary (`contentEncoding`, `contentMediaType`, `contentSchema`), that it decodes to one.

use cosmwasm_schema::Api;
use schemars::schema::{RootSchema, Schema, SchemaObject};
use serde_json::json;

/// The definition the hook message is exported under in each contract's execute schema.
pub const RECEIVE_HOOK_DEFINITION: &str = "ReceiveMsg";

pub fn add_receive_hook(api: &mut Api, hook: RootSchema) -> Result<(), String> {
    let execute = api
        .execute
        .as_mut()
        .ok_or("the contract has no execute schema")?;
    for (name, definition) in hook.definitions {
        match execute.definitions.get(&name) {
            Some(existing) if *existing != definition => {
                return Err(format!(
                    "the hook's definition {name} differs from execute's"
                ));
            }
            Some(_) => {}
            None => {
                execute.definitions.insert(name, definition);
            }
        }
    }
    let mut hook_schema = hook.schema;
    hook_schema.metadata().title = None;
    execute.definitions.insert(
        RECEIVE_HOOK_DEFINITION.to_string(),
        Schema::Object(hook_schema),
    );

    let envelope = execute
        .definitions
        .get_mut("Cw20ReceiveMsg")
        .ok_or("execute has no Cw20ReceiveMsg: the contract takes no cw20 hooks")?;
    let msg = object_property(envelope, "msg").ok_or("Cw20ReceiveMsg has no msg field")?;
    msg.metadata().description = Some(format!(
        "The hook: base64 of the JSON of a `{RECEIVE_HOOK_DEFINITION}`, this schema's definition of \
         that name (`contentSchema`)."
    ));
    msg.extensions
        .insert("contentEncoding".into(), json!("base64"));
    msg.extensions
        .insert("contentMediaType".into(), json!("application/json"));
    msg.extensions.insert(
        "contentSchema".into(),
        json!({ "$ref": format!("#/definitions/{RECEIVE_HOOK_DEFINITION}") }),
    );
    Ok(())
}

/// The schema of property `field` of an object definition.
fn object_property<'a>(definition: &'a mut Schema, field: &str) -> Option<&'a mut SchemaObject> {
    let Schema::Object(object) = definition else {
        return None;
    };
    crate::describable(object.object.as_mut()?.properties.get_mut(field)?)
}
