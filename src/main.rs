#[cfg(target_arch = "wasm32")]
fn main() {
    oauth_playground::ui::start();
}

// The binary only exists for the browser; natively, the library is what gets tested.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Build for the browser with `trunk build`; see README.md.");
}
