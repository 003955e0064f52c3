//! Benchmark: one cross-tenant sync mapping set (the 23 default user mappings plus a few typical
//! expression mappings) evaluated for 100,000 users. Criterion reports the throughput in users per second
//! ("elem/s"). Run with `cargo bench -p ctsync-core --bench expr`.

// Criterion does not build for wasm32; there the benchmark is an empty program.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::BTreeMap;

    use chrono::{DateTime, Utc};
    use criterion::{criterion_group, Criterion, Throughput};
    use ctsync_core::expr::{self, EvalContext, Expression, Outcome, Purpose, Value};
    use ctsync_core::rng::SeededRng;

    /// Users evaluated per iteration.
    const USERS: usize = 100_000;
    /// Distinct generated users; the 100,000 evaluations cycle through them (keeps the benchmark's memory small).
    const DISTINCT_USERS: usize = 10_000;

    /// The default XTS user mappings (entra-semantics.md §3.5) and some typical admin expressions.
    const MAPPINGS: &[&str] = &[
        "AltSecIdFromNetId([netId])",
        "[IsSoftDeleted]",
        "[accountEnabled]",
        "[streetAddress]",
        "[city]",
        "[state]",
        "[postalCode]",
        "[country]",
        "[department]",
        "[employeeId]",
        "[displayName]",
        "[givenName]",
        "[jobTitle]",
        "[mailNickname]",
        "[physicalDeliveryOfficeName]",
        "[manager]",
        "[preferredLanguage]",
        "[surname]",
        "[telephoneNumber]",
        "[userPrincipalName]",
        "\"true\"",
        "[mail]",
        "\"Member\"",
        "Join(\" \", [givenName], [surname])",
        "Switch([country], \"Other\", \"US\", \"United States\", \"NL\", \"Netherlands\", \"DE\", \"Germany\")",
        "Replace([mail], \"@contoso.com\", , , \"@fabrikam.com\", , )",
        "Replace([telephoneNumber], , \"[()\\\\s-]+\", , \"\", , )",
        "IIF([department] = \"Sales\", \"Revenue\", [department])",
        "ToLower(Join(\".\", NormalizeDiacritics([givenName]), NormalizeDiacritics([surname])))",
        "FormatDateTime([employeeHireDate], , \"yyyy-MM-ddTHH:mm:ssK\", \"M/d/yyyy\")",
    ];

    fn user(index: usize) -> BTreeMap<String, Value> {
        let given = ["Zoë", "John", "Ana", "Łukasz", "Mia", "Noah"][index % 6];
        let surname = ["Doe", "Müller", "García", "Smith", "Øster"][index % 5];
        let country = ["US", "NL", "DE", "FR"][index % 4];
        let department = ["Sales", "Engineering", "Finance"][index % 3];
        let mut attrs = BTreeMap::new();
        let mut set = |name: &str, value: Value| {
            attrs.insert(name.to_string(), value);
        };
        set("netId", Value::from(format!("1003{index:012X}")));
        set("IsSoftDeleted", Value::from("False"));
        set("accountEnabled", Value::Boolean(!index.is_multiple_of(17)));
        set(
            "streetAddress",
            Value::from(format!("{} Main Street", index % 900 + 1)),
        );
        set("city", Value::from("Redmond"));
        set("state", Value::from("WA"));
        set("postalCode", Value::from("98052"));
        set("country", Value::from(country));
        set("department", Value::from(department));
        set("employeeId", Value::from(format!("E{index:06}")));
        set("displayName", Value::from(format!("{given} {surname}")));
        set("givenName", Value::from(given));
        set("surname", Value::from(surname));
        set("jobTitle", Value::from("Engineer"));
        set("mailNickname", Value::from(format!("user{index}")));
        set(
            "userPrincipalName",
            Value::from(format!("user{index}@contoso.com")),
        );
        set("mail", Value::from(format!("user{index}@contoso.com")));
        set(
            "telephoneNumber",
            Value::from(format!("+1 (425) 555-{:04}", index % 10_000)),
        );
        set("preferredLanguage", Value::from("en-US"));
        set(
            "employeeHireDate",
            Value::from(format!(
                "20{:02}-0{}-1{}T08:00:00Z",
                index % 25,
                index % 9 + 1,
                index % 9
            )),
        );
        if index.is_multiple_of(3) {
            set(
                "manager",
                Value::from(format!("user{}@contoso.com", index / 3)),
            );
        }
        attrs
    }

    fn evaluate_all(
        mappings: &[Expression],
        users: &[BTreeMap<String, Value>],
        now: DateTime<Utc>,
    ) -> usize {
        let mut rng = SeededRng::new(1);
        let mut flowed = 0;
        for index in 0..USERS {
            let attrs = &users[index % users.len()];
            let mut context = EvalContext {
                now,
                rng: &mut rng,
                changed_attributes: None,
                existing_values: &[],
                purpose: Purpose::CrossTenantMapping,
            };
            for mapping in mappings {
                if let Ok(Outcome::Flow(_)) = expr::evaluate(mapping, attrs, &mut context) {
                    flowed += 1;
                }
            }
        }
        flowed
    }

    fn mapping_set(c: &mut Criterion) {
        let mappings: Vec<Expression> = MAPPINGS
            .iter()
            .map(|m| expr::parse(m).expect("mapping parses"))
            .collect();
        let users: Vec<BTreeMap<String, Value>> = (0..DISTINCT_USERS).map(user).collect();
        let now: DateTime<Utc> = "2026-01-05T08:00:00Z".parse().expect("valid time");
        // Every user gets most mappings; a sanity check that the benchmark measures real work.
        assert!(evaluate_all(&mappings, &users, now) > USERS * (MAPPINGS.len() - 2));
        let mut group = c.benchmark_group("expr");
        group.sample_size(10);
        group.throughput(Throughput::Elements(USERS as u64));
        group.bench_function("xts_default_mappings_plus_7_expressions_100k_users", |b| {
            b.iter(|| evaluate_all(&mappings, &users, now))
        });
        group.finish();
    }

    criterion_group!(benches, mapping_set);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
