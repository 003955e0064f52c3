//! CLI tests of `ctsync expr`: they run the binary the way an admin checks an expression headless.

use assert_cmd::Command;
use predicates::prelude::*;

fn expr(expression: &str) -> Command {
    let mut command = Command::cargo_bin("ctsync").expect("binary builds");
    command.arg("expr").arg(expression);
    command
}

#[test]
fn prints_a_string_result_as_json() {
    expr("Join(\" \", [givenName], [surname])")
        .args(["--attrs", r#"{"givenName":"John","surname":"Doe"}"#])
        .assert()
        .success()
        .stdout("\"John Doe\"\n");
}

#[test]
fn prints_numbers_booleans_and_multi_values_as_json() {
    expr("Count([proxyAddresses])")
        .args([
            "--attrs",
            r#"{"proxyAddresses":["a","b","c","d","e","f","g"]}"#,
        ])
        .assert()
        .success()
        .stdout("7\n");
    expr("IsPresent([mail])")
        .args(["--attrs", r#"{"mail":"a@contoso.com"}"#])
        .assert()
        .success()
        .stdout("true\n");
    expr("RemoveDuplicates([proxyAddresses])")
        .args(["--attrs", r#"{"proxyAddresses":["a","b","a"]}"#])
        .assert()
        .success()
        .stdout("[\"a\",\"b\"]\n");
}

#[test]
fn a_value_that_does_not_flow_prints_null_and_says_why() {
    expr("IIF([country]=\"\",\"Other\",[country])")
        .args(["--attrs", r#"{"country":""}"#])
        .assert()
        .success()
        .stdout("null\n")
        .stderr(predicate::str::contains(
            "the IIF condition reads [country], which is null or empty",
        ));
    expr("[department]").assert().success().stdout("null\n");
}

#[test]
fn now_reads_the_given_clock() {
    expr("Now()")
        .args(["--now", "2026-01-01T00:00:00Z"])
        .assert()
        .success()
        .stdout("\"1/1/2026 12:00:00 AM\"\n");
    expr("DateAdd(\"d\", 7, Now())")
        .args(["--now", "2021-07-02T15:33:38Z"])
        .assert()
        .success()
        .stdout("\"7/9/2021 3:33:38 PM\"\n");
}

#[test]
fn the_seed_makes_guid_reproducible() {
    let run = |seed: &str| {
        let output = expr("Guid()").args(["--seed", seed]).output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(run("42"), run("42"));
    assert_ne!(run("42"), run("43"));
    assert!(run("42").trim().trim_matches('"').len() == 36);
}

#[test]
fn select_unique_value_uses_existing_values() {
    expr("SelectUniqueValue(Join(\"@\", [givenName], \"contoso.com\"), Join(\"@\", Join(\".\", [givenName], [surname]), \"contoso.com\"))")
        .args(["--attrs", r#"{"givenName":"john","surname":"doe"}"#, "--existing", r#"["john@contoso.com"]"#])
        .assert()
        .success()
        .stdout("\"john.doe@contoso.com\"\n");
}

#[test]
fn cross_tenant_refuses_select_unique_value_with_exit_2() {
    expr("SelectUniqueValue([a], [b])")
        .args(["--attrs", r#"{"a":"x","b":"y"}"#, "--cross-tenant"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "isn't supported for cross-tenant synchronization",
        ));
}

#[test]
fn changed_attributes_show_the_switch_quirk() {
    expr("Switch([companyName], \"External\", \"Company A\", \"A\")")
        .args([
            "--attrs",
            r#"{"companyName":"Company A"}"#,
            "--changed",
            "displayName",
        ])
        .assert()
        .success()
        .stdout("null\n")
        .stderr(predicate::str::contains(
            "a null is written, clearing the target value",
        ));
    expr("Switch([companyName], \"External\", \"Company A\", \"A\")")
        .args([
            "--attrs",
            r#"{"companyName":"Company A"}"#,
            "--changed",
            "companyName,displayName",
        ])
        .assert()
        .success()
        .stdout("\"A\"\n");
}

#[test]
fn a_parse_error_exits_2_with_its_position() {
    expr("Join(\" \", [givenName]")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("expected ')' at 21"));
    expr("iif([a] = \"b\", \"c\", \"d\")")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown function 'iif'"));
}

#[test]
fn an_evaluation_error_exits_2_naming_the_function() {
    expr("FormatDateTime([d], , \"yyyy-MM-dd\", \"yyyyMMdd\")")
        .args(["--attrs", r#"{"d":"2026-13-01"}"#])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "FormatDateTime: cannot parse '2026-13-01' with format 'yyyy-MM-dd'",
        ));
}

#[test]
fn bad_attrs_and_now_exit_2() {
    expr("[a]")
        .args(["--attrs", "not json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--attrs"));
    expr("[a]")
        .args(["--attrs", r#"{"a":{"nested":1}}"#])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("attribute 'a'"));
    expr("Now()")
        .args(["--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
}

#[test]
fn help_lists_the_expr_command() {
    Command::cargo_bin("ctsync")
        .unwrap()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("expr"));
}
