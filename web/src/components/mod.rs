//! The interaction kit every page is built from.

mod confirm;
mod copy;
mod feedback;
mod form;
mod guard;
mod labels;
mod layout;
mod link_confirmation;
mod markdown;
mod organization_picker;
mod page;
mod table;
mod toast;
mod uploader;

pub use confirm::ConfirmButton;
pub use copy::CopyButton;
pub use feedback::{EmptyState, ErrorPanel, LoadingRows, Spinner};
pub use form::{
    CheckField, Field, FieldErrors, FormError, SelectField, SubmitButton, TextAreaField, choices,
    focus_by_id, focus_first_error,
};
pub use guard::{RequirePermission, RequireSignIn, safe_next};
pub use labels::{
    action_label, category_label, contract_status_label, detail_summary, document_kind_label,
    entry_kind_label, holder_label, role_label, service_label, status_label, ticket_category_label,
    ticket_channel_label, ticket_kind_label, ticket_status_label,
};
pub use layout::{Footer, Header, RouteEffects, SkipLink};
pub use link_confirmation::LinkConfirmation;
pub use markdown::{Markdown, highlighted};
pub use organization_picker::OrganizationPicker;
pub use page::PageHeading;
pub use table::Pager;
pub use toast::{ToastHost, Toasts, use_toasts};
pub use uploader::{UploadList, Uploader, file_size};
