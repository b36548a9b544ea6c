//! CXサポートのお申し込み (seed 000 §1-4): STEP 1 the form with its errors inline, STEP 2
//! the entries to check, STEP 3 sent; 本登録 by the mailed link (§1-6); and the plans table
//! (§1-2) that both the form and the dashboard's plan card show.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use madoguchi_types::analytics::{
    AuthMethod, Industry, Plan, PlanChange, PlanFeature, PlanOffer, ReportKind, SignupRequest,
    SignupResponse, Subscription, an_shape, dn_shape, normalized_number, opid_shape, sales_code,
};
use madoguchi_types::policy::Permission;
use madoguchi_types::validation::rules;

use crate::api;
use crate::auth::use_auth;
use crate::components::{
    ErrorPanel, Field, FieldErrors, FormError, LinkConfirmation, LoadingRows, PageHeading, SelectField,
    use_toasts,
};
use crate::i18n::{Lang, Text, catalogue::signup as text, tr, use_i18n};

pub(crate) fn industry_label(industry: Industry) -> Text {
    match industry {
        Industry::Manufacturing => text::INDUSTRY_MANUFACTURING,
        Industry::Retail => text::INDUSTRY_RETAIL,
        Industry::Finance => text::INDUSTRY_FINANCE,
        Industry::Insurance => text::INDUSTRY_INSURANCE,
        Industry::Telecom => text::INDUSTRY_TELECOM,
        Industry::InformationTechnology => text::INDUSTRY_IT,
        Industry::Logistics => text::INDUSTRY_LOGISTICS,
        Industry::Travel => text::INDUSTRY_TRAVEL,
        Industry::Medical => text::INDUSTRY_MEDICAL,
        Industry::Education => text::INDUSTRY_EDUCATION,
        Industry::Public => text::INDUSTRY_PUBLIC,
        Industry::Services => text::INDUSTRY_SERVICES,
        Industry::Other => text::INDUSTRY_OTHER,
    }
}

fn feature_label(feature: PlanFeature) -> Text {
    match feature {
        PlanFeature::NumberGroups => text::NUMBER_GROUPS,
        PlanFeature::OwnData => text::OWN_DATA,
        PlanFeature::ChildIds => text::CHILD_IDS,
        PlanFeature::Downloads => text::DOWNLOADS,
    }
}

/// A phone number as the server checks it: hyphens dropped, then its shape.
fn phone_rule(value: &str) -> Result<(), madoguchi_types::validation::Invalid> {
    dn_shape(&normalized_number(value.trim()))
}

fn an_rule(value: &str) -> Result<(), madoguchi_types::validation::Invalid> {
    an_shape(&normalized_number(value.trim()))
}

#[derive(Clone, Copy)]
struct Form {
    contractor_name: RwSignal<String>,
    industry: RwSignal<String>,
    contact_phone: RwSignal<String>,
    opid: RwSignal<String>,
    an_number: RwSignal<String>,
    dn_number: RwSignal<String>,
    plan: RwSignal<String>,
    billing_phone: RwSignal<String>,
    billing_number: RwSignal<String>,
    department: RwSignal<String>,
    contact_person: RwSignal<String>,
    email: RwSignal<String>,
    email_confirmation: RwSignal<String>,
    password: RwSignal<String>,
    password_confirmation: RwSignal<String>,
    auth_method: RwSignal<String>,
    has_sales_code: RwSignal<String>,
    sales_code: RwSignal<String>,
}

impl Form {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            contractor_name: empty(),
            industry: RwSignal::new(Industry::Other.as_str().to_owned()),
            contact_phone: empty(),
            opid: empty(),
            an_number: empty(),
            dn_number: empty(),
            plan: RwSignal::new(Plan::Free.as_str().to_owned()),
            billing_phone: empty(),
            billing_number: empty(),
            department: empty(),
            contact_person: empty(),
            email: empty(),
            email_confirmation: empty(),
            password: empty(),
            password_confirmation: empty(),
            auth_method: RwSignal::new(AuthMethod::EmailOtp.as_str().to_owned()),
            has_sales_code: RwSignal::new("no".to_owned()),
            sales_code: empty(),
        }
    }

    fn plan(&self) -> Plan {
        self.plan.get_untracked().parse::<Plan>().unwrap_or(Plan::Free)
    }

    fn charged(&self) -> Signal<bool> {
        let plan = self.plan;
        Signal::derive(move || plan.get().parse::<Plan>().is_ok_and(|plan| plan.terms().charged))
    }

    fn has_sales_code(&self) -> bool {
        self.has_sales_code.get_untracked() == "yes"
    }

    /// The browser's checks, with the server's rules and messages (every field at once).
    fn check(&self, errors: FieldErrors) {
        let value = |signal: RwSignal<String>| signal.get_untracked();
        errors.check("contractor_name", rules::required(&value(self.contractor_name)));
        errors.check("contact_phone", phone_rule(&value(self.contact_phone)));
        errors.check("opid", opid_shape(value(self.opid).trim()));
        errors.check("an_number", an_rule(&value(self.an_number)));
        errors.check("dn_number", phone_rule(&value(self.dn_number)));
        if self.plan().terms().charged {
            errors.check("billing_phone", phone_rule(&value(self.billing_phone)));
            errors.check("billing_number", an_rule(&value(self.billing_number)));
        }
        errors.check("department", rules::required(&value(self.department)));
        errors.check("contact_person", rules::required(&value(self.contact_person)));
        errors.check("email", rules::email_shape(&value(self.email)));
        errors.check(
            "email_confirmation",
            rules::required(&value(self.email_confirmation)).and_then(|()| {
                rules::same(
                    &value(self.email).trim().to_ascii_lowercase(),
                    &value(self.email_confirmation).trim().to_ascii_lowercase(),
                )
            }),
        );
        errors.check("password", rules::password_shape(&value(self.password)));
        errors.check(
            "password_confirmation",
            rules::required(&value(self.password_confirmation))
                .and_then(|()| rules::same(&value(self.password), &value(self.password_confirmation))),
        );
        errors.check(
            "sales_code",
            sales_code(self.has_sales_code(), &value(self.sales_code)).map(|_| ()),
        );
    }

    fn request(&self) -> SignupRequest {
        let value = |signal: RwSignal<String>| signal.get_untracked();
        let charged = self.plan().terms().charged;
        SignupRequest {
            contractor_name: value(self.contractor_name),
            industry: value(self.industry)
                .parse::<Industry>()
                .unwrap_or(Industry::Other),
            contact_phone: value(self.contact_phone),
            opid: value(self.opid),
            an_number: value(self.an_number),
            dn_number: value(self.dn_number),
            plan: self.plan(),
            billing_phone: if charged {
                value(self.billing_phone)
            } else {
                String::new()
            },
            billing_number: if charged {
                value(self.billing_number)
            } else {
                String::new()
            },
            department: value(self.department),
            contact_person: value(self.contact_person),
            email: value(self.email),
            email_confirmation: value(self.email_confirmation),
            password: value(self.password),
            password_confirmation: value(self.password_confirmation),
            auth_method: AuthMethod::EmailOtp,
            has_sales_code: self.has_sales_code(),
            sales_code: if self.has_sales_code() {
                value(self.sales_code)
            } else {
                String::new()
            },
        }
    }

    /// STEP 2's rows: each entry as it will be sent (the password not shown).
    fn review(&self, lang: Lang) -> Vec<(Text, String)> {
        let value = |signal: RwSignal<String>| signal.get_untracked().trim().to_owned();
        let request = self.request();
        let mut rows = vec![
            (text::CONTRACTOR, value(self.contractor_name)),
            (
                text::INDUSTRY,
                industry_label(request.industry).get(lang).to_owned(),
            ),
            (text::CONTACT_PHONE, value(self.contact_phone)),
            (text::OPID, value(self.opid)),
            (text::AN_NUMBER, value(self.an_number)),
            (text::DN_NUMBER, value(self.dn_number)),
            (text::PLAN, request.plan.label(lang).to_owned()),
        ];
        if request.plan.terms().charged {
            rows.push((text::BILLING_PHONE, value(self.billing_phone)));
            rows.push((text::BILLING_NUMBER, value(self.billing_number)));
        }
        rows.extend([
            (text::DEPARTMENT, value(self.department)),
            (text::CONTACT_PERSON, value(self.contact_person)),
            (text::EMAIL, value(self.email)),
            (text::PASSWORD, text::MASKED.get(lang).to_owned()),
            (text::AUTH_METHOD, text::OTP.get(lang).to_owned()),
            (
                text::SALES_CODE,
                sales_code(request.has_sales_code, &request.sales_code).unwrap_or_default(),
            ),
        ]);
        rows
    }
}

/// Where the wizard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Form,
    Review,
    Sent,
}

#[component]
pub fn AnalyticsSignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new();
    let errors = FieldErrors::new();
    let step = RwSignal::new(Step::Form);
    let sent = RwSignal::new(None::<SignupResponse>);
    let busy = RwSignal::new(false);
    let review = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        form.check(errors);
        if errors.blocked() {
            return;
        }
        step.set(Step::Review);
        scroll_to_top();
    };
    let submit = move |_| {
        let (lang, request) = (i18n.lang_untracked(), form.request());
        busy.set(true);
        spawn_local(async move {
            match api::analytics::sign_up(lang, &request).await {
                Ok(response) => {
                    sent.set(Some(response));
                    step.set(Step::Sent);
                }
                Err(error) => {
                    // Back to the form, where each refused field shows why.
                    errors.server_said(error);
                    step.set(Step::Form);
                }
            }
            busy.set(false);
            scroll_to_top();
        });
    };
    let industries = Signal::derive(move || {
        let lang = i18n.lang();
        Industry::ALL
            .iter()
            .map(|industry| {
                (
                    industry.as_str().to_owned(),
                    industry_label(*industry).get(lang).to_owned(),
                )
            })
            .collect()
    });
    let plans = Signal::derive(move || {
        let lang = i18n.lang();
        Plan::ALL
            .iter()
            .map(|plan| (plan.as_str().to_owned(), plan.label(lang).to_owned()))
            .collect()
    });
    let auth_methods = Signal::derive(move || {
        vec![(
            AuthMethod::EmailOtp.as_str().to_owned(),
            i18n.t(text::OTP).to_owned(),
        )]
    });
    let sales_choices = Signal::derive(move || {
        vec![
            ("no".to_owned(), i18n.t(text::SALES_CODE_NONE).to_owned()),
            ("yes".to_owned(), i18n.t(text::SALES_CODE_GIVEN).to_owned()),
        ]
    });
    let charged = form.charged();
    let step_item = move |this: Step, label: Text| {
        view! {
            <li class:current=move || step.get() == this aria-current=move || (step.get() == this).then_some("step")>
                {tr(label)}
            </li>
        }
    };
    view! {
        <section class="narrow">
            <PageHeading text=text::TITLE />
            <ol class="steps" aria-label=move || i18n.t(text::STEPS) data-testid="signup-steps">
                {step_item(Step::Form, text::STEP_1)}
                {step_item(Step::Review, text::STEP_2)}
                {step_item(Step::Sent, text::STEP_3)}
            </ol>
            {move || match step.get() {
                Step::Form => view! {
                    <p class="muted">{tr(text::LEAD)}</p>
                    <form class="form" on:submit=review data-testid="signup-form" novalidate>
                        <Field label=text::CONTRACTOR name="contractor_name" value=form.contractor_name errors required=true autocomplete="organization" hint=text::CONTRACTOR_HINT />
                        <SelectField label=text::INDUSTRY name="industry" value=form.industry options=industries errors required=true />
                        <Field label=text::CONTACT_PHONE name="contact_phone" kind="tel" value=form.contact_phone errors required=true autocomplete="tel" />
                        <Field label=text::OPID name="opid" value=form.opid errors required=true hint=text::OPID_HINT />
                        <Field label=text::AN_NUMBER name="an_number" kind="tel" value=form.an_number errors required=true hint=text::AN_NUMBER_HINT />
                        <Field label=text::DN_NUMBER name="dn_number" kind="tel" value=form.dn_number errors required=true hint=text::DN_NUMBER_HINT />
                        <SelectField label=text::PLAN name="plan" value=form.plan options=plans errors required=true />
                        <p class="muted small">{tr(text::PLAN_HINT)}</p>
                        <Show when=move || charged.get()>
                            <Field label=text::BILLING_PHONE name="billing_phone" kind="tel" value=form.billing_phone errors required=true hint=text::BILLING_PHONE_HINT />
                            <Field label=text::BILLING_NUMBER name="billing_number" kind="tel" value=form.billing_number errors required=true hint=text::BILLING_NUMBER_HINT />
                        </Show>
                        <Field label=text::DEPARTMENT name="department" value=form.department errors required=true />
                        <Field label=text::CONTACT_PERSON name="contact_person" value=form.contact_person errors required=true autocomplete="name" />
                        <Field label=text::EMAIL name="email" kind="email" value=form.email errors required=true autocomplete="email" hint=text::EMAIL_HINT />
                        <Field label=text::EMAIL_AGAIN name="email_confirmation" kind="email" value=form.email_confirmation errors required=true autocomplete="email" />
                        <Field label=text::PASSWORD name="password" kind="password" value=form.password errors required=true autocomplete="new-password" hint=crate::i18n::catalogue::register::PASSWORD_HINT />
                        <Field label=text::PASSWORD_AGAIN name="password_confirmation" kind="password" value=form.password_confirmation errors required=true autocomplete="new-password" />
                        <SelectField label=text::AUTH_METHOD name="auth_method" value=form.auth_method options=auth_methods errors required=true />
                        <SelectField label=text::HAS_SALES_CODE name="has_sales_code" value=form.has_sales_code options=sales_choices errors required=true />
                        <p class="muted small">{tr(text::HAS_SALES_CODE_HINT)}</p>
                        <Show when=move || form.has_sales_code.get() == "yes">
                            <Field label=text::SALES_CODE name="sales_code" value=form.sales_code errors required=true hint=text::SALES_CODE_HINT />
                        </Show>
                        <FormError errors />
                        <button type="submit" class="button button-primary" data-testid="signup-next">{tr(text::NEXT)}</button>
                    </form>
                    <PlanComparison />
                }.into_any(),
                Step::Review => view! {
                    <p>{tr(text::CHECK_LEAD)}</p>
                    <dl class="review" data-testid="signup-review">
                        {move || form.review(i18n.lang()).into_iter().map(|(label, value)| view! {
                            <dt>{tr(label)}</dt>
                            <dd>{value}</dd>
                        }).collect_view()}
                    </dl>
                    <p class="actions">
                        <button type="button" class="button" data-testid="signup-back" on:click=move |_| step.set(Step::Form) disabled=move || busy.get()>{tr(text::BACK)}</button>
                        <button type="button" class="button button-primary" data-testid="signup-submit" on:click=submit disabled=move || busy.get() aria-busy=move || busy.get().to_string()>{tr(text::SUBMIT)}</button>
                    </p>
                }.into_any(),
                Step::Sent => view! {
                    <div class="alert alert-success" data-testid="signup-sent" role="status">
                        <p class="alert-title">{tr(text::SENT_TITLE)}</p>
                        <p>{move || text::sent_lead(i18n.lang(), &sent.get().map(|sent| sent.email).unwrap_or_default())}</p>
                    </div>
                    <p class="muted small">{tr(text::NOT_ARRIVED)}</p>
                }.into_any(),
            }}
        </section>
    }
}

fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// 本登録: the link from the (1/3) mail lands here; one click confirms (seed 000 §1-6) and
/// shows the CXサポートID.
#[component]
pub fn ConfirmAnalyticsSignupPage() -> impl IntoView {
    let (LinkConfirmation { outcome, busy }, confirm) = LinkConfirmation::new(|lang, token| async move {
        api::analytics::confirm_sign_up(lang, token)
            .await
            .map(|response| response.analytics_id)
    });
    view! {
        <section class="narrow">
            <PageHeading text=text::CONFIRM_TITLE />
            {move || match outcome.get() {
                Some(Ok(analytics_id)) => view! {
                    <div class="alert alert-success" data-testid="signup-confirmed" role="status">
                        <p class="alert-title">{tr(text::CONFIRMED)}</p>
                        <p>{tr(text::ANALYTICS_ID_IS)}<strong data-testid="analytics-id">{analytics_id}</strong></p>
                        <p>{tr(text::CONFIRMED_NEXT)}</p>
                    </div>
                    <p><A href="/login" attr:class="button button-primary" attr:data-testid="go-sign-in">{tr(text::GO_SIGN_IN)}</A></p>
                }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorPanel error />
                    <p>{tr(text::CONFIRM_FAILED_NEXT)}</p>
                    <p class="actions">
                        <A href="/login" attr:class="button" attr:data-testid="go-sign-in">{tr(text::GO_SIGN_IN)}</A>
                        <A href="/analytics/signup" attr:class="button">{tr(text::SIGN_UP_AGAIN)}</A>
                    </p>
                }.into_any(),
                None => view! {
                    <p>{tr(text::CONFIRM_LEAD)}</p>
                    <button type="button" class="button button-primary" data-testid="confirm-signup" on:click=confirm.clone() disabled=move || busy.get()>
                        {tr(text::CONFIRM)}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}

/// お申し込みプランによる提供機能の違い: the plans table from the server, one column per
/// plan.
#[component]
pub fn PlanComparison() -> impl IntoView {
    let i18n = use_i18n();
    let plans = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::analytics::plans(lang).await }
    });
    view! {
        <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
            {move || Suspend::new(async move {
                match plans.await {
                    Ok(list) => view! { <PlanTable plans=list.items /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PlanTable(plans: Vec<PlanOffer>) -> impl IntoView {
    let i18n = use_i18n();
    let plans = StoredValue::new(plans);
    let mark = move |yes: bool| {
        view! {
            <td class="center">
                {if yes { view! { <span aria-hidden="true">"○"</span><span class="sr-only">{tr(text::AVAILABLE)}</span> }.into_any() }
                 else { view! { <span aria-hidden="true">"—"</span><span class="sr-only">{tr(text::UNAVAILABLE)}</span> }.into_any() }}
            </td>
        }
    };
    let row = move |label: String, test: &dyn Fn(&PlanOffer) -> bool| {
        let cells: Vec<bool> = plans.with_value(|plans| plans.iter().map(test).collect());
        view! {
            <tr>
                <th scope="row">{label}</th>
                {cells.into_iter().map(mark).collect_view()}
            </tr>
        }
    };
    let text_row = move |label: Text, value: &dyn Fn(&PlanOffer, Lang) -> String| {
        let lang = i18n.lang();
        let cells: Vec<String> =
            plans.with_value(|plans| plans.iter().map(|plan| value(plan, lang)).collect());
        view! {
            <tr>
                <th scope="row">{tr(label)}</th>
                {cells.into_iter().map(|cell| view! { <td class="center">{cell}</td> }).collect_view()}
            </tr>
        }
    };
    view! {
        <div class="card table-wrap" data-testid="plan-comparison">
            <table class="table">
                <caption>{tr(text::PLANS_TITLE)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(text::FEATURE)}</th>
                        {move || plans.with_value(|plans| plans.iter().map(|plan| view! { <th scope="col" class="center">{plan.label.clone()}</th> }).collect_view())}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let lang = i18n.lang();
                        ReportKind::ALL
                            .iter()
                            .map(|report| row(report.title(lang).to_owned(), &|plan: &PlanOffer| plan.reports.contains(report)))
                            .collect_view()
                    }}
                    {move || {
                        let lang = i18n.lang();
                        PlanFeature::ALL
                            .iter()
                            .map(|feature| row(feature_label(*feature).get(lang).to_owned(), &|plan: &PlanOffer| plan.features.contains(feature)))
                            .collect_view()
                    }}
                    {move || text_row(text::AGGREGATES, &|plan, lang| text::months(lang, plan.aggregate_months))}
                    {move || text_row(text::DETAIL, &|plan, lang| text::months(lang, plan.detail_months))}
                </tbody>
            </table>
        </div>
    }
}

/// ご契約プラン: the subscription's plan beside the plans table and, for the subscriber's
/// user administrators, the change to the other plan (the billing fields a charged plan
/// needs, kept ones filled in). The data stays (seed 000 §1-1).
#[component]
pub fn PlanCard(subscription: Subscription, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let may_change = auth.can(Permission::AdministerAccounts);
    let current = subscription.plan;
    let target = Plan::ALL
        .iter()
        .copied()
        .find(|plan| *plan != current)
        .unwrap_or(current);
    let billing_phone = RwSignal::new(subscription.billing_phone.clone().unwrap_or_default());
    let billing_number = RwSignal::new(subscription.billing_number.clone().unwrap_or_default());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let id = subscription.id;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        if target.terms().charged {
            errors.check("billing_phone", phone_rule(&billing_phone.get_untracked()));
            errors.check("billing_number", an_rule(&billing_number.get_untracked()));
        }
        if errors.blocked() {
            return;
        }
        let change = PlanChange {
            plan: target,
            billing_phone: Some(billing_phone.get_untracked()),
            billing_number: Some(billing_number.get_untracked()),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::analytics::change_plan(auth, lang, id, &change).await {
                Ok(_) => {
                    toasts.success(i18n.t(text::CHANGED));
                    changed.run(());
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" data-testid="plan-card" aria-labelledby="plan-card-title">
            <h2 id="plan-card-title">{tr(text::PLAN_CARD)}</h2>
            <p data-testid="current-plan">{tr(text::CURRENT_PLAN)}<strong>{move || current.label(i18n.lang())}</strong></p>
            <PlanComparison />
            {(may_change && target != current).then(|| view! {
                <form class="form" on:submit=submit data-testid="plan-change" novalidate>
                    <p class="muted small">{tr(text::CHANGE_LEAD)}</p>
                    {target.terms().charged.then(|| view! {
                        <Field scope="plan" label=text::BILLING_PHONE name="billing_phone" kind="tel" value=billing_phone errors required=true hint=text::BILLING_PHONE_HINT />
                        <Field scope="plan" label=text::BILLING_NUMBER name="billing_number" kind="tel" value=billing_number errors required=true hint=text::BILLING_NUMBER_HINT />
                    })}
                    <FormError errors />
                    <button type="submit" class="button button-primary" data-testid="change-plan" disabled=move || busy.get()>
                        {move || format!("{} → {}", i18n.t(text::CHANGE_TO), target.label(i18n.lang()))}
                    </button>
                </form>
            })}
        </section>
    }
}
