//! The command line: one binary serves the store and administers it.

use super::app;
use super::db::audit::{self, Actor, Entry};
use super::db::{admins, config as config_repo, Db};
use super::settings::Settings;
use crate::domain::config::{self, Scope};
use crate::domain::input::{Email, NewPassword, PersonName, Username};
use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand};
use rand::distributions::{Alphanumeric, DistString};

#[derive(Parser, Debug)]
#[command(name = "shopassist", version, about = "A web store with Login as Customer")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Apply migrations and serve the store and the admin panel.
    Serve {
        /// Load demo data into an empty database and create a first admin if there is none.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage admin users.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage configuration values.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Load demo stores, groups, roles and customers (only into a database without stores,
    /// unless --customers-only).
    DemoData(super::demo::Sizes),
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an admin user. The password comes from SHOPASSIST_ADMIN_PASSWORD or a prompt.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
        /// Role name, for example "Administrators".
        #[arg(long, default_value = "Administrators")]
        role: String,
    },
    /// Set a new password for an admin (SHOPASSIST_ADMIN_PASSWORD or a prompt).
    ResetPassword {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Set a value: `config set customer/account_share/scope global`.
    Set {
        path: String,
        value: String,
        /// `default`, `website:<code>` or `store:<code>`.
        #[arg(long, default_value = "default")]
        scope: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_env();
    super::telemetry::init(settings.log_json);
    match cli.command {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Migrate => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            println!("Migrations applied to {}", super::db::redact(&settings.database_url));
            Ok(())
        }
        Command::Admin { command } => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            admin_command(&db, command).await
        }
        Command::Config { command: ConfigCommand::Set { path, value, scope } } => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            config_set(&db, &path, &value, &scope).await
        }
        Command::DemoData(sizes) => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            super::demo::load(&db, &sizes, true).await
        }
    }
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let options = app::leptos_options()?;
    let addr = options.site_addr;
    let state = app::state(settings, options).await?;
    let mut first_admin = None;
    if demo {
        super::demo::load(&state.db, &super::demo::Sizes::default(), false).await?;
        if admins::count_users(&state.db.pool).await? == 0 {
            let password = std::env::var("SHOPASSIST_ADMIN_PASSWORD")
                .unwrap_or_else(|_| format!("{}-7a", Alphanumeric.sample_string(&mut rand::thread_rng(), 16)));
            create_admin(&state.db, "admin", "admin@example.com", "Store", "Admin", "Administrators", &password)
                .await?;
            first_admin = Some(password);
        }
    }
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    println!();
    println!("  Storefront:  http://{local}/");
    println!("  Admin panel: http://{local}/admin");
    match first_admin {
        Some(password) => println!("  Sign in as:  admin / {password}   (shown once; change it under System > All Users)"),
        None => println!(
            "  Sign in with your admin user (new one: `shopassist admin create`, forgotten password: `shopassist admin reset-password`)"
        ),
    }
    println!();
    app::serve(state, listener).await
}

fn password_from_env_or_prompt() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("SHOPASSIST_ADMIN_PASSWORD") {
        return Ok(p);
    }
    let p = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Repeat password: ")?;
    if p != again {
        bail!("the passwords do not match");
    }
    Ok(p)
}

async fn admin_command(db: &Db, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Create { username, email, first_name, last_name, role } => {
            let password = password_from_env_or_prompt()?;
            let id = create_admin(db, &username, &email, &first_name, &last_name, &role, &password).await?;
            println!("Admin user {username} created (id {id}).");
        }
        AdminCommand::ResetPassword { username } => {
            let creds =
                admins::credentials(&db.pool, &username).await?.ok_or_else(|| anyhow!("no admin user {username}"))?;
            let password = password_from_env_or_prompt()?;
            let password = NewPassword::parse(&password, "password").map_err(|e| anyhow!("{e}"))?;
            let hash = super::password::hash_blocking(password.expose())?;
            let mut tx = db.begin().await?;
            admins::set_password(&mut tx, creds.id, &hash).await?;
            audit::write(
                &mut tx,
                &cli_actor(),
                Entry {
                    group: audit::group::PERMISSIONS,
                    action: "Reset admin password (command line)",
                    target_type: "admin_user",
                    target_id: creds.id.to_string(),
                    old: None,
                    new: None,
                    result: "success",
                },
            )
            .await?;
            tx.commit().await?;
            println!("Password for {username} changed.");
        }
    }
    Ok(())
}

fn cli_actor() -> Actor {
    Actor { admin_id: None, username: "command line".into(), ip: "local".into(), user_agent: "shopassist cli".into() }
}

pub async fn create_admin(
    db: &Db,
    username: &str,
    email: &str,
    first_name: &str,
    last_name: &str,
    role: &str,
    password: &str,
) -> anyhow::Result<i64> {
    let err = |e: crate::domain::error::AppError| anyhow!("{e}");
    let username = Username::parse(username, "username").map_err(err)?;
    let email = Email::parse(email, "email").map_err(err)?;
    let first = PersonName::parse(first_name, "first_name", "First Name").map_err(err)?;
    let last = PersonName::parse(last_name, "last_name", "Last Name").map_err(err)?;
    let password = NewPassword::parse(password, "password").map_err(err)?;
    let role_id = admins::role_id_by_name(&db.pool, role).await?.ok_or_else(|| anyhow!("no role named {role}"))?;
    let hash = super::password::hash_blocking(password.expose())?;
    let mut tx = db.begin().await?;
    let input = admins::UserInput {
        username: username.as_str(),
        email: email.as_str(),
        first_name: first.as_str(),
        last_name: last.as_str(),
        role_id,
        is_active: true,
    };
    let id = admins::create_user(&mut tx, &input, &hash).await.map_err(|e| {
        if super::db::is_unique_violation(&e) {
            anyhow!("an admin with this user name or email already exists")
        } else {
            anyhow!(e)
        }
    })?;
    audit::write(
        &mut tx,
        &cli_actor(),
        Entry {
            group: audit::group::PERMISSIONS,
            action: "Create admin user (command line)",
            target_type: "admin_user",
            target_id: id.to_string(),
            old: None,
            new: Some(format!("{{\"username\":{:?},\"role\":{:?}}}", username.as_str(), role)),
            result: "success",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Resolves `default`, `website:<code>` or `store:<code>` to a scope.
async fn parse_scope(db: &Db, raw: &str) -> anyhow::Result<Scope> {
    if raw == "default" {
        return Ok(Scope::Default);
    }
    let (kind, code) =
        raw.split_once(':').ok_or_else(|| anyhow!("scope must be default, website:<code> or store:<code>"))?;
    let (table, make): (&str, fn(i64) -> Scope) = match kind {
        "website" => ("websites", Scope::Website),
        "store" => ("store_views", Scope::StoreView),
        _ => bail!("scope must be default, website:<code> or store:<code>"),
    };
    let id: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE code = $1"))
        .bind(code)
        .fetch_optional(&db.pool)
        .await?;
    Ok(make(id.ok_or_else(|| anyhow!("no {kind} with code {code}"))?))
}

async fn config_set(db: &Db, path: &str, value: &str, scope: &str) -> anyhow::Result<()> {
    let (_, field) = config::field(path).ok_or_else(|| anyhow!("unknown configuration path {path}"))?;
    let scope = parse_scope(db, scope).await?;
    if scope.level() > field.max_level {
        bail!("{} can only be set at a wider scope", field.label);
    }
    let value = config::parse_value(field, value).map_err(|e| anyhow!(e))?;
    let mut tx = db.begin().await?;
    let old = config_repo::get_at(&mut tx, scope, path).await?;
    config_repo::put(&mut tx, scope, path, Some(&value)).await?;
    let (kind, id) = scope.parts();
    audit::write(
        &mut tx,
        &cli_actor(),
        Entry {
            group: audit::group::CONFIGURATION,
            action: "Save configuration (command line)",
            target_type: "config",
            target_id: format!("{kind}:{id}:{path}"),
            old,
            new: Some(value.clone()),
            result: "success",
        },
    )
    .await?;
    tx.commit().await?;
    println!("{} = {value} ({kind} {id})", field.label);
    Ok(())
}
