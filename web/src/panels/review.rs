//! The design review: core's lint (`ctsync_core::lint::review`) of the state the page shows, and
//! what the timeline will do — findings by severity with their stable code (XTS0xx), the message,
//! the objects involved and the fix worded like the admin center. Clicking a finding selects its
//! first object on the canvas and in the inspector; the header shows the counts.

use ctsync_core::lint::{self, LintFinding, ObjectRef, Review, Severity};
use ctsync_core::scenario::UserRef;
use leptos::prelude::*;

use super::{decision_note, panel_header};
use crate::state::{Panel, Playground, RunState, Selection};
use crate::timer;

/// The review of the current state, shared by the header badge and the panel.
#[derive(Clone, Copy)]
pub struct CurrentReview(pub RwSignal<Review>);

/// How long the state must stay still before the review runs again: a step paints first, and
/// a burst of edits or steps costs one review (a 10,000-user design takes tens of milliseconds).
const REVIEW_DELAY_MS: u64 = 150;

/// Creates the review of the page's state and provides it as context. It follows every change,
/// once the state has been still for [`REVIEW_DELAY_MS`]; while playing or fast-forwarding it
/// waits for the run to stop.
pub fn provide() -> CurrentReview {
    let pg = Playground::get();
    let review = RwSignal::new(pg.with_untracked(|r| lint::review(r.view(), r.scenario())));
    let ticket = StoredValue::new(0u64);
    Effect::new(move |first: Option<()>| {
        pg.with(|_| ());
        let idle = matches!(pg.run.get(), RunState::Idle);
        if first.is_none() || !idle {
            return;
        }
        let mine = ticket.get_value() + 1;
        ticket.set_value(mine);
        timer::after(REVIEW_DELAY_MS, move || {
            if ticket.get_value() != mine || !matches!(pg.run.get_untracked(), RunState::Idle) {
                return;
            }
            review.set(pg.with_untracked(|r| lint::review(r.view(), r.scenario())));
        });
    });
    let current = CurrentReview(review);
    provide_context(current);
    current
}

/// Selects the object a finding names: a job or tenant as itself, a user or group in its tenant's
/// inspector.
pub fn select(pg: Playground, object: &ObjectRef) {
    let selection = match (object.kind, &object.tenant) {
        ("job", _) => Selection::Job(object.id.clone()),
        ("tenant", _) => Selection::Tenant(object.id.clone()),
        ("user", Some(t)) => Selection::User {
            tenant: t.clone(),
            user: UserRef::Local(object.id.clone()),
        },
        ("group", Some(t)) => Selection::Group {
            tenant: t.clone(),
            group: object.id.clone(),
        },
        (_, Some(t)) => Selection::Tenant(t.clone()),
        (_, None) => return,
    };
    pg.selection.set(selection);
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Note",
    }
}

fn object_label(o: &ObjectRef) -> String {
    match (&o.tenant, o.kind) {
        (Some(t), kind) => format!("{kind} {} ({t})", o.id),
        (None, kind) => format!("{kind} {}", o.id),
    }
}

/// The header button with the counts.
#[component]
pub fn ReviewButton() -> impl IntoView {
    let pg = Playground::get();
    let review = expect_context::<CurrentReview>().0;
    let counts = move || {
        review.with(|r| {
            (
                r.count(Severity::Error),
                r.count(Severity::Warning),
                r.count(Severity::Info),
            )
        })
    };
    let title = move || {
        let (e, w, n) = counts();
        format!("Design review: {e} errors, {w} warnings, {n} notes")
    };
    view! {
        <button class="header-btn" data-testid="review" title=title
            aria-pressed=move || (pg.panel.get() == Some(Panel::Review)).to_string()
            on:click=move |_| pg.panel.update(|p| *p = if *p == Some(Panel::Review) { None } else { Some(Panel::Review) })>
            "Review"
            {move || {
                let (e, w, _) = counts();
                view! {
                    {(e > 0).then(|| view! { <span class="count-badge error" data-testid="review-errors">{e}</span> })}
                    {(w > 0).then(|| view! { <span class="count-badge warning" data-testid="review-warnings">{w}</span> })}
                    {(e == 0 && w == 0).then(|| view! { <span class="count-badge ok" data-testid="review-ok">"✓"</span> })}
                }
            }}
        </button>
    }
}

#[component]
pub fn ReviewPanel() -> impl IntoView {
    let pg = Playground::get();
    let review = expect_context::<CurrentReview>().0;
    let findings = Memo::new(move |_| {
        let mut f: Vec<LintFinding> = review.with(|r| r.findings.clone());
        ctsync_core::sort::sort_by_key(&mut f, |x| severity_rank(x.severity));
        f
    });
    let summary = move || {
        review.with(|r| {
            let state = match r.after_tick {
                Some(t) => format!("after tick {t}"),
                None => "before the first sync cycle".to_string(),
            };
            format!(
                "{} errors · {} warnings · {} notes — the design {state}, and what its timeline will do.",
                r.count(Severity::Error),
                r.count(Severity::Warning),
                r.count(Severity::Info)
            )
        })
    };
    let selected = RwSignal::new(None::<usize>);
    view! {
        {panel_header("Design review", "Design review")}
        <div class="inspector-body panel-body" data-testid="review-panel">
            <p class="muted" data-testid="review-summary">{summary}</p>
            {move || {
                let list = findings.get();
                if list.is_empty() {
                    return view! { <p class="callout" data-testid="review-clean">"No findings: nothing in this design contradicts what Entra needs or does."</p> }.into_any();
                }
                view! {
                    <ul class="review-list">
                        {list.into_iter().enumerate().map(|(i, f)| {
                            let first = f.objects.first().cloned();
                            let severity = f.severity.as_str();
                            let pick = move || {
                                selected.set(Some(i));
                                if let Some(o) = &first { select(pg, o); }
                            };
                            let pick_key = pick.clone();
                            view! {
                                <li class=format!("review-finding severity-{severity}") data-testid="review-finding"
                                    data-code=f.code.code() data-severity=severity
                                    class:selected=move || selected.get() == Some(i)
                                    tabindex="0" role="button"
                                    aria-label=format!("{} {}: {}", severity_label(f.severity), f.code.code(), f.title)
                                    on:click=move |_| pick()
                                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); pick_key() }>
                                    <div class="finding-head">
                                        <span class=format!("severity-pill {severity}")>{severity_label(f.severity)}</span>
                                        <code class="reason-code">{f.code.code()}</code>
                                        <strong>{f.title}</strong>
                                    </div>
                                    <p class="finding-text">{f.message.clone()}</p>
                                    <p class="finding-fix"><span class="muted">"Fix: "</span>{f.fix.clone()}</p>
                                    {(!f.objects.is_empty()).then(|| view! {
                                        <p class="finding-objects">
                                            {f.objects.iter().map(|o| {
                                                let o2 = o.clone();
                                                view! {
                                                    <button class="btn small object-chip" data-testid="review-object" data-kind=o.kind data-id=o.id.clone()
                                                        on:click=move |ev| { ev.stop_propagation(); selected.set(Some(i)); select(pg, &o2); }>
                                                        {object_label(o)}
                                                    </button>
                                                }
                                            }).collect_view()}
                                        </p>
                                    })}
                                    {f.decision.map(decision_note)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}
