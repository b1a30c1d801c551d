//! Data-driven cases: every `*.json` file in each folder under
//! `tests/fixtures/` is read at run time, so a case file dropped into a
//! folder runs with no code change. Unknown fields are ignored.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use oauth_playground::oauth1::encode::percent_encode;
use oauth_playground::oauth1::{SignatureInput, sign};

/// One comparison that did not hold.
struct Mismatch {
    field: &'static str,
    expected: String,
    actual: String,
}

type CaseResult = Result<(), Vec<Mismatch>>;

#[derive(Deserialize)]
struct Case<I> {
    input: I,
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let folders: [(&str, fn(Value, &Value) -> CaseResult); 4] = [
        ("oauth1", run_oauth1),
        ("pkce", run_unimplemented),
        ("oauth2", run_unimplemented),
        ("jwt", run_unimplemented),
    ];

    let mut report = String::new();
    let mut failed_total = 0;
    for (folder, run) in folders {
        let (passed, failures) = run_folder(&root.join(folder), run);
        println!("{folder}: {passed} passed, {} failed", failures.len());
        failed_total += failures.len();
        for failure in failures {
            let _ = writeln!(report, "{folder}: {failure}");
        }
    }

    if failed_total > 0 {
        eprintln!("\n{failed_total} fixture case(s) failed:\n{report}");
        std::process::exit(1);
    }
}

/// Runs every case of every `*.json` file in `folder`; returns the number
/// passed and a description of each failure.
fn run_folder(folder: &Path, run: fn(Value, &Value) -> CaseResult) -> (usize, Vec<String>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    for file in json_files(folder) {
        let name = file.display().to_string();
        let cases = match read_cases(&file) {
            Ok(cases) => cases,
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };

        for case in cases {
            let id = case.get("id").and_then(Value::as_str).unwrap_or("(no id)").to_owned();
            let expect = case.get("expect").cloned().unwrap_or(Value::Null);
            match run(case, &expect) {
                Ok(()) => passed += 1,
                Err(mismatches) => failures.push(describe(&id, &mismatches)),
            }
        }
    }
    (passed, failures)
}

fn json_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn read_cases(file: &Path) -> Result<Vec<Value>, String> {
    let text = fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    match value {
        Value::Array(cases) => Ok(cases),
        _ => Err("expected a JSON list of cases".to_owned()),
    }
}

fn describe(id: &str, mismatches: &[Mismatch]) -> String {
    let mut text = format!("case {id} failed");
    for m in mismatches {
        let _ = write!(
            text,
            "\n    {}:\n      expected: {}\n      actual:   {}",
            m.field, m.expected, m.actual
        );
    }
    text
}

/// Compares `actual` with `expect[field]` when the case gives that field.
fn check(mismatches: &mut Vec<Mismatch>, expect: &Value, field: &'static str, actual: Option<&str>) {
    let Some(expected) = expect.get(field) else {
        return;
    };
    let expected_text = expected.as_str().map(str::to_owned).unwrap_or_else(|| expected.to_string());
    let actual_text = actual.unwrap_or("(none)");
    if expected_text != actual_text {
        mismatches.push(Mismatch {
            field,
            expected: expected_text,
            actual: actual_text.to_owned(),
        });
    }
}

fn run_unimplemented(_case: Value, _expect: &Value) -> CaseResult {
    Err(vec![Mismatch {
        field: "runner",
        expected: "a result".to_owned(),
        actual: "this folder's core is not implemented yet".to_owned(),
    }])
}

#[derive(Deserialize)]
struct OAuth1Input {
    method: String,
    url: String,
    content_type: Option<String>,
    body: Option<String>,
    realm: Option<String>,
    oauth: serde_json::Map<String, Value>,
    consumer_secret: Option<String>,
    token_secret: Option<String>,
    rsa_private_key_pem: Option<String>,
    #[serde(default)]
    include_body_hash: bool,
}

fn run_oauth1(case: Value, expect: &Value) -> CaseResult {
    let case: Case<OAuth1Input> = serde_json::from_value(case).map_err(|e| schema_error(&e))?;
    let input = case.input;
    let signature_input = SignatureInput {
        method: input.method,
        url: input.url,
        content_type: input.content_type,
        body: input.body,
        realm: input.realm,
        oauth: input
            .oauth
            .into_iter()
            .map(|(name, value)| {
                let value = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
                (name, value)
            })
            .collect(),
        consumer_secret: input.consumer_secret.unwrap_or_default(),
        token_secret: input.token_secret.unwrap_or_default(),
        rsa_private_key_pem: input.rsa_private_key_pem,
        include_body_hash: input.include_body_hash,
    };

    let steps = sign(&signature_input).map_err(|error| {
        vec![Mismatch {
            field: "signing",
            expected: "a signature".to_owned(),
            actual: format!("error: {error}"),
        }]
    })?;

    let mut mismatches = Vec::new();
    let encoded = percent_encode(&steps.signature);
    check(&mut mismatches, expect, "base_uri", Some(&steps.base_uri));
    check(&mut mismatches, expect, "normalized_params", Some(&steps.normalized_params));
    check(&mut mismatches, expect, "base_string", Some(&steps.base_string));
    check(&mut mismatches, expect, "signing_key", steps.signing_key.as_deref());
    check(&mut mismatches, expect, "signature", Some(&steps.signature));
    check(&mut mismatches, expect, "signature_header_encoded", Some(&encoded));
    check(&mut mismatches, expect, "oauth_body_hash", steps.body_hash.as_deref());
    if mismatches.is_empty() { Ok(()) } else { Err(mismatches) }
}

fn schema_error(error: &serde_json::Error) -> Vec<Mismatch> {
    vec![Mismatch {
        field: "schema",
        expected: "a case matching the folder's schema".to_owned(),
        actual: error.to_string(),
    }]
}
