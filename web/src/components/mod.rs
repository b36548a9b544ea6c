//! The interaction kit every page is built from.

mod confirm;
mod copy;
mod feedback;
mod form;
mod guard;
mod labels;
mod layout;
mod page;
mod table;
mod toast;

pub use confirm::ConfirmButton;
pub use copy::CopyButton;
pub use feedback::{EmptyState, ErrorPanel, LoadingRows, Spinner};
pub use form::{CheckField, Field, FieldErrors, FormError, SelectField, SubmitButton};
pub use guard::{RequirePermission, RequireSignIn, safe_next};
pub use labels::{action_label, detail_summary, role_label, status_label};
pub use layout::{Footer, Header, RouteEffects, SkipLink};
pub use page::PageHeading;
pub use table::Pager;
pub use toast::{ToastHost, Toasts, use_toasts};
