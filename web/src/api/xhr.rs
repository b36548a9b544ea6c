//! Sending a body with progress: `XMLHttpRequest` reports how much of an upload has left
//! (`fetch` does not) and can be aborted. Document and article uploads (a multipart form)
//! and the parts of resumable uploads (a slice of a file) go through here.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use madoguchi_types::{PROBLEM_CONTENT_TYPE, Problem};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::ApiError;
use crate::auth::Auth;
use crate::i18n::Lang;

/// What a request sends.
pub(crate) enum Body {
    Form(web_sys::FormData),
    Bytes(web_sys::Blob),
}

/// Stops the request in flight (pause or cancel of an upload); the call then answers
/// [`ApiError::Network`].
#[derive(Clone, Default)]
pub struct AbortHandle(Rc<RefCell<Option<web_sys::XmlHttpRequest>>>);

impl AbortHandle {
    pub fn abort(&self) {
        if let Some(request) = self.0.borrow_mut().take() {
            let _ = request.abort();
        }
    }
}

pub(super) fn browser_refused<T>(_: T) -> ApiError {
    ApiError::Network("the browser refused the upload".into())
}

/// Sends `body` with the session's token and `headers`, reporting the bytes sent so far.
pub(crate) async fn send<T: DeserializeOwned>(
    auth: Auth,
    lang: Lang,
    (method, path): (&str, &str),
    headers: &[(&str, String)],
    body: Body,
    on_progress: impl Fn(f64, f64) + 'static,
    abort: Option<&AbortHandle>,
) -> Result<T, ApiError> {
    let token = auth.fresh_access_token(lang).await?;
    let request = web_sys::XmlHttpRequest::new().map_err(browser_refused)?;
    request.open(method, path).map_err(browser_refused)?;
    let common = [
        ("Authorization", format!("Bearer {token}")),
        ("Accept", "application/json".to_owned()),
        ("Accept-Language", lang.tag().to_owned()),
    ];
    for (name, value) in common.iter().chain(headers) {
        request.set_request_header(name, value).map_err(browser_refused)?;
    }
    let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
        if event.length_computable() {
            on_progress(event.loaded(), event.total());
        }
    });
    request
        .upload()
        .map_err(browser_refused)?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    let (done, finished) = oneshot::channel::<()>();
    let mut done = Some(done);
    let ended = Closure::<dyn FnMut()>::new(move || {
        if let Some(done) = done.take() {
            let _ = done.send(());
        }
    });
    request.set_onloadend(Some(ended.as_ref().unchecked_ref()));
    match &body {
        Body::Form(form) => request.send_with_opt_form_data(Some(form)),
        Body::Bytes(blob) => request.send_with_opt_blob(Some(blob)),
    }
    .map_err(browser_refused)?;
    if let Some(abort) = abort {
        abort.0.replace(Some(request.clone()));
    }
    let _ = finished.await;
    if let Some(abort) = abort {
        abort.0.replace(None);
    }
    // The closures live until the request has ended.
    drop((progress, ended));
    let status = request.status().unwrap_or(0);
    let text = request.response_text().ok().flatten().unwrap_or_default();
    if status == 0 {
        return Err(ApiError::Network("the upload was interrupted".into()));
    }
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| ApiError::Unexpected { status });
    }
    let is_problem = request
        .get_response_header("content-type")
        .ok()
        .flatten()
        .is_some_and(|content_type| content_type.starts_with(PROBLEM_CONTENT_TYPE));
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) if is_problem => Err(ApiError::Problem(Box::new(problem))),
        _ => Err(ApiError::Unexpected { status }),
    }
}
