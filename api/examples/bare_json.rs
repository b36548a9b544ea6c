//! The yardstick of `cargo xtask bench`: the smallest actix-web JSON endpoint, built in the
//! same profile as the server, so that the server's figures can be read as a share of what
//! the framework alone does on this machine.
//!
//! `cargo run --release -p madoguchi-api --example bare_json -- <port>`

#![allow(clippy::print_stdout)]

use actix_web::{App, HttpServer, web};

#[derive(serde::Serialize)]
struct Status {
    status: &'static str,
}

async fn status() -> web::Json<Status> {
    web::Json(Status { status: "ok" })
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|port| port.parse().ok())
        .unwrap_or(18099);
    let server =
        HttpServer::new(|| App::new().route("/status", web::get().to(status))).bind(("127.0.0.1", port))?;
    println!("listening on {port}");
    server.run().await
}
