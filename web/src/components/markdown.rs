//! Markdown as the knowledge base writes it, rendered safely: raw HTML is shown as text,
//! links go only to http(s), mail or this site (others keep their text only), and images
//! become links (no request to a third party on opening an article).

use leptos::prelude::*;
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// Whether a link target is harmless: http(s), mailto, or a path / fragment of this site.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        // Not `//host` or `/\host`: browsers read both as another site.
        || (lower.starts_with('/') && !lower.starts_with("//") && !lower.starts_with("/\\"))
        || lower.starts_with('#')
}

/// Under the article's title (the page's `<h2>`): `#` and `##` both start at `<h3>`, so
/// that no level is skipped whichever the author began with.
fn demoted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The HTML of `markdown` without raw HTML or unsafe links; an unsafe link keeps only its
/// text, an image becomes a link named by its alt text (or its address).
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // Whether each open link or image was kept (its end is dropped with it).
    let mut open: Vec<bool> = Vec::new();
    // An image's link: its text so far, to name an image without alt text.
    let mut image: Option<(CowStr, usize)> = None;
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: demoted(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => events.push(Event::End(TagEnd::Heading(demoted(level)))),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kept = link_type == LinkType::Email || safe_url(&dest_url);
                open.push(kept);
                if kept {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, id, ..
            }) => {
                let kept = safe_url(&dest_url);
                open.push(kept);
                if kept {
                    image = Some((dest_url.clone(), events.len() + 1));
                    events.push(Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if open.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::End(TagEnd::Image) => {
                if open.pop().unwrap_or(false) {
                    if let Some((url, first)) = image.take()
                        && first == events.len()
                    {
                        events.push(Event::Text(url));
                    }
                    events.push(Event::End(TagEnd::Link));
                }
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// An article body.
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    view! { <div class="markdown" data-testid="article-body" inner_html=to_safe_html(&text)></div> }
}

/// `text` with every case-insensitive occurrence of a term in `<mark>`.
pub fn highlighted(text: &str, terms: &[String]) -> Vec<AnyView> {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let needles: Vec<Vec<char>> = terms
        .iter()
        .map(|term| {
            term.chars()
                .map(|c| c.to_lowercase().next().unwrap_or(c))
                .collect::<Vec<_>>()
        })
        .filter(|needle| !needle.is_empty())
        .collect();
    let mut parts = Vec::new();
    let (mut plain_from, mut at) = (0, 0);
    while at < chars.len() {
        let hit = needles
            .iter()
            .filter(|needle| folded[at..].starts_with(needle))
            .map(Vec::len)
            .max();
        match hit {
            Some(length) => {
                if plain_from < at {
                    parts.push(chars[plain_from..at].iter().collect::<String>().into_any());
                }
                let marked: String = chars[at..at + length].iter().collect();
                parts.push(view! { <mark>{marked}</mark> }.into_any());
                at += length;
                plain_from = at;
            }
            None => at += 1,
        }
    }
    if plain_from < chars.len() {
        parts.push(chars[plain_from..].iter().collect::<String>().into_any());
    }
    parts
}
