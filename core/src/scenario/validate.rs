//! Scenario validation: rejects only what Entra itself would refuse (unknown ids, duplicates, a
//! version from the future), and names the exact path of the problem. Odd but legal designs pass.

use std::collections::BTreeSet;

use super::{Scenario, CURRENT_VERSION};

/// Why a scenario cannot be loaded. Each variant names where in the file the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "version {found} is newer than this ctsync understands (newest: {newest}); update ctsync"
    )]
    FutureVersion { found: u32, newest: u32 },
    #[error("{path}: duplicate id '{id}'")]
    DuplicateId { path: String, id: String },
    #[error("{path}: unknown tenant '{id}'")]
    UnknownTenant { path: String, id: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl ScenarioError {
    pub(crate) fn from_json(err: serde_json::Error) -> ScenarioError {
        ScenarioError::Json {
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        }
    }

    /// The path inside the scenario the error points at, when it points at one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ScenarioError::DuplicateId { path, .. }
            | ScenarioError::UnknownTenant { path, .. }
            | ScenarioError::Invalid { path, .. } => Some(path),
            ScenarioError::Json { .. } | ScenarioError::FutureVersion { .. } => None,
        }
    }
}

impl Scenario {
    /// Checks references and uniqueness; returns the first problem found, in file order.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.version > CURRENT_VERSION {
            return Err(ScenarioError::FutureVersion {
                found: self.version,
                newest: CURRENT_VERSION,
            });
        }
        if self.version == 0 {
            return Err(ScenarioError::Invalid {
                path: "version".into(),
                message: "version must be 1 or more".into(),
            });
        }
        let mut tenant_ids = BTreeSet::new();
        for (t, tenant) in self.tenants.iter().enumerate() {
            let path = format!("tenants[{t}]");
            require_id(&tenant.id, &format!("{path}.id"))?;
            if !tenant_ids.insert(tenant.id.as_str()) {
                return Err(ScenarioError::DuplicateId {
                    path: format!("{path}.id"),
                    id: tenant.id.clone(),
                });
            }
            let mut user_ids = BTreeSet::new();
            for (u, user) in tenant.users.iter().enumerate() {
                let upath = format!("{path}.users[{u}]");
                require_id(&user.id, &format!("{upath}.id"))?;
                if !user_ids.insert(user.id.as_str()) {
                    return Err(ScenarioError::DuplicateId {
                        path: format!("{upath}.id"),
                        id: user.id.clone(),
                    });
                }
                if !user.user_principal_name.contains('@') {
                    return Err(ScenarioError::Invalid {
                        path: format!("{upath}.userPrincipalName"),
                        message: format!(
                            "'{}' is not a user principal name (alias@domain)",
                            user.user_principal_name
                        ),
                    });
                }
            }
        }
        let mut job_ids = BTreeSet::new();
        for (j, job) in self.jobs.iter().enumerate() {
            let path = format!("jobs[{j}]");
            require_id(&job.id, &format!("{path}.id"))?;
            if !job_ids.insert(job.id.as_str()) {
                return Err(ScenarioError::DuplicateId {
                    path: format!("{path}.id"),
                    id: job.id.clone(),
                });
            }
            for (field, id) in [("source", &job.source), ("target", &job.target)] {
                if !tenant_ids.contains(id.as_str()) {
                    return Err(ScenarioError::UnknownTenant {
                        path: format!("{path}.{field}"),
                        id: id.clone(),
                    });
                }
            }
            if job.source == job.target {
                return Err(ScenarioError::Invalid {
                    path: format!("{path}.target"),
                    message: "a sync job's target must be another tenant than its source".into(),
                });
            }
        }
        Ok(())
    }
}

fn require_id(id: &str, path: &str) -> Result<(), ScenarioError> {
    if id.trim().is_empty() {
        return Err(ScenarioError::Invalid {
            path: path.into(),
            message: "id must not be empty".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use crate::Scenario;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn minimal(jobs: &str) -> String {
        format!(
            r#"{{"version":1,"name":"t","tenants":[
                {{"id":"a","displayName":"A","users":[{{"id":"u1","userPrincipalName":"u1@a.com"}}]}},
                {{"id":"b","displayName":"B"}}],"jobs":{jobs}}}"#
        )
    }

    #[test]
    fn accepts_a_job_between_two_tenants() {
        let s = Scenario::from_json(&minimal(r#"[{"id":"j","source":"a","target":"b"}]"#)).unwrap();
        assert_eq!(s.jobs.len(), 1);
    }

    #[test]
    fn unknown_tenant_names_the_path() {
        let err = Scenario::from_json(&minimal(r#"[{"id":"j","source":"a","target":"zz"}]"#))
            .unwrap_err();
        assert_eq!(err.to_string(), "jobs[0].target: unknown tenant 'zz'");
    }

    #[test]
    fn future_version_is_refused() {
        let text = minimal("[]").replace(r#""version":1"#, r#""version":99"#);
        let err = Scenario::from_json(&text).unwrap_err();
        assert!(err.to_string().starts_with("version 99 is newer"), "{err}");
    }

    #[test]
    fn bad_json_gives_line_and_column() {
        let err = Scenario::from_json("{\n  \"version\": 1,\n  oops }").unwrap_err();
        assert!(
            matches!(err, super::ScenarioError::Json { line: 3, .. }),
            "{err:?}"
        );
    }
}
