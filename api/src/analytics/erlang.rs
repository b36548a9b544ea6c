//! Erlang B: the blocking of `lines` lines offered `erlangs` of traffic, by the recurrence
//! B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)) — no factorials or powers, so neither
//! overflows nor loses precision at thousands of erlangs.

/// The probability that a call finds all `lines` busy.
pub fn blocking(erlangs: f64, lines: u32) -> f64 {
    if erlangs <= 0.0 {
        return if lines == 0 && erlangs == 0.0 { 1.0 } else { 0.0 };
    }
    (1..=lines).fold(1.0, |previous, n| {
        let offered = erlangs * previous;
        offered / (f64::from(n) + offered)
    })
}

/// The fewest lines whose blocking is at or under `target` (0 < target < 1), with it.
pub fn lines_for(erlangs: f64, target: f64) -> (u32, f64) {
    if erlangs <= 0.0 {
        return (0, 0.0);
    }
    let mut previous = 1.0;
    let mut lines = 0u32;
    // B falls with every line; at A + 10·√A + 10 lines it is far under any sane target, and
    // the cap bounds the loop for an absurd target.
    let cap = (erlangs + 10.0 * erlangs.sqrt() + 10.0)
        .ceil()
        .min(f64::from(u32::MAX / 2)) as u32;
    while previous > target && lines < cap.max(1) * 4 {
        lines += 1;
        let offered = erlangs * previous;
        previous = offered / (f64::from(lines) + offered);
    }
    (lines, previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published Erlang B table values (e.g. the ITU/Cisco tables): the fewest lines for
    /// a load at 1% blocking.
    #[test]
    fn lines_match_the_published_tables() {
        for (erlangs, target, lines) in [
            (5.0, 0.01, 11),
            (10.0, 0.01, 18),
            (1.0, 0.01, 5),
            (2.0, 0.01, 7),
            (20.0, 0.01, 30),
            (50.0, 0.01, 64),
            (100.0, 0.01, 117),
            (10.0, 0.001, 21),
            (10.0, 0.05, 15),
        ] {
            assert_eq!(lines_for(erlangs, target).0, lines, "{erlangs} E at {target}");
        }
    }

    #[test]
    fn blocking_matches_known_values() {
        // B(1 line, 1 E) = 1/2; B(2, 1) = 1/5.
        assert!((blocking(1.0, 1) - 0.5).abs() < 1e-12);
        assert!((blocking(1.0, 2) - 0.2).abs() < 1e-12);
        // 5 E on 11 lines: 0.0083 (tables).
        assert!((blocking(5.0, 11) - 0.00829).abs() < 1e-4);
    }

    #[test]
    fn large_loads_neither_overflow_nor_lose_the_answer() {
        let (lines, at) = lines_for(10_000.0, 0.01);
        assert!(at <= 0.01 && at.is_finite());
        // Near A itself at this size (9,970 lines), not a runaway count.
        assert!((9_900..10_100).contains(&lines), "{lines}");
        assert!(blocking(10_000.0, lines - 1) > 0.01);
        assert_eq!(blocking(0.0, 3), 0.0);
        assert_eq!(lines_for(0.0, 0.01), (0, 0.0));
    }
}
