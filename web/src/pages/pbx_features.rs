//! 特番・プッシュ音設定 (SPEC §8.3, seed 003 §5.2, §5.4, §5.5): the hold code with what it
//! does after a transfer connects, the dial-confirm code, the push-tone erase setting and
//! send code — each conflict with another number the PBX dials explained while the user
//! types (the server's check, so that extension numbers count too) — and the forwarding
//! overview (留守番・各種転送設定確認, seed 003 FAQ).

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::features::{
    CodeConflict, FeatureCodes, FeatureCodesUpdate, ForwardingEntry, hold_code_shape, special_code_shape,
};
use madoguchi_types::ids::SiteId;

use super::pbx::SiteFrame;
use crate::api::{self, ApiError};
use crate::auth::{sleep_ms, use_auth};
use crate::components::{
    CheckField, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, Pager, SelectField,
    SubmitButton, choices, focus_first_error, use_toasts,
};
use crate::i18n::{catalogue::features as text, tr, use_i18n};

#[component]
pub fn PbxFeaturesPage() -> impl IntoView {
    view! { <SiteFrame title=text::TITLE intro=text::INTRO body=|site| view! { <FeatureCodesForm site /> } /> }
}

#[component]
pub fn PbxForwardingPage() -> impl IntoView {
    view! { <SiteFrame title=text::FORWARDING_TITLE intro=text::FORWARDING_INTRO body=|site| view! { <Forwarding site /> } /> }
}

/// The change the form holds: every field, an empty code meaning "delete".
fn update_of(fields: &Fields) -> FeatureCodesUpdate {
    FeatureCodesUpdate {
        hold_code: Some(fields.hold_code.get_untracked().trim().to_owned()),
        hold_after_transfer: fields.hold_after_transfer.get_untracked().parse().ok(),
        dial_confirm_code: Some(fields.dial_confirm_code.get_untracked().trim().to_owned()),
        push_tone_send_code: Some(fields.push_tone_send_code.get_untracked().trim().to_owned()),
        push_tone_erase: fields.push_tone_erase.get_untracked().parse().ok(),
    }
}

#[derive(Clone, Copy)]
struct Fields {
    hold_code: RwSignal<String>,
    hold_after_transfer: RwSignal<String>,
    dial_confirm_code: RwSignal<String>,
    push_tone_send_code: RwSignal<String>,
    push_tone_erase: RwSignal<String>,
}

impl Fields {
    fn new() -> Self {
        Self {
            hold_code: RwSignal::new(String::new()),
            hold_after_transfer: RwSignal::new(String::new()),
            dial_confirm_code: RwSignal::new(String::new()),
            push_tone_send_code: RwSignal::new(String::new()),
            push_tone_erase: RwSignal::new(String::new()),
        }
    }

    fn show(&self, codes: &FeatureCodes) {
        self.hold_code.set(codes.hold_code.clone().unwrap_or_default());
        self.hold_after_transfer
            .set(codes.hold_after_transfer.to_string());
        self.dial_confirm_code
            .set(codes.dial_confirm_code.clone().unwrap_or_default());
        self.push_tone_send_code
            .set(codes.push_tone_send_code.clone().unwrap_or_default());
        self.push_tone_erase.set(codes.push_tone_erase.to_string());
    }

    /// The codes' own rules, checked here first (the server checks them again).
    fn check_shapes(&self, errors: FieldErrors) {
        for (field, value, rule) in [
            ("hold_code", self.hold_code, hold_code_shape as fn(&str) -> _),
            ("dial_confirm_code", self.dial_confirm_code, special_code_shape),
            (
                "push_tone_send_code",
                self.push_tone_send_code,
                special_code_shape,
            ),
        ] {
            let value = value.get_untracked();
            let value = value.trim();
            errors.recheck(field, if value.is_empty() { Ok(()) } else { rule(value) });
        }
    }
}

#[component]
fn FeatureCodesForm(site: SiteId) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let fields = Fields::new();
    let loaded = RwSignal::new(None::<FeatureCodes>);
    let failure = RwSignal::new(None::<ApiError>);
    let conflicts = RwSignal::new(Vec::<CodeConflict>::new());
    let warnings = RwSignal::new(Vec::<madoguchi_types::FieldError>::new());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    // Each edit starts a check; only the last one's answer is shown.
    let generation = StoredValue::new(0_u64);
    spawn_local(async move {
        match api::groups::feature_codes(auth, i18n.lang_untracked(), site).await {
            Ok(codes) => {
                fields.show(&codes);
                warnings.set(codes.warnings.clone());
                loaded.set(Some(codes));
            }
            Err(error) => failure.set(Some(error)),
        }
    });
    Effect::new(move |_| {
        let typed = (
            fields.hold_code.get(),
            fields.dial_confirm_code.get(),
            fields.push_tone_send_code.get(),
        );
        if loaded.with_untracked(Option::is_none) {
            return;
        }
        let _ = typed;
        fields.check_shapes(errors);
        generation.update_value(|value| *value += 1);
        let mine = generation.get_value();
        if errors.blocked() {
            conflicts.set(Vec::new());
            return;
        }
        let update = update_of(&fields);
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            sleep_ms(300).await;
            if generation.get_value() != mine {
                return;
            }
            if let Ok(check) = api::groups::check_feature_codes(auth, lang, site, &update).await
                && generation.get_value() == mine
            {
                conflicts.set(check.conflicts);
                warnings.set(check.warnings);
            }
        });
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        fields.check_shapes(errors);
        if errors.blocked() {
            focus_first_error();
            return;
        }
        let lang = i18n.lang_untracked();
        let update = update_of(&fields);
        busy.set(true);
        spawn_local(async move {
            match api::groups::change_feature_codes(auth, lang, site, &update).await {
                Ok(codes) => {
                    fields.show(&codes);
                    warnings.set(codes.warnings.clone());
                    conflicts.set(Vec::new());
                    loaded.set(Some(codes));
                    toasts.success(text::saved(lang));
                }
                Err(failure) => {
                    if let ApiError::Problem(problem) = &failure {
                        conflicts.set(problem.conflicts.clone());
                    }
                    errors.server_said(failure);
                    focus_first_error();
                }
            }
            busy.set(false);
        });
    };
    let conflicts_of = move |field: &'static str| {
        move || {
            conflicts
                .get()
                .into_iter()
                .filter(|conflict| conflict.field == field)
                .map(|conflict| view! { <li>{conflict.message}</li> })
                .collect_view()
        }
    };
    view! {
        {move || failure.get().map(|error| view! { <ErrorPanel error /> })}
        {move || loaded.get().map(|codes| view! {
            <div class="card wide" data-testid="dialled-numbers">
                <h2>{tr(text::OTHERS_TITLE)}</h2>
                <dl class="facts">
                    <dt>{tr(text::PARK_HOLD)}</dt><dd>{codes.park_hold_code.clone()}</dd>
                    <dt>{tr(text::SITE_NUMBER)}</dt><dd>{codes.site_number.clone()}</dd>
                    <dt>{tr(text::GATEWAYS)}</dt><dd>{codes.gateway_ids.join(", ")}</dd>
                </dl>
                <p class="muted small">{tr(text::OTHERS_HINT)}</p>
            </div>
        })}
        <form class="card wide form" on:submit=submit novalidate data-testid="feature-codes">
            <fieldset>
                <legend>{tr(text::HOLD_TITLE)}</legend>
                <Field label=text::HOLD_CODE name="hold_code" value=fields.hold_code errors hint=text::HOLD_HINT />
                <ul class="conflicts" aria-live="polite" data-testid="conflicts-hold_code">{conflicts_of("hold_code")}</ul>
                {move || warnings.get().into_iter().map(|warning| view! {
                    <p class="status-warning small" data-testid="hold-warning">{warning.message}</p>
                }).collect_view()}
                <SelectField label=text::AFTER_TRANSFER name="hold_after_transfer" value=fields.hold_after_transfer options=choices(text::AFTER_TRANSFER_CHOICES) errors />
            </fieldset>
            <fieldset>
                <legend>{tr(text::DIAL_CONFIRM_TITLE)}</legend>
                <Field label=text::DIAL_CONFIRM_CODE name="dial_confirm_code" value=fields.dial_confirm_code errors hint=text::SPECIAL_HINT />
                <ul class="conflicts" aria-live="polite" data-testid="conflicts-dial_confirm_code">{conflicts_of("dial_confirm_code")}</ul>
            </fieldset>
            <fieldset>
                <legend>{tr(text::PUSH_TONE_TITLE)}</legend>
                <p class="muted small">{tr(text::PUSH_TONE_HINT)}</p>
                <SelectField label=text::PUSH_TONE_ERASE name="push_tone_erase" value=fields.push_tone_erase options=choices(text::ERASE_CHOICES) errors />
                <Field label=text::PUSH_TONE_SEND name="push_tone_send_code" value=fields.push_tone_send_code errors hint=text::SPECIAL_HINT />
                <ul class="conflicts" aria-live="polite" data-testid="conflicts-push_tone_send_code">{conflicts_of("push_tone_send_code")}</ul>
            </fieldset>
            <p class="muted small">{tr(text::EMPTY_DELETES)}</p>
            <FormError errors />
            <SubmitButton label=text::SAVE busy=busy.into() primary=true />
        </form>
    }
}

const PER_PAGE: i64 = 50;

#[component]
fn Forwarding(site: SiteId) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let search = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let forwarded = RwSignal::new(false);
    let page = RwSignal::new(1_i64);
    let errors = FieldErrors::new();
    let list = LocalResource::new(move || {
        let (lang, query, only, page) = (i18n.lang(), applied.get(), forwarded.get(), page.get());
        async move { api::groups::forwarding(auth, lang, site, (&query, only), page, PER_PAGE).await }
    });
    let total = Signal::derive(move || list.get().and_then(Result::ok).map_or(0, |page| page.total));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(search.get_untracked());
    };
    Effect::new(move |_| {
        forwarded.track();
        page.set(1);
    });
    view! {
        <div class="card wide" data-testid="forwarding">
            <form class="filters" role="search" on:submit=submit>
                <Field scope="forwarding" label=text::SEARCH_LABEL name="q" value=search errors inputmode="numeric" />
                <CheckField scope="forwarding" label=text::FORWARDED_ONLY name="forwarded" checked=forwarded errors />
                <button type="submit" class="button button-primary">{tr(text::SHOW)}</button>
            </form>
            <p class="muted" aria-live="polite" data-testid="forwarding-count">{move || text::found(i18n.lang(), total.get())}</p>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE /> }.into_any(),
                        Ok(found) => view! { <ForwardingTable list=found.items /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
        </div>
    }
}

#[component]
fn ForwardingTable(list: Vec<ForwardingEntry>) -> impl IntoView {
    let i18n = use_i18n();
    // The seed's screen shows "-" for a forwarding that is off.
    let shown = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
    view! {
        <table class="table responsive" data-testid="forwarding-table">
            <thead><tr>
                <th scope="col">{tr(text::NUMBER)}</th>
                <th scope="col">{tr(text::MOBILE)}</th>
                <th scope="col">{tr(text::ALWAYS)}</th>
                <th scope="col">{tr(text::BUSY)}</th>
                <th scope="col">{tr(text::NO_ANSWER)}</th>
                <th scope="col">{tr(text::UNREACHABLE)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|entry| {
                    let forwarding = entry.forwarding;
                    let no_answer = match (forwarding.no_answer, forwarding.no_answer_seconds) {
                        (Some(number), Some(seconds)) => text::after_seconds(i18n.lang_untracked(), &number, seconds),
                        (number, _) => shown(number),
                    };
                    view! {
                        <tr data-testid=format!("forwarding-{}", entry.number)>
                            <td data-label=move || i18n.t(text::NUMBER)><strong>{entry.number.clone()}</strong></td>
                            <td data-label=move || i18n.t(text::MOBILE)>{shown(entry.mobile_number.clone())}</td>
                            <td data-label=move || i18n.t(text::ALWAYS)>{shown(forwarding.always)}</td>
                            <td data-label=move || i18n.t(text::BUSY)>{shown(forwarding.busy)}</td>
                            <td data-label=move || i18n.t(text::NO_ANSWER)>{no_answer}</td>
                            <td data-label=move || i18n.t(text::UNREACHABLE)>{shown(forwarding.unreachable)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
