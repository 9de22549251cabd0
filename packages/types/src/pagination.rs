//! One pagination rule for every list query in the suite.

/// Items returned when a query gives no limit.
pub const DEFAULT_LIMIT: u32 = 10;
/// Items returned at most, whatever the query asks for.
pub const MAX_LIMIT: u32 = 100;

/// The number of items a list query returns: the caller's limit, at most [`MAX_LIMIT`].
pub fn clamp_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_clamped_to_the_maximum() {
        assert_eq!(clamp_limit(None), DEFAULT_LIMIT as usize);
        assert_eq!(clamp_limit(Some(0)), 0);
        assert_eq!(clamp_limit(Some(7)), 7);
        assert_eq!(clamp_limit(Some(MAX_LIMIT)), MAX_LIMIT as usize);
        assert_eq!(clamp_limit(Some(MAX_LIMIT + 1)), MAX_LIMIT as usize);
        assert_eq!(clamp_limit(Some(u32::MAX)), MAX_LIMIT as usize);
    }
}
