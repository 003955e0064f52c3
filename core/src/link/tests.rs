//! Unit tests of the link codec: views, every error a link can produce, and the bounds. They run
//! natively and in wasm32; the property tests at the end run natively only.

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SMALL: &str = r#"{"version":1,"name":"Small","tenants":[
    {"id":"contoso","displayName":"Contoso","verifiedDomains":["contoso.com"],
     "users":[{"id":"adele-vance","userPrincipalName":"adele.vance@contoso.com","displayName":"Adele Vance",
               "givenName":"Adele","surname":"Vance","mail":"adele.vance@contoso.com"}]},
    {"id":"fabrikam","displayName":"Fabrikam"}],
  "jobs":[{"id":"contoso-to-fabrikam","source":"contoso","target":"fabrikam","state":"started","scope":"all"}]}"#;

fn small() -> Scenario {
    Scenario::from_json(SMALL).unwrap()
}

/// A link of the current version whose compact JSON is `payload`, as a forger would make one.
fn link_with_payload(payload: &str) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(payload.as_bytes(), 6);
    format!("{CURRENT_VERSION}.{}", base64url::encode(&deflated))
}

fn error_of(link: &str) -> LinkError {
    decode(link).expect_err("the link must not decode")
}

#[test]
fn a_scenario_and_its_view_round_trip() {
    let scenario = small();
    let views = [
        ViewState::default(),
        ViewState {
            tick: 7,
            selection: None,
        },
        ViewState {
            tick: 0,
            selection: Some(Selection::Tenant("fabrikam".into())),
        },
        ViewState {
            tick: 3,
            selection: Some(Selection::Job("contoso-to-fabrikam".into())),
        },
        ViewState {
            tick: MAX_TICKS,
            selection: Some(Selection::User {
                tenant: "fabrikam".into(),
                user: UserRef::parse("contoso/adele-vance"),
            }),
        },
    ];
    for view in views {
        let link = encode(&scenario, &view);
        assert!(link.starts_with(&format!("{CURRENT_VERSION}.")), "{link}");
        assert_eq!(decode(&link).unwrap(), (scenario.clone(), view));
    }
}

#[test]
fn a_link_opens_from_a_url_a_fragment_or_the_bare_payload() {
    let link = encode(&small(), &ViewState::default());
    for text in [
        link.clone(),
        format!("#{link}"),
        format!("https://example.org/ctsync/#{link}"),
        format!("  http://localhost:8080/?x=1#{link}\n"),
    ] {
        assert_eq!(decode(&text).unwrap().0, small(), "{text}");
    }
}

#[test]
fn the_same_scenario_gives_the_same_link() {
    let a = encode(&small(), &ViewState::default());
    let b = encode(
        &Scenario::from_json(&small().to_json_pretty()).unwrap(),
        &ViewState::default(),
    );
    assert_eq!(a, b);
}

#[test]
fn links_are_only_base64url_after_the_prefix() {
    let link = encode(&small(), &ViewState::default());
    let (prefix, data) = link.split_once('.').unwrap();
    assert_eq!(prefix, CURRENT_VERSION.to_string());
    assert!(data
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
}

#[test]
fn empty_and_prefixless_links_are_refused() {
    assert_eq!(error_of(""), LinkError::Empty);
    assert_eq!(error_of("  https://example.org/#  "), LinkError::Empty);
    for text in [
        "hello",
        "x.AAAA",
        ".AAAA",
        "1a.AAAA",
        "-1.AAAA",
        "https://example.org/",
    ] {
        assert_eq!(error_of(text), LinkError::BadPrefix, "{text}");
    }
}

#[test]
fn unknown_versions_are_refused_with_the_newest_known() {
    let next = CURRENT_VERSION + 1;
    assert_eq!(
        error_of(&format!("{next}.AAAA")),
        LinkError::UnknownVersion {
            found: u64::from(next),
            newest: CURRENT_VERSION
        }
    );
    assert_eq!(
        error_of("0.AAAA"),
        LinkError::UnknownVersion {
            found: 0,
            newest: CURRENT_VERSION
        }
    );
    assert_eq!(
        error_of("123456789012345678901234567890.AAAA"),
        LinkError::UnknownVersion {
            found: u64::MAX,
            newest: CURRENT_VERSION
        }
    );
    assert_eq!(
        error_of(&format!("{next}.AAAA")).to_string(),
        format!("the link has format version {next}, which this ctsync does not read (versions 1 to {CURRENT_VERSION}); a newer ctsync may have made it")
    );
}

#[test]
fn a_bad_character_is_reported_at_its_position_in_what_was_given() {
    assert_eq!(
        error_of("1.AB+C"),
        LinkError::NotBase64Url {
            position: 5,
            character: '+'
        }
    );
    // Positions count from the start of the URL, in characters.
    assert_eq!(
        error_of("https://é.org/#1.AB/C"),
        LinkError::NotBase64Url {
            position: 20,
            character: '/'
        }
    );
    assert_eq!(
        error_of("1.AB C").to_string(),
        "the link is not base64url at position 5: ' ' (positions count characters from 1)"
    );
}

#[test]
fn a_cut_link_is_truncated() {
    let link = encode(&small(), &ViewState::default());
    for cut in [link.len() / 2, link.len() - 5, 3] {
        let err = error_of(&link[..cut]);
        assert_eq!(err, LinkError::Truncated, "cut at {cut}");
    }
    assert_eq!(error_of("1."), LinkError::Truncated);
    assert_eq!(error_of("1.A"), LinkError::Truncated);
}

#[test]
fn altered_data_is_corrupt() {
    // 0xff…: a deflate block of the reserved type 3.
    assert_eq!(error_of("1.____"), LinkError::Corrupt);
}

#[test]
fn an_overlong_link_is_refused_before_it_is_read() {
    let text = format!("1.{}", "A".repeat(MAX_LINK_BYTES));
    assert_eq!(
        error_of(&text),
        LinkError::TooLong {
            length: MAX_LINK_BYTES + 2,
            limit: MAX_LINK_BYTES
        }
    );
}

#[test]
fn a_decompression_bomb_stops_at_the_cap() {
    let bomb = vec![b' '; MAX_INFLATED_BYTES + 1];
    let deflated = miniz_oxide::deflate::compress_to_vec(&bomb, 10);
    let link = format!("1.{}", base64url::encode(&deflated));
    assert!(link.len() < MAX_LINK_BYTES, "the bomb fits in a link");
    assert_eq!(
        error_of(&link),
        LinkError::TooLarge {
            limit: MAX_INFLATED_BYTES
        }
    );
}

#[test]
fn derived_attributes_cannot_inflate_past_the_budget() {
    // A 200,000-character domain and 1,000 users whose mail, UPN and more are all derived from it.
    let domain = format!("{}.com", "d".repeat(200_000));
    let users = vec!["a.b"; 1000].join("|");
    let payload = format!(
        r#"[{{"K":"x","O":[{{"a":"t","b":"T","z":["{domain}"],"D":{{"f":"{users}"}}}}]}}]"#
    );
    let link = link_with_payload(&payload);
    assert!(link.len() < MAX_LINK_BYTES);
    assert_eq!(
        error_of(&link),
        LinkError::TooLarge {
            limit: MAX_EXPANSION_BYTES
        }
    );
}

#[test]
fn stored_limits_read_what_a_link_may_not_hold_and_still_stop_a_bomb() {
    let text = format!("1.{}", "A".repeat(MAX_LINK_BYTES));
    // Past the link's cap, the stored limits read the text (and find it is no deflate data).
    assert!(matches!(
        decode_with(&text, &STORED_LIMITS),
        Err(LinkError::Truncated | LinkError::Corrupt)
    ));
    let tight = Limits {
        text_bytes: 1000,
        inflated_bytes: 10,
        expansion_bytes: 10,
    };
    let link = encode(&small(), &ViewState::default());
    assert_eq!(
        decode_with(&link, &tight).unwrap_err(),
        LinkError::TooLarge { limit: 10 }
    );
    assert_eq!(decode_with(&link, &STORED_LIMITS).unwrap().0, small());
}

#[test]
fn the_content_hash_follows_the_content_only() {
    let a = small();
    assert_eq!(content_hash(&a), content_hash(&small()));
    assert_eq!(
        content_hash(&a),
        content_hash(&decode(&encode(&a, &ViewState::default())).unwrap().0)
    );
    // Frozen: hashes kept in browser storage must keep matching the scenarios they were taken of.
    assert_eq!(content_hash(&a), "a2701d486f0f6185");
    let mut b = small();
    b.name = "Small too".into();
    assert_ne!(content_hash(&a), content_hash(&b));
    let hash = content_hash(&a);
    assert_eq!(hash.len(), 16);
    assert!(hash.bytes().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn malformed_content_says_what_is_wrong() {
    let cases = [
        ("not json", "the link's content is malformed: not JSON (expected ident at line 1 column 2)"),
        ("{}", "the link's content is malformed: expected a list of the scenario and, optionally, the view"),
        ("[1]", "the link's content is malformed: the scenario is not an object"),
        (r#"[{"K":"~zz"}]"#, "the link's content is malformed: '~zz' is not a value code of this version"),
        (
            r#"[{"K":"x","O":[{"a":"t","b":"T","D":{"f":"a|b","a":["x"]}}]}]"#,
            "the link's content is malformed: tenants[0].users.userPrincipalName: 2 cells where the other columns have 1",
        ),
        (
            r#"[{"K":"x","O":[{"a":"t","b":"T","D":{"f":"a|b","w":[null,7]}}]}]"#,
            "the link's content is malformed: tenants[0].users[1].manager: 7 is not the index of a user",
        ),
        (
            r#"[{"K":"x","O":[{"a":"t","b":"T","D":{"f":"a|b"},"U":[{"a":"g","b":"G","R":[2]}]}]}]"#,
            "the link's content is malformed: tenants[0].groups[0].members: 2 is not the index of a user",
        ),
        (
            r#"[{"K":"x","O":[{"a":"t","b":"T","D":{"f":"a","b":[{"~q":1}]}}]}]"#,
            "the link's content is malformed: tenants[0].users[0].displayName: unexpected {\"q\":1}",
        ),
        (
            r#"[{"K":"x","O":[{"a":"t","b":"T","D":{"f":"a","b":7}}]}]"#,
            "the link's content is malformed: tenants[0].users.displayName: expected a column, found 7",
        ),
        (
            r#"[{"K":"x","O":[{"a":"t"}],"P":[{"q":"t","C":"t","b":true}]}]"#,
            "the link's content is malformed: jobs[0].displayName: the target tenant has no display name to repeat",
        ),
        (
            r#"[{"K":"x","O":[{"a":"t","b":"T","D":{}}]}]"#,
            "the link's content is malformed: tenants[0].users: users without attributes",
        ),
    ];
    for (payload, message) in cases {
        assert_eq!(
            error_of(&link_with_payload(payload)).to_string(),
            message,
            "{payload}"
        );
    }
}

#[test]
fn an_invalid_scenario_names_the_path_in_the_expanded_document() {
    // Two users whose ids are both derived as `a-b`.
    let payload = r#"[{"K":"x","O":[{"a":"t","b":"T","D":{"f":"a.b|a.b"}}]}]"#;
    let err = error_of(&link_with_payload(payload));
    assert_eq!(
        err.to_string(),
        "the link's scenario is invalid: tenants[0].users[1].id: duplicate id 'a-b'"
    );
    let payload = r#"[{"K":"x","O":[{"a":"t","b":"T","colour":"red"}]}]"#;
    assert_eq!(
        error_of(&link_with_payload(payload)).to_string(),
        "the link's scenario is invalid: tenants[0].colour: unknown field `colour`, expected one of `id`, `displayName`, `tenantId`, `initialDomain`, `verifiedDomains`, `cloud`, `microsoftCloudSettings`, `crossTenantAccess`, `allowInvitesFrom`, `users`, `groups`, `downstreamApps`"
    );
}

#[test]
fn an_invalid_view_is_refused() {
    let payload = r#"[{"K":"x","O":[{"a":"t","b":"T"}]},{"t":99999}]"#;
    assert_eq!(
        error_of(&link_with_payload(payload)).to_string(),
        format!("the link's view is invalid: tick 99999 is beyond the limit of {MAX_TICKS}")
    );
    let payload = r#"[{"K":"x","O":[{"a":"t","b":"T"}]},{"zoom":2}]"#;
    assert!(error_of(&link_with_payload(payload))
        .to_string()
        .starts_with("the link's view is invalid: unknown field `zoom`"));
}

#[test]
fn the_compact_shape_is_what_the_format_documents() {
    // docs/scenario-format.md describes this payload; keep the two in step.
    let link = encode(&small(), &ViewState::default());
    let deflated = base64url::decode(link.split_once('.').unwrap().1).unwrap();
    let inflated = miniz_oxide::inflate::decompress_to_vec(&deflated).unwrap();
    assert_eq!(
        String::from_utf8(inflated).unwrap(),
        r#"[{"K":"Small","O":[{"D":{"f":"adele.vance","o":[false]},"a":"contoso","b":"Contoso","z":["contoso.com"]},{"a":"fabrikam","b":"Fabrikam"}],"P":[{"C":"fabrikam","ac":"~m","e":"~c","q":"contoso"}]}]"#
    );
}

#[test]
fn links_and_file_names_are_told_apart() {
    let link = encode(&small(), &ViewState::default());
    assert!(looks_like_link(&link));
    assert!(looks_like_link(&format!("#{link}")));
    assert!(looks_like_link("https://example.org/#1.AAAA"));
    assert!(!looks_like_link("scenarios/examples/user-hub.json"));
    assert!(!looks_like_link("1.json"));
    assert!(!looks_like_link("v1.AAAAAAAAAAAAAAAAAAAA"));
}

#[test]
fn every_error_is_one_lowercase_sentence() {
    let errors = [
        LinkError::Empty,
        LinkError::TooLong {
            length: 1,
            limit: 1,
        },
        LinkError::BadPrefix,
        LinkError::UnknownVersion {
            found: 9,
            newest: 1,
        },
        LinkError::NotBase64Url {
            position: 1,
            character: '!',
        },
        LinkError::Truncated,
        LinkError::Corrupt,
        LinkError::TooLarge { limit: 1 },
        LinkError::Malformed("x".into()),
        LinkError::InvalidView("x".into()),
    ];
    for e in errors {
        let text = e.to_string();
        assert!(text.starts_with("the link"), "{text}");
        assert!(!text.ends_with('.'), "{text}");
    }
}

/// Property tests: the compact shape is a bijection on every user and job the model can hold, and
/// no input makes `decode` panic.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Strings from an alphabet rich in the characters the compact rules treat specially.
    fn tricky() -> impl Strategy<Value = String> {
        prop::string::string_regex("[a.b@|~ A9-]{0,6}").unwrap()
    }

    fn maybe<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
        prop::option::weighted(0.7, s)
    }

    /// A user as a JSON object; some attributes are built to match what the rules derive.
    fn user(domain: String) -> impl Strategy<Value = Value> {
        (
            tricky(),
            prop::bool::ANY,
            maybe(tricky()),
            maybe(tricky()),
            maybe(tricky()),
            maybe(tricky()),
            maybe(prop::string::string_regex("[0-9]{1,3}").unwrap()),
            maybe(tricky()),
            prop::bool::ANY,
            0..4usize,
        )
            .prop_map(
                move |(
                    alias,
                    on_domain,
                    given,
                    surname,
                    mail,
                    display,
                    employee,
                    dept,
                    derived,
                    which,
                )| {
                    let upn = if on_domain {
                        format!("{alias}@{domain}")
                    } else {
                        alias.clone()
                    };
                    let mut user = Map::new();
                    user.insert("userPrincipalName".into(), Value::from(upn.clone()));
                    let id = if derived {
                        alias.replace('.', "-")
                    } else {
                        format!("{alias}{which}")
                    };
                    user.insert("id".into(), Value::from(id));
                    let mut set = |k: &str, v: Option<String>| {
                        if let Some(v) = v {
                            user.insert(k.into(), Value::from(v));
                        }
                    };
                    set("givenName", given);
                    set("surname", surname);
                    set("mail", if derived { Some(upn) } else { mail });
                    set("displayName", display);
                    set("employeeId", employee);
                    set("department", dept);
                    Value::Object(user)
                },
            )
    }

    fn document() -> impl Strategy<Value = Map<String, Value>> {
        let domain = prop::sample::select(vec!["contoso.com", "a.b", "x|y", "~t"]);
        domain
            .prop_flat_map(|domain| {
                (
                    prop::collection::vec(user(domain.to_string()), 1..6),
                    Just(domain),
                    prop::collection::vec(maybe(0..8usize), 0..6),
                    prop::collection::vec(tricky(), 0..3),
                    maybe(prop_oneof![Just("U".to_string()), tricky()]),
                )
            })
            .prop_map(|(mut users, domain, managers, extra_members, job_name)| {
                let ids: Vec<Value> = users.iter().map(|u| u["id"].clone()).collect();
                for (user, manager) in users.iter_mut().zip(managers) {
                    if let Some(m) = manager {
                        let value = ids
                            .get(m)
                            .cloned()
                            .unwrap_or_else(|| Value::from(format!("m{m}")));
                        user.as_object_mut()
                            .unwrap()
                            .insert("manager".into(), value);
                    }
                }
                let mut members = ids.clone();
                members.extend(extra_members.into_iter().map(Value::from));
                let mut job = serde_json::json!({"source": "t", "target": "u", "id": "t-to-u"});
                if let Some(name) = job_name {
                    job["displayName"] = Value::from(name);
                }
                serde_json::from_value(serde_json::json!({
                    "name": "p",
                    "tenants": [
                        {"id": "t", "displayName": "T", "verifiedDomains": [domain], "users": users,
                         "groups": [{"id": "g", "displayName": "G", "members": members}]},
                        {"id": "u", "displayName": "U"}
                    ],
                    "jobs": [job]
                }))
                .unwrap()
            })
    }

    /// `default` cases, or `PROPTEST_CASES` for a longer run.
    fn cases(default: u32) -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default);
        ProptestConfig::with_cases(cases)
    }

    proptest! {
        #![proptest_config(cases(2000))]

        /// compact → code → JSON text → parse → decode → expand gives back the document exactly.
        #[test]
        fn the_compact_shape_round_trips(document in document()) {
            let coder = dictionary::Coder::new(&v1::DICTIONARY);
            let text = serde_json::to_string(&coder.encode(Value::Object(v1::compact(document.clone())))).unwrap();
            let mut budget = Budget::new(MAX_EXPANSION_BYTES);
            let parsed: Value = serde_json::from_str(&text).unwrap();
            let Value::Object(decoded) = coder.decode(parsed, &mut budget).unwrap() else { panic!() };
            let expanded = v1::expand(decoded, &mut budget).unwrap();
            prop_assert_eq!(expanded, document);
        }

    }

    proptest! {
        #![proptest_config(cases(10_000))]

        /// Arbitrary text never makes decode panic.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = decode(&text);
        }

        /// Arbitrary text after a valid prefix never makes decode panic.
        #[test]
        fn arbitrary_base64url_never_panics(text in "1\\.[A-Za-z0-9_-]{0,300}") {
            let _ = decode(&text);
        }
    }

    proptest! {
        #![proptest_config(cases(3000))]

        /// Arbitrary JSON inside a well-formed link never makes decode panic: this reaches the
        /// dictionary and the compact rules, which random text rarely does.
        #[test]
        fn arbitrary_payloads_never_panic(payload in payload()) {
            let _ = decode(&link_with_payload(&payload));
        }
    }

    proptest! {
        #![proptest_config(cases(3000))]

        /// Valid links with characters replaced, inserted, deleted or cut never make decode panic.
        #[test]
        fn mutated_links_never_panic(
            which in 0..2usize,
            edits in prop::collection::vec((0..4u8, any::<usize>(), prop::char::range('+', 'z')), 1..4),
        ) {
            let link = if which == 0 { small_link() } else { hub_link() };
            let mut chars: Vec<char> = link.chars().collect();
            for (op, at, c) in edits {
                let at = at % (chars.len() + 1);
                match op {
                    0 if at < chars.len() => chars[at] = c,
                    1 => chars.insert(at, c),
                    2 if at < chars.len() => { chars.remove(at); }
                    _ => chars.truncate(at),
                }
            }
            let mutated: String = chars.into_iter().collect();
            let _ = decode(&mutated);
        }
    }

    fn small_link() -> String {
        encode(
            &small(),
            &ViewState {
                tick: 2,
                selection: Some(Selection::Tenant("contoso".into())),
            },
        )
    }

    fn hub_link() -> String {
        let hub =
            Scenario::from_json(include_str!("../../../scenarios/examples/user-hub.json")).unwrap();
        encode(&hub, &ViewState::default())
    }

    /// JSON texts shaped like compact scenarios, with random keys (codes among them), values and
    /// cells in the places the rules read.
    fn payload() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (0u64..70).prop_map(Value::from),
            prop::string::string_regex("[a-dD-H|~.@0-9]{0,8}")
                .unwrap()
                .prop_map(Value::from),
        ];
        let value = leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec![
                        "a", "b", "f", "w", "e", "s", "D", "U", "R", "z", "O", "P", "K", "C", "q",
                        "zz", "~a"
                    ]),
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(
                    m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                )),
            ]
        });
        value.prop_map(|v| {
            // Most payloads get the outer shape right, so that the inner rules run.
            let wrapped = match v {
                Value::Object(mut m) => {
                    m.insert("K".into(), Value::from("x"));
                    serde_json::json!([m])
                }
                other => other,
            };
            wrapped.to_string()
        })
    }
}
