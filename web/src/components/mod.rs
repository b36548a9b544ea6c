mod error_panel;
mod form;
mod layout;

pub use error_panel::ErrorPanel;
pub use form::{Field, FormError};
pub use layout::{Footer, Header, RequireSignIn};
