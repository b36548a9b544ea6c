//! The signed-in session. The access token lives in memory only; the refresh token is an
//! `HttpOnly` cookie the page cannot read. On start the app trades the cookie for an access
//! token (so a reload stays signed in); it refreshes before the access token runs out, one
//! refresh at a time (refresh tokens are single use).

use std::rc::Rc;

use futures::lock::Mutex;
use leptos::prelude::*;
use madoguchi_types::accounts::{Profile, Role};
use madoguchi_types::auth::TokenResponse;
use madoguchi_types::policy::Permission;

use crate::api::{self, ApiError};
use crate::i18n::{I18n, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Asking the server whether the refresh cookie still holds a session.
    Checking,
    SignedOut,
    SignedIn,
}

#[derive(Debug, Clone, PartialEq)]
struct AccessToken {
    token: String,
    /// Milliseconds since the epoch when it expires.
    expires_at_ms: f64,
}

impl AccessToken {
    fn from_tokens(tokens: &TokenResponse) -> Self {
        Self {
            token: tokens.access_token.clone(),
            expires_at_ms: js_sys::Date::now() + tokens.expires_in as f64 * 1000.0,
        }
    }

    /// Expires within a minute: refresh before using it.
    fn is_stale(&self) -> bool {
        js_sys::Date::now() + 60_000.0 >= self.expires_at_ms
    }
}

/// Provided at the root; `Copy`, so calls can take it along across awaits.
#[derive(Clone, Copy)]
pub struct Auth {
    state: RwSignal<SessionState>,
    access: RwSignal<Option<AccessToken>>,
    /// The caller's profile with their permissions (`None` when signed out).
    pub profile: RwSignal<Option<Profile>>,
    /// A message for the sign-in page (e.g. signed out after inactivity).
    pub notice: RwSignal<Option<String>>,
    refreshing: StoredValue<Rc<Mutex<()>>, LocalStorage>,
    i18n: I18n,
}

impl Auth {
    /// Provides the context and starts asking the server for a session.
    pub fn provide(i18n: I18n) -> Self {
        let auth = Self {
            state: RwSignal::new(SessionState::Checking),
            access: RwSignal::new(None),
            profile: RwSignal::new(None),
            notice: RwSignal::new(None),
            refreshing: StoredValue::new_local(Rc::new(Mutex::new(()))),
            i18n,
        };
        provide_context(auth);
        leptos::task::spawn_local(async move {
            let lang = i18n.lang_untracked();
            // Under the refresh lock: a page that loads its data at once (a reload of
            // /pbx/groups) asks for a token while this check runs, and two trades of the
            // same single-use cookie would race — the loser would sign the tab out. Waiting
            // here, that call finds the new token instead.
            let checked = {
                let lock = auth.refreshing.get_value();
                let _guard = lock.lock().await;
                let checked = api::auth::refresh(lang).await;
                if let Ok(tokens) = &checked {
                    auth.access.set(Some(AccessToken::from_tokens(tokens)));
                }
                checked
            };
            match checked {
                Ok(tokens) => auth.begin(&tokens).await,
                Err(_) => auth.state.set(SessionState::SignedOut),
            }
        });
        auth
    }

    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    pub fn signed_in(&self) -> bool {
        self.state.get() == SessionState::SignedIn
    }

    pub fn signed_in_untracked(&self) -> bool {
        self.state.get_untracked() == SessionState::SignedIn
    }

    /// Whether the caller may do this (tracked). From the permissions the server reported.
    pub fn can(&self, permission: Permission) -> bool {
        self.profile.with(|profile| {
            profile
                .as_ref()
                .is_some_and(|profile| profile.permissions.contains(&permission))
        })
    }

    pub fn role(&self) -> Option<Role> {
        self.profile
            .with(|profile| profile.as_ref().map(|profile| profile.role))
    }

    pub fn is_staff(&self) -> bool {
        self.role() == Some(Role::Staff)
    }

    /// A new session: keeps the access token, loads the profile, adopts the account's
    /// language.
    pub async fn begin(&self, tokens: &TokenResponse) {
        self.access.set(Some(AccessToken::from_tokens(tokens)));
        match api::accounts::me(*self, self.i18n.lang_untracked()).await {
            Ok(profile) => {
                if let Some(lang) = Lang::parse(&profile.preferred_lang) {
                    self.i18n.set(lang);
                }
                self.profile.set(Some(profile));
                self.notice.set(None);
                self.state.set(SessionState::SignedIn);
            }
            Err(_) => self.end(None),
        }
    }

    /// Forgets the session; `notice` is shown on the sign-in page.
    pub fn end(&self, notice: Option<String>) {
        self.access.set(None);
        self.profile.set(None);
        self.notice.set(notice);
        self.state.set(SessionState::SignedOut);
    }

    /// An access token that is not about to expire, refreshed first if needed.
    pub async fn fresh_access_token(&self, lang: Lang) -> Result<String, ApiError> {
        match self.access.get_untracked() {
            Some(access) if !access.is_stale() => Ok(access.token),
            _ => self.refresh(lang).await,
        }
    }

    /// Trades the refresh cookie for a new access token (one refresh at a time). When the
    /// session has ended, signs out with the server's reason.
    pub async fn refresh(&self, lang: Lang) -> Result<String, ApiError> {
        let before = self.access.get_untracked();
        let lock = self.refreshing.get_value();
        let _guard = lock.lock().await;
        // Another call may have refreshed while this one waited.
        if let Some(current) = self.access.get_untracked()
            && Some(&current) != before.as_ref()
            && !current.is_stale()
        {
            return Ok(current.token);
        }
        let mut result = api::auth::refresh(lang).await;
        if matches!(&result, Err(error) if error.code() == Some("refresh_token_invalid")) {
            // Another tab may have rotated the cookie a moment ago: try once more with it.
            sleep_ms(400).await;
            result = api::auth::refresh(lang).await;
        }
        match result {
            Ok(tokens) => {
                let access = AccessToken::from_tokens(&tokens);
                self.access.set(Some(access.clone()));
                Ok(access.token)
            }
            Err(error) => {
                let notice = match &error {
                    ApiError::Problem(problem) if problem.code == "session_expired" => {
                        Some(problem.title.clone())
                    }
                    _ => None,
                };
                if matches!(error, ApiError::Problem(_)) {
                    self.end(notice);
                }
                Err(error)
            }
        }
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Waits `ms` milliseconds.
pub(crate) async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
