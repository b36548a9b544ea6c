//! 新規チケット発行 (seed 004 ⑤): the product first (equipment of the user's contracts,
//! which fills in model, serial number, OS version and contract number), then the form.
//! Staff record an inquiry received by phone or mail for a customer's account here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use madoguchi_types::accounts::AccountStatus;
use madoguchi_types::ids::{AccountId, OrganizationId};
use madoguchi_types::policy::Permission;
use madoguchi_types::tickets::{
    CC_MAX, OTHER_PRODUCT, TicketCategory, TicketChannel, TicketKind, TicketProduct, TicketRequest,
};
use madoguchi_types::validation::{Invalid, rules};

use super::super::contracts::options_of;
use crate::api::{self, accounts::AccountQuery};
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, OrganizationPicker, PageHeading,
    RequirePermission, SelectField, SubmitButton, TextAreaField, UploadList, Uploader, focus_by_id,
    ticket_category_label, ticket_channel_label, ticket_kind_label, use_toasts,
};
use crate::i18n::{catalogue::tickets as text, tr, use_i18n};

#[component]
pub fn NewTicketPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Tickets><NewTicket /></RequirePermission> }
}

/// The product a ticket is about: equipment of a contract, or "other".
#[derive(Debug, Clone, PartialEq)]
enum Chosen {
    Equipment(TicketProduct),
    Other,
}

#[component]
fn NewTicket() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = auth.can(Permission::ProviderOperations);
    let organization = RwSignal::new(String::new());
    let picker_errors = FieldErrors::new();
    let chosen = RwSignal::new(None::<Chosen>);
    let organization_id = move || organization.get().parse::<i64>().ok().map(OrganizationId);
    // Another organization, other products.
    Effect::watch(organization_id, move |_, _, _| chosen.set(None), false);
    let products = LocalResource::new(move || {
        let (lang, organization) = (i18n.lang(), organization_id());
        async move {
            match (staff, organization) {
                (true, None) => Ok(None),
                _ => api::tickets::products(auth, lang, organization).await.map(Some),
            }
        }
    });
    view! {
        <section>
            <PageHeading text=text::NEW_TITLE />
            <A href="/tickets" attr:class="back-link">{tr(text::BACK)}</A>
            {staff.then(|| view! {
                <p class="alert alert-info">{tr(text::STAFF_RECORD_NOTE)}</p>
                <div class="form"><OrganizationPicker selected=organization errors=picker_errors /></div>
            })}
            {move || match chosen.get() {
                None => view! {
                    <h2>{tr(text::STEP_PRODUCT)}</h2>
                    <Transition fallback=|| view! { <LoadingRows rows=3 /> }>
                        {move || Suspend::new(async move {
                            match products.await {
                                Ok(None) => ().into_any(),
                                Ok(Some(list)) => view! { <ProductChoice list chosen /> }.into_any(),
                                Err(error) => view! { <ErrorPanel error /> }.into_any(),
                            }
                        })}
                    </Transition>
                }.into_any(),
                Some(product) => view! {
                    <TicketForm product chosen organization=organization_id() />
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ProductChoice(list: Vec<TicketProduct>, chosen: RwSignal<Option<Chosen>>) -> impl IntoView {
    let empty = list.is_empty();
    view! {
        {empty.then(|| view! { <EmptyState text=text::NO_PRODUCTS /> })}
        <ul class="product-choice" data-testid="ticket-products">
            {list.into_iter().map(|product| {
                let details = [product.serial_number.as_str(), product.os_version.as_str(), product.contract_number.as_str()]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(" / ");
                let name = product.product.clone();
                view! {
                    <li>
                        <button type="button" class="product-button" on:click=move |_| {
                            chosen.set(Some(Chosen::Equipment(product.clone())));
                            focus_by_id("field-subject");
                        }>
                            <strong>{name}</strong>
                            <span class="small muted">{details}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
            <li>
                <button type="button" class="product-button" data-testid="other-product" on:click=move |_| {
                    chosen.set(Some(Chosen::Other));
                    focus_by_id("field-subject");
                }>
                    <strong>{tr(text::OTHER_PRODUCT)}</strong>
                </button>
            </li>
        </ul>
    }
}

#[component]
fn TicketForm(
    product: Chosen,
    chosen: RwSignal<Option<Chosen>>,
    organization: Option<OrganizationId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let staff = auth.can(Permission::ProviderOperations);
    let equipment = match &product {
        Chosen::Equipment(equipment) => Some(equipment.clone()),
        Chosen::Other => None,
    };
    let filled = |pick: fn(&TicketProduct) -> &String| {
        RwSignal::new(equipment.as_ref().map(|e| pick(e).clone()).unwrap_or_default())
    };
    let product_name = equipment
        .as_ref()
        .map_or_else(|| OTHER_PRODUCT.to_owned(), |e| e.product.clone());
    let contract_number = filled(|e| &e.contract_number);
    let serial_number = filled(|e| &e.serial_number);
    let model = filled(|e| &e.model);
    let os_version = filled(|e| &e.os_version);
    let kind = RwSignal::new(TicketKind::Inquiry.to_string());
    let (subject, cc, body) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let category = RwSignal::new(TicketCategory::TechnicalQuestion.to_string());
    let (reporter, channel) = (
        RwSignal::new(String::new()),
        RwSignal::new(TicketChannel::Phone.to_string()),
    );
    let files = UploadList::new();
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    // メール CC is checked as it is typed: a bad address is named at once.
    Effect::watch(
        move || cc.get(),
        move |cc, _, _| errors.recheck("cc", rules::address_list_shape(cc, CC_MAX)),
        false,
    );
    let reporters = LocalResource::new(move || {
        let lang = i18n.lang();
        async move {
            match (staff, organization) {
                (true, Some(organization)) => {
                    let query = AccountQuery {
                        organization: Some(organization),
                        status: Some(AccountStatus::Active),
                        page: 1,
                        per_page: 100,
                        ..AccountQuery::default()
                    };
                    api::accounts::accounts(auth, lang, &query)
                        .await
                        .map(|page| page.items)
                }
                _ => Ok(Vec::new()),
            }
        }
    });
    let reporter_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::CHOOSE_REPORTER.get(lang).to_owned()))
            .chain(
                reporters
                    .get()
                    .and_then(Result::ok)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|account| {
                        (
                            account.id.to_string(),
                            format!("{} ({})", account.full_name, account.login_id),
                        )
                    }),
            )
            .collect()
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        for (field, value) in [
            ("subject", subject),
            ("contract_number", contract_number),
            ("serial_number", serial_number),
            ("body", body),
        ] {
            errors.check(field, rules::required(&value.get_untracked()));
        }
        errors.check("cc", rules::address_list_shape(&cc.get_untracked(), CC_MAX));
        let unknown =
            |value: RwSignal<String>| value.get_untracked().trim() == madoguchi_types::tickets::UNKNOWN;
        if unknown(contract_number) && unknown(serial_number) {
            errors.check("contract_number", Err(Invalid::BothUnknown));
            errors.check("serial_number", Err(Invalid::BothUnknown));
        }
        let reporter_id = reporter.get_untracked().parse::<i64>().ok().map(AccountId);
        if staff {
            errors.check("reporter_id", reporter_id.map(|_| ()).ok_or(Invalid::Required));
        }
        if errors.blocked() || files.unfinished() {
            return;
        }
        let request = TicketRequest {
            kind: kind.get_untracked().parse().unwrap_or(TicketKind::Inquiry),
            product: product_name.clone(),
            subject: subject.get_untracked(),
            contract_number: contract_number.get_untracked(),
            serial_number: serial_number.get_untracked(),
            model: model.get_untracked(),
            os_version: os_version.get_untracked(),
            cc: cc.get_untracked(),
            category: category.get_untracked().parse().unwrap_or(TicketCategory::Other),
            body: body.get_untracked(),
            attachments: files.ids(),
            reporter_id,
            channel: staff.then(|| channel.get_untracked().parse().unwrap_or(TicketChannel::Phone)),
        };
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::tickets::create(auth, lang, &request).await {
                Ok(ticket) => {
                    files.clear();
                    toasts.success(text::created(lang, &ticket.summary.number));
                    navigate(&format!("/tickets/{}", ticket.summary.id), Default::default());
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let kind_choice = move |value: TicketKind| {
        let (id, label_for) = (format!("kind-{value}"), format!("kind-{value}"));
        view! {
            <label class="check" for=label_for>
                <input type="radio" name="kind" id=id value=value.to_string() data-testid=format!("kind-{value}")
                    prop:checked=move || kind.get() == value.to_string()
                    on:change=move |_| {
                        kind.set(value.to_string());
                        // An incident is most likely a fault: the category follows while untouched.
                        let untouched = [TicketCategory::TechnicalQuestion, TicketCategory::Fault]
                            .map(|category| category.to_string())
                            .contains(&category.get_untracked());
                        if untouched {
                            category.set(if value == TicketKind::Incident { TicketCategory::Fault } else { TicketCategory::TechnicalQuestion }.to_string());
                        }
                    } />
                <span>{tr(ticket_kind_label(value))}</span>
            </label>
        }
    };
    view! {
        <h2>{tr(text::STEP_FORM)}</h2>
        <p class="chosen-product" data-testid="chosen-product">
            <span class="muted">{tr(text::CHOSEN_PRODUCT)}": "</span>
            <strong>{match &product { Chosen::Equipment(e) => e.product.clone(), Chosen::Other => i18n.t(text::OTHER_PRODUCT).to_owned() }}</strong>" "
            <button type="button" class="link" on:click=move |_| chosen.set(None)>{tr(text::CHANGE_PRODUCT)}</button>
        </p>
        <form class="form wide-form" on:submit=submit novalidate data-testid="ticket-form">
            {staff.then(|| view! {
                <div class="form-grid">
                    <SelectField label=text::REPORTER name="reporter_id" value=reporter options=reporter_options errors required=true />
                    <SelectField label=text::CHANNEL name="channel" value=channel options=options_of(TicketChannel::ALL, ticket_channel_label, false) errors required=true />
                </div>
            })}
            <fieldset class="choices inline-choices">
                <legend>{tr(text::KIND)}</legend>
                {kind_choice(TicketKind::Inquiry)}
                {kind_choice(TicketKind::Incident)}
            </fieldset>
            <Field label=text::SUBJECT name="subject" value=subject errors required=true />
            <p class="small alert alert-info">{tr(text::BOTH_UNKNOWN_NOTE)}</p>
            <div class="form-grid">
                <Field label=text::CONTRACT_NUMBER name="contract_number" value=contract_number errors required=true hint=text::UNKNOWN_HINT />
                <Field label=text::SERIAL_NUMBER name="serial_number" value=serial_number errors required=true hint=text::UNKNOWN_HINT />
                <Field label=text::MODEL name="model" value=model errors />
                <Field label=text::OS_VERSION name="os_version" value=os_version errors />
            </div>
            <Field label=text::CC name="cc" value=cc errors hint=text::CC_HINT kind="text" inputmode="email" />
            <SelectField label=text::CATEGORY name="category" value=category options=options_of(TicketCategory::ALL, ticket_category_label, false) errors required=true />
            <TextAreaField label=text::BODY name="body" value=body errors rows=10 required=true />
            <Uploader files scope="ticket" />
            <FormError errors />
            <SubmitButton label=text::CREATE busy=Signal::derive(move || busy.get() || files.unfinished()) primary=true />
        </form>
    }
}
