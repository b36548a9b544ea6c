//! ナレッジ (seed 001, the Solution DataBase): search by keywords (any part of a word) and
//! category, matches highlighted; an article rendered from Markdown with its attachments.
//! Staff write, edit and delete articles and attach files.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use madoguchi_types::ids::{ArticleId, SeriesId};
use madoguchi_types::knowledge::{Article, ArticleCategory, ArticleRequest, ArticleSummary};
use madoguchi_types::policy::Permission;
use madoguchi_types::validation::{Invalid, rules};

use super::documents::{save_as, size};
use super::format_time;
use crate::api::{self, products::ArticleQuery};
use crate::auth::use_auth;
use crate::components::{
    CheckField, ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, Markdown,
    PageHeading, Pager, RequireSignIn, SelectField, SubmitButton, TextAreaField, category_label, highlighted,
    use_toasts,
};
use crate::i18n::{catalogue::knowledge as text, tr, use_i18n};

const PER_PAGE: i64 = 20;

#[component]
pub fn KnowledgePage() -> impl IntoView {
    view! { <RequireSignIn><KnowledgeSearch /></RequireSignIn> }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    view! { <RequireSignIn><ArticleView /></RequireSignIn> }
}

#[component]
pub fn NewArticlePage() -> impl IntoView {
    let navigate = use_navigate();
    view! {
        <RequireSignIn>
            <section>
                <PageHeading text=text::NEW_TITLE />
                <A href="/knowledge" attr:class="back-link">{tr(text::BACK)}</A>
                <ArticleForm article=None saved=Callback::new({
                    let navigate = navigate.clone();
                    move |article: Article| navigate(&format!("/knowledge/{}", article.id), Default::default())
                }) />
            </section>
        </RequireSignIn>
    }
}

fn category_options(any: bool) -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let lang = i18n.lang();
        any.then(|| (String::new(), text::ANY.get(lang).to_owned()))
            .into_iter()
            .chain(ArticleCategory::ALL.iter().map(|category| {
                (
                    category.to_string(),
                    category_label(*category).get(lang).to_owned(),
                )
            }))
            .collect()
    })
}

/// The search's terms as the server splits them (any white space, full-width included).
fn terms(q: &str) -> Vec<String> {
    q.split(char::is_whitespace)
        .filter(|term| !term.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
fn KnowledgeSearch() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    // `?series=` from a product page narrows the search to that series.
    let series = move || {
        query.with(|query| {
            query
                .get("series")
                .and_then(|id| id.parse::<i64>().ok())
                .map(SeriesId)
        })
    };
    let (q, category) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let applied = RwSignal::new(ArticleQuery::default());
    let page = RwSignal::new(1_i64);
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(ArticleQuery {
            q: q.get_untracked(),
            category: category.get_untracked().parse().ok(),
            ..ArticleQuery::default()
        });
    };
    let articles = LocalResource::new(move || {
        let query = ArticleQuery {
            series: series(),
            page: page.get(),
            per_page: PER_PAGE,
            ..applied.get()
        };
        let lang = i18n.lang();
        async move { api::products::articles(auth, lang, &query).await }
    });
    let total = Signal::derive(move || articles.get().and_then(Result::ok).map(|page| page.total));
    let pager_total = Signal::derive(move || total.get().unwrap_or(0));
    let errors = FieldErrors::new();
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <p class="muted">{tr(text::INTRO)}</p>
            {auth.can(Permission::ProviderOperations).then(|| view! {
                <p><A href="/knowledge/new" attr:class="button button-primary" attr:data-testid="new-article">{tr(text::NEW)}</A></p>
            })}
            <form class="filters" on:submit=search role="search" data-testid="knowledge-search">
                <Field scope="filter" label=text::SEARCH name="q" value=q errors />
                <SelectField scope="filter" label=text::CATEGORY name="category" value=category options=category_options(true) errors />
                <button type="submit" class="button button-primary">{tr(text::APPLY)}</button>
            </form>
            <p class="muted small">{tr(text::SEARCH_HINT)}</p>
            {move || series().map(|_| view! {
                <p class="filter-note" data-testid="series-filter">
                    <span class="badge">{tr(text::SERIES_FILTER)}</span>
                    <A href="/knowledge">{tr(text::CLEAR_FILTER)}</A>
                </p>
            })}
            <p class="muted" aria-live="polite" data-testid="article-count">
                {move || total.get().map(|total| text::found(i18n.lang(), total))}
            </p>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    let words = terms(&applied.get_untracked().q);
                    match articles.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! {
                            <ul class="article-list" data-testid="articles">
                                {found.items.into_iter().map(|article| view! { <ArticleHit article terms=words.clone() /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total=pager_total per_page=PER_PAGE />
        </section>
    }
}

#[component]
fn ArticleHit(article: ArticleSummary, terms: Vec<String>) -> impl IntoView {
    let (title, snippet) = (
        highlighted(&article.title, &terms),
        highlighted(&article.snippet, &terms),
    );
    view! {
        <li class="card article-hit" data-testid=format!("article-{}", article.id)>
            <h2><A href=format!("/knowledge/{}", article.id)>{title}</A></h2>
            <p class="meta">
                <span class="badge">{tr(category_label(article.category))}</span>
                {article.series_name.map(|name| view! { <span class="muted">{name}</span> })}
                {article.public.then(|| view! { <span class="badge">{tr(text::PUBLIC)}</span> })}
                <span class="muted small">{format_time(article.updated_at)}</span>
            </p>
            <p class="snippet">{snippet}</p>
        </li>
    }
}

#[component]
fn ArticleView() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let version = RwSignal::new(0_u32);
    let article = LocalResource::new(move || {
        version.track();
        let (id, lang) = (id(), i18n.lang());
        async move {
            match id {
                Some(id) => api::products::article(auth, lang, ArticleId(id)).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <A href="/knowledge" attr:class="back-link">{tr(text::BACK)}</A>
            <Transition fallback=|| view! { <LoadingRows rows=6 /> }>
                {move || Suspend::new(async move {
                    match article.await {
                        Ok(Some(article)) => view! { <ArticleDetail article changed=move || version.update(|v| *v += 1) /> }.into_any(),
                        Ok(None) => view! { <EmptyState text=text::NOT_FOUND /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ArticleDetail<F>(article: Article, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let staff = auth.can(Permission::ProviderOperations);
    let id = article.id;
    let download = move |attachment: madoguchi_types::knowledge::Attachment| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::products::attachment_url(auth, lang, attachment.id).await {
                Ok(url) => save_as(&url, &attachment.file_name),
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    };
    let delete = Callback::new(move |()| {
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::products::delete_article(auth, lang, id).await {
                Ok(()) => navigate("/knowledge", Default::default()),
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    });
    view! {
        <article class="article" data-testid="article">
            <h2 data-testid="article-title">{article.title.clone()}</h2>
            <p class="meta">
                <span class="badge">{tr(category_label(article.category))}</span>
                {article.series_name.clone().map(|name| view! { <span class="muted">{name}</span> })}
                {article.public.then(|| view! { <span class="badge">{tr(text::PUBLIC)}</span> })}
                <span class="muted small">{tr(text::UPDATED)}" "{format_time(article.updated_at)}</span>
            </p>
            <Markdown text=article.body.clone() />
            {(!article.attachments.is_empty()).then(|| view! {
                <h3>{tr(text::ATTACHMENTS)}</h3>
                <ul class="attachments" data-testid="attachments">
                    {article.attachments.clone().into_iter().map(|attachment| {
                        let attachment_id = attachment.id;
                        let saved = attachment.clone();
                        let remove = Callback::new(move |()| {
                            let lang = i18n.lang_untracked();
                            spawn_local(async move {
                                match api::products::delete_attachment(auth, lang, attachment_id).await {
                                    Ok(()) => changed(),
                                    Err(error) => toasts.failure(error.to_string()),
                                }
                            });
                        });
                        view! {
                            <li>
                                <button type="button" class="link-button" data-testid="download-attachment" on:click=move |_| download(saved.clone())>
                                    {format!("{} ({})", attachment.file_name, size(attachment.size_bytes))}
                                </button>
                                {staff.then(|| view! {
                                    <ConfirmButton label=Signal::derive(move || i18n.t(text::REMOVE).to_owned()) title=text::REMOVE_TITLE
                                        message=Signal::derive(move || attachment.file_name.clone()) confirm=text::REMOVE on_confirm=remove />
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </article>
        {staff.then(|| view! {
            <AttachForm article=id attached=changed />
            <div class="card wide">
                <h2>{tr(text::EDIT)}</h2>
                <ArticleForm article=Some(article.clone()) saved=Callback::new(move |_| changed()) />
            </div>
            <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE).to_owned()) title=text::DELETE_TITLE
                message=Signal::derive(move || i18n.t(text::DELETE_MESSAGE).to_owned()) confirm=text::DELETE on_confirm=delete testid="delete-article" />
        })}
    }
}

/// Staff: write a new article or edit one.
#[component]
fn ArticleForm(article: Option<Article>, saved: Callback<Article>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let id = article.as_ref().map(|article| article.id);
    let category = RwSignal::new(
        article
            .as_ref()
            .map_or(ArticleCategory::Qa, |a| a.category)
            .to_string(),
    );
    let series = RwSignal::new(
        article
            .as_ref()
            .and_then(|article| article.series_id)
            .map(|series| series.to_string())
            .unwrap_or_default(),
    );
    let public = RwSignal::new(article.as_ref().is_some_and(|article| article.public));
    let title = RwSignal::new(
        article
            .as_ref()
            .map(|article| article.title.clone())
            .unwrap_or_default(),
    );
    let body = RwSignal::new(
        article
            .as_ref()
            .map(|article| article.body.clone())
            .unwrap_or_default(),
    );
    let catalog = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::products::catalog(auth, lang).await }
    });
    let series_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::NO_SERIES.get(lang).to_owned()))
            .chain(
                catalog
                    .get()
                    .and_then(Result::ok)
                    .into_iter()
                    .flat_map(|catalog| {
                        catalog.makers.into_iter().flat_map(|maker| {
                            maker.series.into_iter().map(move |series| {
                                (series.id.to_string(), format!("{} / {}", maker.name, series.name))
                            })
                        })
                    }),
            )
            .collect::<Vec<_>>()
    });
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("title", rules::required(&title.get_untracked()));
        errors.check(
            "body",
            if body.get_untracked().trim().is_empty() {
                Err(Invalid::Required)
            } else {
                Ok(())
            },
        );
        if errors.blocked() {
            return;
        }
        let request = ArticleRequest {
            category: category.get_untracked().parse().unwrap_or(ArticleCategory::Qa),
            series_id: series.get_untracked().parse::<i64>().ok().map(SeriesId),
            public: public.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            let result = match id {
                Some(id) => api::products::replace_article(auth, lang, id, &request).await,
                None => api::products::create_article(auth, lang, &request).await,
            };
            match result {
                Ok(article) => {
                    toasts.success(text::saved(lang, &article.title));
                    saved.run(article);
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate data-testid="article-form">
            <div class="form-grid">
                <SelectField scope="article" label=text::CATEGORY name="category" value=category options=category_options(false) errors required=true />
                <SelectField scope="article" label=text::SERIES name="series_id" value=series options=series_options errors />
            </div>
            <CheckField scope="article" label=text::PUBLIC_LABEL name="public" checked=public errors />
            <Field scope="article" label=text::ARTICLE_TITLE name="title" value=title errors required=true />
            <TextAreaField label=text::BODY name="body" value=body errors rows=12 required=true hint=text::BODY_HINT />
            <FormError errors />
            <SubmitButton label=text::SAVE busy=busy.into() primary=true />
        </form>
    }
}

#[component]
fn AttachForm<F>(article: ArticleId, attached: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if !errors.check("file", file.as_ref().map(|_| ()).ok_or(Invalid::Required)) {
            return;
        }
        let Some(file) = file else { return };
        let lang = i18n.lang_untracked();
        progress.set(Some(0.0));
        spawn_local(async move {
            match api::products::attach(auth, lang, article, file, move |share| progress.set(Some(share)))
                .await
            {
                Ok(_) => attached(),
                Err(error) => errors.server_said(error),
            }
            progress.set(None);
        });
    };
    let file_error = move || errors.message("file");
    view! {
        <div class="card wide" data-testid="attach-file">
            <h2>{tr(text::ATTACH)}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label class="field-label" for="field-attach-file">{tr(text::ATTACH_FILE)}</label>
                    <input id="field-attach-file" type="file" node_ref=file_input data-testid="field-file"
                        aria-invalid=move || file_error().is_some().then_some("true") aria-describedby="error-attach-file" />
                    <span class="field-error" id="error-attach-file" aria-live="polite">{file_error}</span>
                </div>
                {move || progress.get().map(|share| {
                    let percent = (share * 100.0).round() as u32;
                    view! {
                        <div class="progress" data-testid="upload-progress">
                            <progress max="100" value=percent aria-label=move || i18n.t(text::UPLOADING)></progress>
                            <span>{format!("{percent}%")}</span>
                        </div>
                    }
                })}
                <FormError errors />
                <SubmitButton label=text::ATTACH busy=Signal::derive(move || progress.get().is_some()) />
            </form>
        </div>
    }
}
