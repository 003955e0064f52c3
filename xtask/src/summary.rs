//! Counting test cases from what the test runners print: libtest's `test result:` lines (cargo test
//! and wasm-bindgen-test-runner print the same format) and node's test runner summary.

use std::ops::AddAssign;

/// Test cases that passed and failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl Counts {
    pub fn new(passed: u64, failed: u64) -> Counts {
        Counts { passed, failed }
    }

    pub fn total(&self) -> u64 {
        self.passed + self.failed
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// Sums every `test result: ok. 3 passed; 1 failed; …` line: one per test binary, doc-tests included.
pub fn libtest_counts(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result:") else {
            continue;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => counts.passed += number,
                "failed" => counts.failed += number,
                _ => {}
            }
        }
    }
    counts
}

/// Reads node's test runner summary (`ℹ pass 3` / `ℹ fail 0` from the spec reporter, or `# pass 3`
/// from TAP), or `None` when it printed no summary (it crashed before the end).
pub fn node_test_counts(output: &str) -> Option<Counts> {
    let mut passed = None;
    let mut failed = None;
    for line in output.lines() {
        let line = line.trim_start_matches(['ℹ', '#', ' ']);
        let mut words = line.split_whitespace();
        let (Some(label), Some(number), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        match label {
            "pass" => passed = Some(number),
            "fail" => failed = Some(number),
            _ => {}
        }
    }
    Some(Counts::new(passed?, failed?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_lines_are_summed_over_test_binaries() {
        let output = "\
running 4 tests
test clock::tests::a_day_is_thirty_six_ticks ... ok
test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

   Doc-tests ctsync_core
test result: FAILED. 2 passed; 1 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.1s
";
        assert_eq!(libtest_counts(output), Counts::new(6, 1));
    }

    #[test]
    fn a_test_named_like_a_summary_is_not_counted() {
        let output = "test summary::test_result_passed ... ok\n";
        assert_eq!(libtest_counts(output), Counts::default());
    }

    #[test]
    fn node_spec_summary_is_read() {
        let output = "\
✔ draws the example's tenants (812.3ms)
ℹ tests 3
ℹ suites 0
ℹ pass 2
ℹ fail 1
ℹ cancelled 0
";
        assert_eq!(node_test_counts(output), Some(Counts::new(2, 1)));
    }

    #[test]
    fn node_tap_summary_is_read() {
        assert_eq!(
            node_test_counts("# tests 2\n# pass 2\n# fail 0\n"),
            Some(Counts::new(2, 0))
        );
    }

    #[test]
    fn node_output_without_a_summary_counts_as_unknown() {
        assert_eq!(
            node_test_counts("Error: Cannot find module 'playwright-core'\n"),
            None
        );
    }
}
