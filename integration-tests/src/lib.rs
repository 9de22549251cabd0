//! Cross-contract scenarios live in `tests/`.
