//! Files for a ticket or a reply (seed 004 ⑤「ファイルのアップロード」: several, up to 1 GB
//! each): chosen or dropped, each uploaded at once in parts with its own progress bar, and
//! paused, resumed from the bytes the server has (also after a broken connection) or
//! cancelled. The form sends the ids of the complete uploads.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::ids::UploadId;
use madoguchi_types::uploads::Upload;

use crate::api::{self, ApiError, uploads::AbortHandle};
use crate::auth::{Auth, use_auth};
use crate::i18n::{I18n, catalogue::uploads as text, tr, use_i18n};

/// `1.2 MB`
pub fn file_size(bytes: i64) -> String {
    const MIB: i64 = 1024 * 1024;
    match bytes {
        b if b >= 1024 * MIB => format!("{:.2} GB", b as f64 / (1024.0 * MIB as f64)),
        b if b >= MIB => format!("{:.1} MB", b as f64 / MIB as f64),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileState {
    Uploading,
    /// Stopped by the user: resumes from the server's offset.
    Paused,
    /// The connection broke: resumes like a pause.
    Interrupted,
    /// The server refused the file (too large, too many uploads…): only removal is left.
    Refused,
    Done,
}

/// One file of the list; the browser's `File` and the request in flight are kept apart
/// (they cannot leave the browser's thread).
#[derive(Clone)]
struct FileRow {
    key: u32,
    name: String,
    size: i64,
    sent: RwSignal<f64>,
    state: RwSignal<FileState>,
    error: RwSignal<Option<String>>,
    upload: RwSignal<Option<Upload>>,
}

struct InFlight {
    file: web_sys::File,
    abort: AbortHandle,
}

/// The files of one form.
#[derive(Clone, Copy)]
pub struct UploadList {
    rows: RwSignal<Vec<FileRow>>,
    in_flight: StoredValue<HashMap<u32, InFlight>, LocalStorage>,
    next_key: StoredValue<u32>,
    auth: Auth,
    i18n: I18n,
}

impl Default for UploadList {
    fn default() -> Self {
        Self::new()
    }
}

impl UploadList {
    /// A list for a form (in a component: it keeps the session and language).
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            in_flight: StoredValue::new_local(HashMap::new()),
            next_key: StoredValue::new(0),
            auth: use_auth(),
            i18n: use_i18n(),
        }
    }

    /// The complete uploads, to attach.
    pub fn ids(&self) -> Vec<UploadId> {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|row| row.state.get_untracked() == FileState::Done)
                .filter_map(|row| row.upload.get_untracked().map(|upload| upload.id))
                .collect()
        })
    }

    /// Whether a file is still on its way (tracked): the form waits for it.
    pub fn unfinished(&self) -> bool {
        self.rows.with(|rows| {
            rows.iter()
                .any(|row| !matches!(row.state.get(), FileState::Done | FileState::Refused))
        })
    }

    /// Forgets the files (they are attached now).
    pub fn clear(&self) {
        self.rows.set(Vec::new());
        self.in_flight.update_value(HashMap::clear);
    }

    fn add(&self, file: web_sys::File) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let row = FileRow {
            key,
            name: file.name(),
            size: file.size() as i64,
            sent: RwSignal::new(0.0),
            state: RwSignal::new(FileState::Uploading),
            error: RwSignal::new(None),
            upload: RwSignal::new(None),
        };
        self.in_flight.update_value(|in_flight| {
            in_flight.insert(
                key,
                InFlight {
                    file,
                    abort: AbortHandle::default(),
                },
            );
        });
        self.rows.update(|rows| rows.push(row.clone()));
        self.run(row);
    }

    /// Sends the row's file from where the server is (announcing it first if new).
    fn run(&self, row: FileRow) {
        let Some((file, abort)) = self.in_flight.with_value(|in_flight| {
            in_flight
                .get(&row.key)
                .map(|entry| (entry.file.clone(), entry.abort.clone()))
        }) else {
            return;
        };
        let (auth, lang) = (self.auth, self.i18n.lang_untracked());
        row.state.set(FileState::Uploading);
        row.error.set(None);
        spawn_local(async move {
            let known = match row.upload.get_untracked() {
                Some(upload) => api::uploads::status(auth, lang, upload.id).await,
                None => api::uploads::announce(auth, lang, &file).await,
            };
            let result = match known {
                Ok(upload) => {
                    row.upload.set(Some(upload.clone()));
                    row.sent.set(upload.offset as f64);
                    let sent = row.sent;
                    api::uploads::send_rest(auth, lang, upload, &file, move |bytes| sent.set(bytes), &abort)
                        .await
                }
                Err(error) => Err(error),
            };
            // A pause or a removal stopped the request: its error is no news.
            if row.state.get_untracked() != FileState::Uploading {
                return;
            }
            match result {
                Ok(upload) => {
                    row.sent.set(upload.size_bytes as f64);
                    row.upload.set(Some(upload));
                    row.state.set(FileState::Done);
                }
                Err(error) => {
                    let resumable = matches!(error, ApiError::Network(_))
                        || matches!(&error, ApiError::Problem(problem) if problem.status >= 500);
                    row.state.set(if resumable {
                        FileState::Interrupted
                    } else {
                        FileState::Refused
                    });
                    row.error.set(Some(match error {
                        ApiError::Problem(problem) => problem.detail.clone().unwrap_or(problem.title),
                        other => other.to_string(),
                    }));
                }
            }
        });
    }

    fn pause(&self, row: &FileRow) {
        row.state.set(FileState::Paused);
        self.abort(row.key);
    }

    fn abort(&self, key: u32) {
        self.in_flight.with_value(|in_flight| {
            if let Some(entry) = in_flight.get(&key) {
                entry.abort.abort();
            }
        });
    }

    /// Stops and forgets a file; the server deletes what it has of it.
    fn remove(&self, row: &FileRow) {
        row.state.set(FileState::Refused);
        self.abort(row.key);
        self.in_flight.update_value(|in_flight| {
            in_flight.remove(&row.key);
        });
        self.rows.update(|rows| rows.retain(|other| other.key != row.key));
        if let Some(upload) = row.upload.get_untracked() {
            let (auth, lang) = (self.auth, self.i18n.lang_untracked());
            spawn_local(async move {
                let _ = api::uploads::cancel(auth, lang, upload.id).await;
            });
        }
    }
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|files| (0..files.length()).filter_map(|i| files.get(i)).collect())
        .unwrap_or_default()
}

/// The drop zone, the file chooser and the list of files with their progress.
#[component]
pub fn Uploader(
    files: UploadList,
    /// Keeps element ids unique when two uploaders share a page.
    scope: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let over = RwSignal::new(false);
    let input_id = format!("{scope}-files");
    let take = move |list: Option<web_sys::FileList>| {
        for file in files_of(list) {
            files.add(file);
        }
    };
    view! {
        <div class="uploader" data-testid=format!("{scope}-uploader")>
            <div class="dropzone" class:over=move || over.get()
                on:dragover=move |event: leptos::ev::DragEvent| { event.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=move |event: leptos::ev::DragEvent| {
                    event.prevent_default();
                    over.set(false);
                    take(event.data_transfer().and_then(|transfer| transfer.files()));
                }>
                <label class="field-label" for=input_id.clone()>{tr(text::FILES)}</label>
                <p class="muted small">{tr(text::DROP_HINT)}</p>
                <input id=input_id type="file" multiple data-testid=format!("{scope}-file-input")
                    on:change=move |event| {
                        let input: web_sys::HtmlInputElement = event_target(&event);
                        take(input.files());
                        // The same file can be chosen again after a removal.
                        input.set_value("");
                    } />
            </div>
            <ul class="upload-list" aria-live="polite" data-testid=format!("{scope}-uploads")>
                <For each=move || files.rows.get() key=|row| row.key let:row>
                    <FileLine row files />
                </For>
            </ul>
            <p class="muted small" aria-live="polite">
                {move || files.unfinished().then(|| i18n.t(text::WAITING))}
            </p>
        </div>
    }
}

#[component]
fn FileLine(row: FileRow, files: UploadList) -> impl IntoView {
    let i18n = use_i18n();
    let size = row.size.max(1) as f64;
    let percent = move || ((row.sent.get() / size) * 100.0).clamp(0.0, 100.0).round() as u32;
    let state = row.state;
    let label = format!("{} ({})", row.name, file_size(row.size));
    let progress_label = row.name.clone();
    let (paused, removed, resumed) = (row.clone(), row.clone(), row.clone());
    view! {
        <li class="upload-line" data-testid="upload-line" data-state=move || format!("{:?}", state.get()).to_lowercase()>
            <span class="upload-name">{label}</span>
            <div class="progress">
                <progress max="100" value=percent aria-label=progress_label></progress>
                <span class="small">{move || format!("{}%", percent())}</span>
                <span class="small upload-state">{move || i18n.t(match state.get() {
                    FileState::Uploading => text::UPLOADING,
                    FileState::Paused => text::PAUSED,
                    FileState::Interrupted => text::INTERRUPTED,
                    FileState::Refused => text::REFUSED,
                    FileState::Done => text::DONE,
                })}</span>
            </div>
            <span class="field-error">{move || row.error.get()}</span>
            <span class="actions">
                <Show when=move || state.get() == FileState::Uploading>
                    <button type="button" class="button" data-testid="pause-upload"
                        on:click={let paused = paused.clone(); move |_| files.pause(&paused)}>{tr(text::PAUSE)}</button>
                </Show>
                <Show when=move || matches!(state.get(), FileState::Paused | FileState::Interrupted)>
                    <button type="button" class="button" data-testid="resume-upload"
                        on:click={let resumed = resumed.clone(); move |_| files.run(resumed.clone())}>{tr(text::RESUME)}</button>
                </Show>
                <button type="button" class="button button-danger-outline" data-testid="remove-upload"
                    on:click=move |_| files.remove(&removed)>
                    {move || if state.get() == FileState::Done { i18n.t(text::REMOVE) } else { i18n.t(text::CANCEL) }}
                </button>
            </span>
        </li>
    }
}
