//! A panic in the app is logged to the browser console and reported to the server
//! (`POST /api/v1/client-errors`), so that crashes reach the operators' logs.

use madoguchi_types::ClientErrorReport;
use wasm_bindgen::JsValue;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let report = ClientErrorReport {
            message: info.to_string().chars().take(2000).collect(),
            location: info.location().map(|location| location.to_string()),
            page: web_sys::window().and_then(|window| window.location().pathname().ok()),
        };
        send(&report);
    }));
}

/// `sendBeacon` queues the request in the browser itself: it survives the abort that
/// follows a panic in wasm, which an async fetch would not.
fn send(report: &ClientErrorReport) {
    let Ok(json) = serde_json::to_string(report) else {
        return;
    };
    let Some(window) = web_sys::window() else { return };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let parts = js_sys::Array::of1(&JsValue::from_str(&json));
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        let _ = window
            .navigator()
            .send_beacon_with_opt_blob("/api/v1/client-errors", Some(&blob));
    }
}
