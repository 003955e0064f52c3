//! CLI tests for share links: `ctsync link encode|decode`, and links given to `run`, `check`,
//! `state` and `validate` in place of a file. They run the binary as a user would.

use assert_cmd::Command;
use ctsync_core::scenario::CURRENT_VERSION;
use ctsync_core::Scenario;
use predicates::prelude::*;

fn ctsync() -> Command {
    Command::cargo_bin("ctsync").expect("binary builds")
}

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// The fragment `ctsync link encode` prints for a file (`#1.…`), without the newline.
fn link_of(rel: &str, extra: &[&str]) -> String {
    let output = ctsync()
        .args(["link", "encode", &path(rel)])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

const HUB: &str = "scenarios/examples/user-hub.json";

#[test]
fn encode_prints_the_fragment_and_its_length() {
    let golden = include_str!("../core/tests/golden/user-hub.link").trim_end();
    ctsync()
        .args(["link", "encode", &path(HUB)])
        .assert()
        .success()
        .stdout(format!("#{golden}\n"))
        .stderr(format!("{} characters from the '#'\n", golden.len() + 1));
}

#[test]
fn encode_with_a_base_replaces_its_fragment() {
    let fragment = link_of(HUB, &[]);
    ctsync()
        .args([
            "link",
            "encode",
            &path(HUB),
            "--base",
            "https://example.org/ctsync/#old-fragment",
        ])
        .assert()
        .success()
        .stdout(format!("https://example.org/ctsync/{fragment}\n"));
}

#[test]
fn decode_prints_the_scenario_from_a_url_a_fragment_or_the_payload() {
    let fragment = link_of(HUB, &[]);
    let expected = Scenario::from_json(&std::fs::read_to_string(path(HUB)).unwrap()).unwrap();
    for link in [
        fragment.clone(),
        fragment[1..].to_string(),
        format!("http://localhost:8080/sub/path/{fragment}"),
    ] {
        let output = ctsync().args(["link", "decode", &link]).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.starts_with(&format!("{{\n  \"version\": {CURRENT_VERSION},")),
            "pretty JSON"
        );
        assert!(Scenario::from_json(&text).unwrap() == expected);
        assert!(output.stderr.is_empty(), "no view to report");
    }
}

#[test]
fn decode_reports_the_view_a_link_opens_at() {
    let fragment = link_of(HUB, &["--tick", "3"]);
    ctsync()
        .args(["link", "decode", &fragment])
        .assert()
        .success()
        .stderr("view: tick 3, nothing selected\n");
}

#[test]
fn run_check_state_and_validate_take_a_link_for_a_file() {
    let file = path("scenarios/examples/configure-example.json");
    let fragment = link_of("scenarios/examples/configure-example.json", &[]);
    let url = format!("https://example.org/ctsync/{fragment}");
    let run_file = ctsync().args(["run", &file]).output().unwrap();
    let run_link = ctsync().args(["run", &url]).output().unwrap();
    assert!(run_link.status.success());
    assert_eq!(
        run_link.stdout, run_file.stdout,
        "the same provisioning log"
    );
    ctsync()
        .args(["check", &fragment])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("link {CURRENT_VERSION}.")))
        .stdout(predicate::str::contains(" 0 failed"));
    ctsync()
        .args([
            "state",
            &fragment[1..],
            "--tenant",
            "target",
            "--after-tick",
            "0",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "users1_source.example#EXT#@target.onmicrosoft.com",
        ));
    ctsync()
        .args(["validate", &url])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "link {CURRENT_VERSION}."
        )))
        .stdout(predicate::str::contains(": ok (2 tenants, 1 sync job)"));
}

#[test]
fn a_bad_link_exits_2_with_the_reason() {
    let fragment = link_of(HUB, &[]);
    let cut = &fragment[..fragment.len() / 2];
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["run".into(), cut.into()],
            "the link's data is truncated; the link was probably cut short when it was copied",
        ),
        (
            vec![
                "check".into(),
                format!("https://example.org/#1.AAAA!AAAAAAAAAAAAAAAAAAA"),
            ],
            "the link is not base64url at position 28: '!'",
        ),
        (
            vec!["validate".into(), "#7.AAAAAAAAAAAAAAAAAAAA".into()],
            "the link has format version 7, which this ctsync does not read",
        ),
        (
            vec!["link".into(), "decode".into(), "hello".into()],
            "error: the link does not start with a version such as '1.'",
        ),
        (
            vec!["link".into(), "encode".into(), cut.into()],
            "cannot open the share link",
        ),
    ];
    for (args, expected) in cases {
        ctsync()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn an_existing_file_wins_over_a_link_shaped_name() {
    let dir = tempfile::tempdir().unwrap();
    let name = "1.AAAAAAAAAAAAAAAAAAAAAAAA";
    std::fs::copy(
        path("scenarios/examples/configure-example.json"),
        dir.path().join(name),
    )
    .unwrap();
    ctsync()
        .current_dir(dir.path())
        .args(["validate", name])
        .assert()
        .success()
        .stdout(format!("{name}: ok (2 tenants, 1 sync job)\n"));
    ctsync()
        .args(["run", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read missing.json"));
}
