//! Looking up attributes and events in a response. A lookup that fails says what the response
//! had instead, so a test that expected the wrong key shows the right one.

use cosmwasm_std::{Attribute, Event, Response};

/// `key=value` pairs, comma-separated.
fn list(attributes: &[Attribute]) -> String {
    attributes
        .iter()
        .map(|a| format!("{}={}", a.key, a.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each event as `type{key=value, …}`.
fn list_events(events: &[Event]) -> String {
    events
        .iter()
        .map(|e| format!("{}{{{}}}", e.ty, list(&e.attributes)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The value of the response's first attribute `key`; panics with the attributes there were.
pub fn attr(res: &Response, key: &str) -> String {
    match res.attributes.iter().find(|a| a.key == key) {
        Some(a) => a.value.clone(),
        None => panic!(
            "no attribute {key:?} in the response; it has [{}]",
            list(&res.attributes)
        ),
    }
}

/// Attributes from `(key, value)` pairs, to compare with a response's.
pub fn attrs(pairs: &[(&str, &str)]) -> Vec<Attribute> {
    pairs.iter().map(|(k, v)| Attribute::new(*k, *v)).collect()
}

/// The events of type `ty`, in order; empty when there are none.
pub fn events<'a>(res: &'a Response, ty: &str) -> Vec<&'a Event> {
    res.events.iter().filter(|e| e.ty == ty).collect()
}

/// The one event of type `ty`; panics with the events there were when there is none or several.
pub fn event<'a>(res: &'a Response, ty: &str) -> &'a Event {
    match events(res, ty).as_slice() {
        [one] => one,
        found => panic!(
            "expected one {ty:?} event, found {}; the response has [{}]",
            found.len(),
            list_events(&res.events)
        ),
    }
}

/// The value of the event's first attribute `key`; panics with the attributes there were.
pub fn event_attr(event: &Event, key: &str) -> String {
    match event.attributes.iter().find(|a| a.key == key) {
        Some(a) => a.value.clone(),
        None => panic!(
            "no attribute {key:?} in the {:?} event; it has [{}]",
            event.ty,
            list(&event.attributes)
        ),
    }
}
