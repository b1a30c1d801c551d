//! Data-driven cases: every `*.json` file in each folder under
//! `tests/fixtures/` is read at run time, so a case file dropped into a
//! folder runs with no code change. Unknown fields are ignored.

// Fixtures read files, which the browser target cannot; there the test is empty.
#[cfg(not(target_arch = "wasm32"))]
#[path = "fixtures/runner.rs"]
mod runner;

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    runner::main();
}
