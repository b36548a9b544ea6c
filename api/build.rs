//! Rebuilds the server when a migration is added or changed: `embed_migrations!` reads the
//! migration folders at compile time but does not ask cargo to watch them, so a new folder
//! went unnoticed until something else changed.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
