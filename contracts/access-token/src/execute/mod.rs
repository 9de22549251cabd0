//! State-changing actions, one module per concern.

pub mod admin;
pub mod cw20;
pub mod subscribe;
