//! The rule every schema in `schema/` must pass: each field of every message, query and response
//! (every property of every object schema) has a description, and so has each variant of every
//! enum written as `{"variant": {…}}`, whose description is the variant's doc comment. Unit
//! variants (`"config"`) are plain strings and carry the enum's own description.

use serde_json::Value;

/// JSON paths of the properties and variants in `idl` (a whole contract IDL) without a
/// description, in document order.
pub fn undocumented(idl: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    walk(idl, "$", false, &mut missing);
    missing
}

/// `in_one_of`: `node` is an alternative of a `oneOf`/`anyOf`, where a variant wrapper can be.
fn walk(node: &Value, path: &str, in_one_of: bool, missing: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                let variant = in_one_of && is_variant_wrapper(map, properties);
                if variant && !described(node) {
                    let name = properties.keys().next().map_or("", |k| k);
                    missing.push(format!("{path} (variant {name})"));
                }
                for (name, property) in properties {
                    if !variant && !described(property) {
                        missing.push(format!("{path}.properties.{name}"));
                    }
                }
            }
            for (key, child) in map {
                let alternatives = key == "oneOf" || key == "anyOf";
                walk_children(child, &format!("{path}.{key}"), alternatives, missing);
            }
        }
        Value::Array(_) => walk_children(node, path, false, missing),
        _ => {}
    }
}

fn walk_children(node: &Value, path: &str, alternatives: bool, missing: &mut Vec<String>) {
    match node {
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, &format!("{path}[{i}]"), alternatives, missing);
            }
        }
        other => walk(other, path, false, missing),
    }
}

/// `{"type":"object","required":["x"],"properties":{"x":…}}` as an alternative of a `oneOf`: an
/// enum variant, documented on the wrapper rather than on its single property.
fn is_variant_wrapper(
    map: &serde_json::Map<String, Value>,
    properties: &serde_json::Map<String, Value>,
) -> bool {
    properties.len() == 1
        && map
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| {
                required.len() == 1
                    && properties.contains_key(required[0].as_str().unwrap_or_default())
            })
}

fn described(node: &Value) -> bool {
    node.get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| !d.trim().is_empty())
}
