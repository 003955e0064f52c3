//! The scenarios the playground ships with, embedded from the scenario library at build time: the
//! templates menu lists them, and the first one opens when the playground starts.

use ctsync_core::Scenario;

/// A built-in scenario: its menu label, a one-line summary and its JSON.
pub struct Template {
    pub id: &'static str,
    pub label: &'static str,
    pub summary: &'static str,
    pub json: &'static str,
}

/// The templates, in menu order. The first is the one the playground opens with.
pub const TEMPLATES: [Template; 5] = [
    Template {
        id: "production-test",
        label: "Production → test",
        summary: "One source, one target: a test tenant mirrors production users.",
        json: include_str!("../../scenarios/examples/production-test.json"),
    },
    Template {
        id: "application-hub",
        label: "Application hub (mergers & acquisitions)",
        summary: "Several acquired tenants sync their users into one hub that hosts the apps.",
        json: include_str!("../../scenarios/examples/application-hub.json"),
    },
    Template {
        id: "user-hub",
        label: "User hub",
        summary: "One hub provisions subsets of its users into four resource tenants.",
        json: include_str!("../../scenarios/examples/user-hub.json"),
    },
    Template {
        id: "mesh",
        label: "Mesh",
        summary: "Three tenants each sync their users into the two others.",
        json: include_str!("../../scenarios/examples/mesh.json"),
    },
    Template {
        id: "configure-example",
        label: "Configure example (Microsoft's article)",
        summary:
            "UserS1 and UserS3 of Marketing sync into the target; change a department and step.",
        json: include_str!("../../scenarios/examples/configure-example.json"),
    },
];

/// Loads a built-in template; each is checked by a test, so failing here is a build defect.
pub fn load(template: &Template) -> Result<Scenario, String> {
    Scenario::from_json(template.json).map_err(|e| e.to_string())
}

/// The scenario the playground opens with.
pub fn default_scenario() -> Result<Scenario, String> {
    load(&TEMPLATES[0])
}

#[cfg(test)]
mod tests {
    // The web crate builds only for wasm32: its tests run under wasm-bindgen-test-runner.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_template_loads() {
        for template in &super::TEMPLATES {
            let scenario = super::load(template).unwrap();
            assert!(!scenario.tenants.is_empty(), "{}", template.id);
        }
        let scenario = super::default_scenario().unwrap();
        assert_eq!(scenario.tenants.len(), 2);
        assert_eq!(scenario.jobs.len(), 1);
    }
}
