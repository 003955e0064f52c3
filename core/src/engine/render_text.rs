//! An event's JSON as text, written straight into a buffer. It is byte for byte the text of
//! [`Simulation::event_json`]'s value (serde_json's compact form, object keys in sorted order):
//! building that value first costs a map and a string per field, which for the tens of thousands
//! of creates of an initial cycle was many times the cost of the cycle itself. The provisioning
//! steps, a small part, still go through their value.

use serde::Serialize;

use super::attrs::AttrValue;
use super::event::{Event, ObjectEvent, SkipReason};
use super::render::{SOURCE_SYSTEM, TARGET_SYSTEM};
use super::Simulation;

impl Simulation {
    /// The JSON text of an event: what `event_json(event).to_string()` gives, faster.
    pub fn event_json_text(&self, event: &Event) -> String {
        match event {
            Event::Object(e) => self.object_event_json_text(e),
            _ => self.event_json(event).to_string(),
        }
    }

    fn object_event_json_text(&self, e: &ObjectEvent) -> String {
        let source = self.tenant(e.source_tenant);
        let target = self.tenant(e.target_tenant);
        let job = self.job(e.job);
        let mut w = JsonWriter(Vec::with_capacity(4096));
        // Keys in sorted order, as serde_json's map keeps them.
        w.raw("{");
        w.key("activityDateTime");
        w.string(&self.time_at(e.tick).to_rfc3339());
        w.key(",cycleId");
        w.string(&format!("{}-{}", job.config.id, e.job_cycle));
        w.key(",detail");
        w.opt_string(e.detail.as_deref());
        w.key(",effect");
        w.string(e.effect.as_str());
        w.key(",initiatedBy");
        w.raw(r#"{"displayName":"Azure AD Provisioning Service","initiatorType":"system"}"#);
        w.key(",jobCycle");
        w.value(&e.job_cycle);
        w.key(",jobId");
        w.string(&job.config.id);
        w.key(",mappingNotes");
        w.raw("[");
        for (i, n) in e.mapping_notes.iter().enumerate() {
            w.raw(if i == 0 { "{" } else { ",{" });
            w.key("attribute");
            w.string(self.names.name(n.attr));
            w.key(",note");
            w.string(&n.note);
            w.raw("}");
        }
        w.raw("]");
        w.key(",modifiedProperties");
        w.raw("[");
        for (i, m) in e.modified.iter().enumerate() {
            w.raw(if i == 0 { "{" } else { ",{" });
            w.key("displayName");
            w.string(self.names.name(m.attr));
            w.key(",newValue");
            w.shown(m.new.as_ref(), m.redacted);
            w.key(",oldValue");
            w.shown(m.old.as_ref(), m.redacted);
            w.raw("}");
        }
        w.raw("]");
        w.key(",onDemand");
        w.value(&e.on_demand);
        w.key(",provisioningAction");
        w.string(e.action.as_str());
        w.key(",provisioningStatusInfo");
        w.raw("{");
        w.key("errorInformation");
        match &e.error {
            None => w.raw("null"),
            Some(err) => {
                w.raw("{");
                w.key("errorCategory");
                w.string("nonServiceFailure");
                w.key(",errorCode");
                w.string(err.code.as_str());
                w.key(",reason");
                w.string(&err.message);
                w.key(",recommendedAction");
                w.raw("null}");
            }
        }
        w.key(",status");
        w.string(e.status.as_str());
        w.raw("}");
        w.key(",provisioningSteps");
        w.value(&self.steps(e));
        w.key(",servicePrincipal");
        w.raw("{");
        w.key("displayName");
        w.string(&self.job_display_name(e.job));
        w.raw("}");
        w.key(",skipReason");
        w.opt_string(e.skip_reason.map(SkipReason::as_str));
        w.key(",sourceIdentity");
        w.raw("{");
        w.key("details");
        w.raw("{");
        w.key("UserPrincipalName");
        w.string(&e.source_upn);
        w.raw("}");
        w.key(",displayName");
        w.string(&e.source_display_name);
        w.key(",id");
        w.string(&source.dir.user(e.source_user).object_id);
        w.key(",identityType");
        w.raw(r#""User"}"#);
        w.key(",sourceSystem");
        w.raw("{");
        w.key("displayName");
        w.string(SOURCE_SYSTEM);
        w.key(",tenant");
        w.string(&source.id);
        w.raw("}");
        w.key(",targetIdentity");
        w.raw("{");
        w.key("displayName");
        w.string(e.target_upn.as_deref().unwrap_or(""));
        w.key(",id");
        match e.target_user {
            Some(t) => w.string(&target.dir.user(t).object_id),
            None => w.string(""),
        }
        w.key(",identityType");
        w.raw(r#""User"}"#);
        w.key(",targetSystem");
        w.raw("{");
        w.key("displayName");
        w.string(TARGET_SYSTEM);
        w.key(",tenant");
        w.string(&target.id);
        w.raw("}");
        w.key(",tenantId");
        w.string(&target.tenant_id);
        w.key(",tick");
        w.value(&e.tick);
        w.key(",type");
        w.raw(r#""object"}"#);
        w.finish()
    }
}

/// Compact JSON text in a buffer.
struct JsonWriter(Vec<u8>);

impl JsonWriter {
    fn raw(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    /// An object key (with a leading comma when `key` starts with one) and its colon. Keys are
    /// plain ASCII names that need no escaping.
    fn key(&mut self, key: &str) {
        let (comma, name) = match key.strip_prefix(',') {
            Some(name) => (",", name),
            None => ("", key),
        };
        self.raw(comma);
        self.raw("\"");
        self.raw(name);
        self.raw("\":");
    }

    /// Any serializable value, as serde_json writes it (strings escaped the same way).
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Writing into a vector cannot fail, and these values have string keys only.
        let _ = serde_json::to_writer(&mut self.0, value);
    }

    fn string(&mut self, text: &str) {
        self.value(text);
    }

    fn opt_string(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.raw("null"),
        }
    }

    /// A modified property's value as the log shows it: `[Redact]`, the value, or null.
    fn shown(&mut self, value: Option<&AttrValue>, redacted: bool) {
        match (value, redacted) {
            (_, true) => self.string("[Redact]"),
            (Some(AttrValue::Str(s)), false) => self.string(s),
            (Some(v), false) => self.string(&v.to_string()),
            (None, false) => self.raw("null"),
        }
    }

    fn finish(self) -> String {
        // Only UTF-8 text was written: `raw` takes `str`, serde_json writes UTF-8.
        String::from_utf8(self.0).unwrap_or_default()
    }
}
