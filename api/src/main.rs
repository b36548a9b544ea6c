//! The `madoguchi` binary: serve the portal, or run an administrative command.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use madoguchi_api::accounts::{self, AccountStatus, NewAccount, Role, password};
use madoguchi_api::clock::Clock;
use madoguchi_api::config::Settings;
use madoguchi_api::domain::{DisplayName, EmailAddress, LoginId, NewPassword};
use madoguchi_api::policy::Grants;
use madoguchi_api::{Application, db, demo, openapi, telemetry};

#[derive(Parser)]
#[command(
    name = "madoguchi",
    version,
    about = "Madoguchi (窓口) customer portal server"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the SPA (the default).
    Serve {
        /// Create the demo organization, contract and staff account first (idempotent).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the demo data and exit (idempotent).
    SeedDemo,
    /// Print the OpenAPI document (or write it to a file).
    Openapi {
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a provider staff account. The password is read from standard input
    /// (prompted for on a terminal), never from the command line.
    CreateStaff {
        #[arg(long)]
        login_id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load()?;
    telemetry::init(settings.log_format, &settings.log);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            if demo {
                seed_demo(&settings).await?;
            }
            let application = Application::build(settings).await?;
            application.stop_gracefully_on_signals()?;
            tracing::info!(address = application.address(), "listening");
            application.run_until_stopped().await?;
        }
        Command::Migrate => {
            let (url, size) = (settings.database_url.clone(), settings.database_pool_size);
            tokio::task::spawn_blocking(move || db::connect(&url, size)).await??;
            eprintln!("migrations applied");
        }
        Command::SeedDemo => seed_demo(&settings).await?,
        Command::Openapi { output } => {
            let json = openapi::to_json(&openapi::document())?;
            match output {
                Some(path) => {
                    std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?
                }
                None => std::io::Write::write_all(&mut std::io::stdout(), json.as_bytes())?,
            }
        }
        Command::Admin {
            command:
                AdminCommand::CreateStaff {
                    login_id,
                    name,
                    email,
                },
        } => create_staff(&settings, &login_id, &name, &email).await?,
    }
    Ok(())
}

async fn seed_demo(settings: &Settings) -> anyhow::Result<()> {
    let (url, size) = (settings.database_url.clone(), settings.database_pool_size);
    let seeded = tokio::task::spawn_blocking(move || -> anyhow::Result<demo::Seeded> {
        let pool = db::connect(&url, size)?;
        demo::seed(&mut *pool.get()?, &Clock::system())
    })
    .await??;
    match seeded {
        demo::Seeded::Created => tracing::info!(
            login_id = demo::DEMO_STAFF_LOGIN_ID,
            "demo data created (see README for the demo sign-in)"
        ),
        demo::Seeded::AlreadyPresent => tracing::info!("demo data already present"),
    }
    Ok(())
}

async fn create_staff(settings: &Settings, login_id: &str, name: &str, email: &str) -> anyhow::Result<()> {
    let login_id = LoginId::parse(login_id).map_err(|reason| anyhow::anyhow!("--login-id: {reason}"))?;
    let full_name = DisplayName::parse(name).map_err(|reason| anyhow::anyhow!("--name: {reason}"))?;
    let email = EmailAddress::parse(email).map_err(|reason| anyhow::anyhow!("--email: {reason}"))?;
    let password = read_password()?;
    let password =
        NewPassword::parse(&password, &login_id).map_err(|reason| anyhow::anyhow!("password: {reason}"))?;
    let password_hash = password::hash(password.expose())?;
    let new = NewAccount {
        organization: None,
        login_id,
        full_name,
        email,
        password_hash: Some(password_hash),
        role: Role::Staff,
        status: AccountStatus::Active,
        company_name: None,
        maintenance_email: None,
        preferred_lang: madoguchi_api::i18n::Lang::Ja,
        grants: Grants::default(),
    };
    let (url, size) = (settings.database_url.clone(), settings.database_pool_size);
    let account = tokio::task::spawn_blocking(move || -> anyhow::Result<accounts::Account> {
        let pool = db::connect(&url, size)?;
        Ok(accounts::insert(
            &mut *pool.get()?,
            &new,
            Clock::system().now_naive(),
        )?)
    })
    .await??;
    eprintln!("staff account {} created (id {})", account.login_id, account.id);
    Ok(())
}

/// One line from standard input; on a terminal, a hidden prompt asked twice.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password (again): ")?;
        anyhow::ensure!(first == second, "the two passwords differ");
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
