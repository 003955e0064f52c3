//! The About panel: what ctsync is, and `docs/decisions.md` — every place where ctsync had to
//! choose how Entra behaves — rendered from the file embedded at build time by a small Markdown
//! reader that knows the file's shapes (headings, paragraphs, tables, lists, `code`, **bold**).

use leptos::prelude::*;

use crate::modal::Modal;

/// `docs/decisions.md`, as core embeds it (its explanations quote the same rows).
const DECISIONS: &str = ctsync_core::decisions::DECISIONS_MD;

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(usize, String),
    Paragraph(String),
    List(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
}

/// Splits a table row `| a | b |` into its cells.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Reads the Markdown subset `docs/decisions.md` uses.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(rest) = t.strip_prefix('#') {
            let level = 1 + rest.chars().take_while(|c| *c == '#').count();
            blocks.push(Block::Heading(
                level,
                rest.trim_start_matches('#').trim().to_string(),
            ));
        } else if t.starts_with('|') {
            let header = cells(t);
            let mut rows = Vec::new();
            while let Some(next) = lines.peek() {
                if !next.trim().starts_with('|') {
                    break;
                }
                let next = lines.next().unwrap_or_default();
                if !is_separator(next) {
                    rows.push(cells(next));
                }
            }
            blocks.push(Block::Table(header, rows));
        } else if t.starts_with("- ") || t.starts_with("* ") {
            let mut items = vec![t[2..].to_string()];
            while let Some(next) = lines.peek() {
                let n = next.trim();
                if n.starts_with("- ") || n.starts_with("* ") {
                    items.push(n[2..].to_string());
                    lines.next();
                } else if !n.is_empty() && next.starts_with("  ") {
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(n);
                    }
                    lines.next();
                } else {
                    break;
                }
            }
            blocks.push(Block::List(items));
        } else {
            let mut text = t.to_string();
            while let Some(next) = lines.peek() {
                let n = next.trim();
                if n.is_empty() || n.starts_with('#') || n.starts_with('|') || n.starts_with("- ") {
                    break;
                }
                text.push(' ');
                text.push_str(n);
                lines.next();
            }
            blocks.push(Block::Paragraph(text));
        }
    }
    blocks
}

/// Inline spans: plain text, `code` and **bold**.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Code(String),
    Bold(String),
}

pub fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let code = rest.find('`');
        let bold = rest.find("**");
        match (code, bold) {
            (Some(c), b) if b.is_none_or(|b| c < b) => {
                if let Some(end) = rest[c + 1..].find('`') {
                    out.push(Span::Text(rest[..c].to_string()));
                    out.push(Span::Code(rest[c + 1..c + 1 + end].to_string()));
                    rest = &rest[c + 2 + end..];
                    continue;
                }
                out.push(Span::Text(rest.to_string()));
                break;
            }
            (_, Some(b)) => {
                if let Some(end) = rest[b + 2..].find("**") {
                    out.push(Span::Text(rest[..b].to_string()));
                    out.push(Span::Bold(rest[b + 2..b + 2 + end].to_string()));
                    rest = &rest[b + 4 + end..];
                    continue;
                }
                out.push(Span::Text(rest.to_string()));
                break;
            }
            _ => {
                out.push(Span::Text(rest.to_string()));
                break;
            }
        }
    }
    out.retain(|s| !matches!(s, Span::Text(t) if t.is_empty()));
    out
}

fn inline(text: &str) -> impl IntoView {
    spans(text)
        .into_iter()
        .map(|s| match s {
            Span::Text(t) => view! { <span>{t}</span> }.into_any(),
            Span::Code(t) => view! { <code>{t}</code> }.into_any(),
            Span::Bold(t) => view! { <strong>{t}</strong> }.into_any(),
        })
        .collect_view()
}

#[component]
pub fn AboutDialog(open: RwSignal<bool>) -> impl IntoView {
    let blocks = parse(DECISIONS);
    view! {
        <Modal close=Callback::new(move |()| open.set(false)) labelledby="about-title" testid="about-dialog"
            class="modal about" close_on_backdrop=true>
                <div class="modal-header">
                    <h2 id="about-title">"About ctsync"</h2>
                    <button class="btn icon-only" aria-label="Close" autofocus on:click=move |_| open.set(false)>"×"</button>
                </div>
                <div class="about-body">
                    <p>"ctsync simulates Microsoft Entra ID cross-tenant synchronization in your browser: no tenant, no sign-in, nothing leaves the page. Time moves in ticks of 40 minutes, Entra's sync interval. The simulation follows Microsoft's documentation; where it had to choose, the choice is listed below."</p>
                    {blocks.into_iter().map(|b| match b {
                        Block::Heading(1, t) => view! { <h2>{inline(&t)}</h2> }.into_any(),
                        Block::Heading(2, t) => view! { <h3>{inline(&t)}</h3> }.into_any(),
                        Block::Heading(_, t) => view! { <h4>{inline(&t)}</h4> }.into_any(),
                        Block::Paragraph(t) => view! { <p>{inline(&t)}</p> }.into_any(),
                        Block::List(items) => view! { <ul>{items.into_iter().map(|i| view! { <li>{inline(&i)}</li> }).collect_view()}</ul> }.into_any(),
                        Block::Table(header, rows) => view! {
                            <table class="doc-table">
                                <thead><tr>{header.into_iter().map(|h| view! { <th>{inline(&h)}</th> }).collect_view()}</tr></thead>
                                <tbody>{rows.into_iter().map(|r| view! {
                                    <tr>{r.into_iter().map(|c| view! { <td>{inline(&c)}</td> }).collect_view()}</tr>
                                }).collect_view()}</tbody>
                            </table>
                        }.into_any(),
                    }).collect_view()}
                </div>
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn reads_headings_tables_and_paragraphs() {
        let blocks = parse(
            "# Title\n\nSome `code` and\nmore.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n- y\n",
        );
        assert_eq!(
            blocks,
            [
                Block::Heading(1, "Title".into()),
                Block::Paragraph("Some `code` and more.".into()),
                Block::Table(
                    vec!["a".into(), "b".into()],
                    vec![vec!["1".into(), "2".into()]]
                ),
                Block::List(vec!["x".into(), "y".into()]),
            ]
        );
    }

    #[test]
    fn reads_inline_code_and_bold() {
        assert_eq!(
            spans("a `b` **c** d"),
            [
                Span::Text("a ".into()),
                Span::Code("b".into()),
                Span::Text(" ".into()),
                Span::Bold("c".into()),
                Span::Text(" d".into()),
            ]
        );
    }

    #[test]
    fn the_decisions_page_has_its_tables() {
        let blocks = parse(DECISIONS);
        assert!(
            blocks
                .iter()
                .filter(|b| matches!(b, Block::Table(..)))
                .count()
                >= 5
        );
    }
}
