//! The signed-in session: tokens kept in local storage so that a reload stays signed in,
//! refreshed before the access token runs out (one refresh at a time: refresh tokens are
//! single use, and a second use would end the session).

use leptos::prelude::*;
use madoguchi_types::auth::TokenResponse;
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "madoguchi.session";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// Milliseconds since the epoch when the access token expires.
    pub expires_at_ms: f64,
}

impl Session {
    pub fn from_tokens(tokens: &TokenResponse) -> Self {
        Self {
            access_token: tokens.access_token.clone(),
            refresh_token: tokens.refresh_token.clone(),
            expires_at_ms: js_sys::Date::now() + tokens.expires_in as f64 * 1000.0,
        }
    }

    /// Expires within a minute: refresh before using it.
    pub fn is_stale(&self) -> bool {
        js_sys::Date::now() + 60_000.0 >= self.expires_at_ms
    }
}

/// Provided at the root; `Copy`, so API calls can take it along across awaits.
#[derive(Clone, Copy)]
pub struct Auth {
    pub session: RwSignal<Option<Session>>,
    /// A message for the sign-in page (e.g. signed out after inactivity).
    pub notice: RwSignal<Option<String>>,
    pub refreshing: StoredValue<std::rc::Rc<futures::lock::Mutex<()>>, LocalStorage>,
}

impl Auth {
    pub fn provide() -> Self {
        let saved = storage()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<Session>(&json).ok());
        let auth = Self {
            session: RwSignal::new(saved),
            notice: RwSignal::new(None),
            refreshing: StoredValue::new_local(std::rc::Rc::new(futures::lock::Mutex::new(()))),
        };
        provide_context(auth);
        auth
    }

    pub fn signed_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    pub fn store(&self, tokens: &TokenResponse) {
        let session = Session::from_tokens(tokens);
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&session)) {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
        self.session.set(Some(session));
    }

    /// Forgets the session; `notice` is shown on the sign-in page.
    pub fn clear(&self, notice: Option<String>) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        self.notice.set(notice);
        self.session.set(None);
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
