//! The organization picker of the staff's forms.

use leptos::prelude::*;

use super::{Field, FieldErrors, SelectField};
use crate::api;
use crate::auth::use_auth;
use crate::i18n::{catalogue::organizations as text, use_i18n};

/// Staff choose an organization (for a new account, contract, project): part of its
/// number or name narrows the list to choose from. The choice is the id as text.
#[component]
pub fn OrganizationPicker(
    selected: RwSignal<String>,
    errors: FieldErrors,
    /// A filter (no choice = every organization) rather than a required field.
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let search = RwSignal::new(String::new());
    let matches = LocalResource::new(move || {
        let (q, lang) = (search.get(), i18n.lang());
        async move { api::organizations::organizations(auth, lang, &q, 1, 50).await }
    });
    let found = move || {
        matches
            .get()
            .and_then(|result| result.ok())
            .map(|page| page.items)
            .unwrap_or_default()
    };
    // A choice that the narrowed list no longer shows is no choice.
    Effect::new(move |_| {
        let shown = found();
        let chosen = selected.get_untracked();
        if !chosen.is_empty()
            && !shown
                .iter()
                .any(|organization| organization.id.to_string() == chosen)
        {
            selected.set(String::new());
        }
    });
    let options = Signal::derive(move || {
        let lang = i18n.lang();
        let none = if optional {
            text::ALL_ORGANIZATIONS
        } else {
            text::CHOOSE
        };
        std::iter::once((String::new(), none.get(lang).to_owned()))
            .chain(found().into_iter().map(|organization| {
                (
                    organization.id.to_string(),
                    format!("{} {}", organization.customer_number, organization.name),
                )
            }))
            .collect()
    });
    view! {
        <Field scope="picker" label=text::PICKER_SEARCH name="organization_q" value=search errors hint=text::PICKER_HINT />
        <SelectField label=text::PICKER name="organization_id" value=selected options errors required=!optional />
    }
}
