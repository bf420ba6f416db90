//! The command line: one binary serves the store and administers it.

use super::actions::{self, admin_users::AdminUserInput, config::ConfigChange};
use super::app;
use super::db::audit::Origin;
use super::db::{admins, chain, stores, Db};
use super::error::CliError;
use super::settings::Settings;
use crate::domain::config::{Scope, ScopeRef};
use crate::domain::forms::{AdminUserForm, Checkbox};
use crate::domain::input::NewPassword;
use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand};
use rand::distributions::{Alphanumeric, DistString};
use std::time::Duration;

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
    /// Check the action log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Manage integration tokens for the JSON API (System > Integrations).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Make a token that acts as an admin user; prints the secret once.
    Create {
        /// The admin user the token acts as (with their role at each call).
        #[arg(long)]
        username: String,
        /// What the token is for, such as "Helpdesk".
        #[arg(long)]
        name: String,
        /// How long it works: days (`90d`) or hours (`12h`), at most 365 days.
        #[arg(long, default_value = "90d")]
        expires: String,
    },
    /// Revoke a token by its id (System > Integrations lists them): its next call is refused.
    Revoke { id: i64 },
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
    /// Set a new password for an admin (SHOPASSIST_ADMIN_PASSWORD or a prompt). Ends their
    /// sessions and lifts any sign-in lock.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Lift every sign-in lock on an admin account, from every address.
    Unlock {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the action log's hash chain; name the first entry changed or removed behind the
    /// app's back, and any entry left unsealed.
    Verify,
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
    if let Command::Serve { demo } = cli.command {
        return serve(settings, demo).await;
    }
    // Every other command works on the database as the migrations leave it.
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    match cli.command {
        Command::Serve { .. } => unreachable!("served above"),
        Command::Migrate => {
            println!("Migrations applied to {}", super::db::redact(&settings.database_url));
            Ok(())
        }
        Command::Admin { command } => admin_command(&db, command).await,
        Command::Config { command: ConfigCommand::Set { path, value, scope } } => {
            config_set(&db, &path, &value, &scope).await
        }
        Command::DemoData(sizes) => super::demo::load(&db, &sizes, true).await,
        Command::Token { command } => token_command(&db, command).await,
        Command::Audit { command: AuditCommand::Verify } => {
            println!("{}", audit_verify(&db).await?);
            Ok(())
        }
    }
}

/// How long a new entry may wait for its seal before `audit verify` reports it: the server
/// seals within a second of the commit.
const SEAL_GRACE: Duration = Duration::from_secs(10);

/// `audit verify`: the verdict when the log is intact, else an error naming the first broken
/// entry and the unsealed ones.
pub async fn audit_verify(db: &Db) -> anyhow::Result<String> {
    let report = chain::verify(db, SEAL_GRACE).await.context("reading the action log")?;
    if report.intact() {
        return Ok(format!("Action log verified: {} entries sealed, chain intact.", report.intact_seals));
    }
    let mut problems = Vec::new();
    if let Some(b) = &report.first_break {
        problems.push(format!(
            "the chain breaks at entry #{} (seal {}): {}; {} entries before it are intact",
            b.entry_id, b.seq, b.reason, report.intact_seals
        ));
    }
    if report.unsealed_count > 0 {
        let ids = report.unsealed.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(", ");
        let more = if report.unsealed_count > report.unsealed.len() as i64 { ", …" } else { "" };
        problems.push(format!(
            "{} entries have no seal after {} s (written behind the app's back?): {ids}{more}",
            report.unsealed_count,
            SEAL_GRACE.as_secs()
        ));
    }
    bail!("the action log failed verification: {}", problems.join("; "))
}

/// Seals what a command just logged, since the server may not be running to do it. The
/// change itself is committed, so a failure here is only worth a warning: a running server
/// seals the entry, and otherwise `audit verify` reports it.
async fn seal_after_commit(db: &Db) {
    if let Err(err) = chain::seal_pending(db).await {
        tracing::warn!(%err, "sealing the new action log entries failed");
    }
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    if let Some(url) = &settings.public_url {
        super::settings::parse_public_url(url).map_err(anyhow::Error::msg)?;
    }
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
            let password = password_from_env_or_prompt()?;
            let password = NewPassword::parse(&password, "password").map_err(CliError::from)?;
            let hash = actions::hash_new_password_blocking(&password).map_err(CliError::from)?;
            let mut tx = db.begin().await?;
            actions::admin_users::reset_password(&mut tx, &Origin::cli(), &username, &hash)
                .await
                .map_err(CliError::from)?;
            tx.commit().await?;
            seal_after_commit(db).await;
            println!("Password for {username} changed; their sessions ended and any sign-in lock was lifted.");
        }
        AdminCommand::Unlock { username } => {
            let mut tx = db.begin().await?;
            let locked =
                actions::admin_users::unlock(&mut tx, &Origin::cli(), &username).await.map_err(CliError::from)?;
            tx.commit().await?;
            seal_after_commit(db).await;
            match locked {
                0 => println!("{username} was not locked; any failure counts were cleared."),
                n => println!("{username} unlocked ({n} locked address(es))."),
            }
        }
    }
    Ok(())
}

async fn token_command(db: &Db, command: TokenCommand) -> anyhow::Result<()> {
    use actions::integrations::{create_token, revoke_token, NewTokenInput};
    match command {
        TokenCommand::Create { username, name, expires } => {
            let mut tx = db.begin().await?;
            let user = admins::id_by_username(&mut *tx, &username)
                .await?
                .ok_or_else(|| anyhow!("no admin user named {username}"))?;
            let input = NewTokenInput::parse(&name, user, &expires).map_err(CliError::from)?;
            let token = create_token(&mut tx, &Origin::cli(), &input).await.map_err(CliError::from)?;
            tx.commit().await?;
            seal_after_commit(db).await;
            println!("Token {} ({name}) for {username} created. Its secret, shown only now:", token.id);
            println!("{}", token.secret);
        }
        TokenCommand::Revoke { id } => {
            let mut tx = db.begin().await?;
            let revoked = revoke_token(&mut tx, &Origin::cli(), id).await.map_err(CliError::from)?;
            tx.commit().await?;
            seal_after_commit(db).await;
            if revoked {
                println!("Token {id} revoked.");
            } else {
                println!("Token {id} was already revoked.");
            }
        }
    }
    Ok(())
}

/// Creates an active admin user in the role named `role`, through the same action as the
/// admin screen, logged as done from the command line.
pub async fn create_admin(
    db: &Db,
    username: &str,
    email: &str,
    first_name: &str,
    last_name: &str,
    role: &str,
    password: &str,
) -> anyhow::Result<i64> {
    let role_id = admins::role_id_by_name(&db.pool, role).await?.ok_or_else(|| anyhow!("no role named {role}"))?;
    let form = AdminUserForm {
        username: username.into(),
        email: email.into(),
        first_name: first_name.into(),
        last_name: last_name.into(),
        password: password.into(),
        password_confirmation: password.into(),
        role_id: role_id.to_string(),
        is_active: Checkbox(true),
        ..Default::default()
    };
    let input = AdminUserInput::try_from(&form).map_err(CliError::from)?;
    let hash = match &input.password {
        Some(p) => actions::hash_new_password_blocking(p).map_err(CliError::from)?,
        None => bail!("a password is required"),
    };
    let mut tx = db.begin().await?;
    let id = actions::admin_users::save_admin_user(&mut tx, &Origin::cli(), &input, Some(&hash))
        .await
        .map_err(CliError::from)?;
    tx.commit().await?;
    seal_after_commit(db).await;
    Ok(id)
}

/// Resolves `default`, `website:<code>` or `store:<code>` to a scope.
async fn resolve_scope(db: &Db, raw: &str) -> anyhow::Result<Scope> {
    Ok(match ScopeRef::parse(raw).map_err(|e| anyhow!(e))? {
        ScopeRef::Default => Scope::Default,
        ScopeRef::Website(code) => Scope::Website(
            stores::id_by_code(&db.pool, false, code).await?.ok_or_else(|| anyhow!("no website with code {code}"))?,
        ),
        ScopeRef::StoreView(code) => Scope::StoreView(
            stores::id_by_code(&db.pool, true, code).await?.ok_or_else(|| anyhow!("no store view with code {code}"))?,
        ),
    })
}

async fn config_set(db: &Db, path: &str, value: &str, scope: &str) -> anyhow::Result<()> {
    let scope = resolve_scope(db, scope).await?;
    let change = ConfigChange::single(path, value, scope).map_err(CliError::from)?;
    let mut tx = db.begin().await?;
    actions::config::save_config(&mut tx, &Origin::cli(), &change).await.map_err(CliError::from)?;
    tx.commit().await?;
    seal_after_commit(db).await;
    if let Some((field, Some(value))) = change.values.first() {
        let (kind, id) = scope.parts();
        println!("{} = {value} ({kind} {id})", (field.label)(crate::l10n::Locale::en_US));
    }
    Ok(())
}

#[cfg(test)]
mod readme_tests {
    //! The README's command-line examples against the parser above: every example parses, and
    //! every command has an example. An example is a line of README.md that starts with
    //! `target/release/shopassist`, continued on the next line after a trailing `\`.

    use super::Cli;
    use clap::{CommandFactory, Parser};

    const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    const BINARY: &str = "target/release/shopassist";

    /// One command-line example: the README line it starts on (from 1) and its words.
    struct Example {
        line: usize,
        words: Vec<String>,
    }

    /// Splits one line into words as a shell would: blanks separate words, '…' and "…" quote,
    /// `\` escapes the next character, and a `#` starting a word begins a comment. Also says
    /// whether the line ends with a `\` that continues it on the next line.
    fn split(line: &str) -> Result<(Vec<String>, bool), String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut in_word = false;
        let mut chars = line.trim_end().chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' | '\t' => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                '#' if !in_word => break,
                '\\' => match chars.next() {
                    Some(escaped) => {
                        word.push(escaped);
                        in_word = true;
                    }
                    None => {
                        if in_word {
                            words.push(word);
                        }
                        return Ok((words, true));
                    }
                },
                '\'' | '"' => {
                    in_word = true;
                    loop {
                        match chars.next() {
                            Some(q) if q == c => break,
                            Some('\\') if c == '"' => match chars.next() {
                                Some(escaped @ ('"' | '\\')) => word.push(escaped),
                                Some(other) => {
                                    word.push('\\');
                                    word.push(other);
                                }
                                None => return Err(format!("unclosed {c} in `{line}`")),
                            },
                            Some(q) => word.push(q),
                            None => return Err(format!("unclosed {c} in `{line}`")),
                        }
                    }
                }
                _ => {
                    word.push(c);
                    in_word = true;
                }
            }
        }
        if in_word {
            words.push(word);
        }
        Ok((words, false))
    }

    /// Every example in `readme`, in order.
    fn examples(readme: &str) -> Result<Vec<Example>, String> {
        let lines: Vec<&str> = readme.lines().collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            if lines[i].starts_with(BINARY) {
                let line = i + 1;
                let (mut words, mut continued) = split(lines[i]).map_err(|e| format!("README.md line {line}: {e}"))?;
                while continued {
                    i += 1;
                    let number = i + 1;
                    let Some(next) = lines.get(i) else {
                        return Err(format!("README.md line {line}: the example's last line ends with \\"));
                    };
                    let (more, again) = split(next).map_err(|e| format!("README.md line {number}: {e}"))?;
                    words.extend(more);
                    continued = again;
                }
                found.push(Example { line, words });
            }
            i += 1;
        }
        Ok(found)
    }

    fn readme_examples() -> Vec<Example> {
        let text = std::fs::read_to_string(README).unwrap_or_else(|e| panic!("reading {README}: {e}"));
        examples(&text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The command `words` run, such as `admin create` or `migrate`; `None` when they do not
    /// parse.
    fn command_of(words: &[String]) -> Option<String> {
        let matches = Cli::command().try_get_matches_from(words.iter()).ok()?;
        let (name, sub) = matches.subcommand()?;
        Some(match sub.subcommand() {
            Some((leaf, _)) => format!("{name} {leaf}"),
            None => name.to_string(),
        })
    }

    #[test]
    fn every_command_line_example_in_the_readme_parses() {
        let examples = readme_examples();
        let count = examples.len();
        assert!(
            count >= 10,
            "README.md has {count} command-line examples starting with `{BINARY}`, expected at least 10"
        );
        for example in &examples {
            if let Err(err) = Cli::try_parse_from(example.words.iter()) {
                let line = example.line;
                let command = example.words.join(" ");
                panic!(
                    "README.md line {line}: `{command}` does not parse (write each example as a literal \
                     command, without [optional] parts):\n{err}"
                );
            }
        }
    }

    #[test]
    fn every_command_has_an_example_in_the_readme() {
        let shown: Vec<String> = readme_examples().iter().filter_map(|e| command_of(&e.words)).collect();
        let cli = Cli::command();
        let mut commands = Vec::new();
        for command in cli.get_subcommands().filter(|c| c.get_name() != "help") {
            let name = command.get_name();
            if command.has_subcommands() {
                for leaf in command.get_subcommands().filter(|c| c.get_name() != "help") {
                    let leaf = leaf.get_name();
                    commands.push(format!("{name} {leaf}"));
                }
            } else {
                commands.push(name.to_string());
            }
        }
        assert!(!commands.is_empty(), "no commands found in the parser");
        let missing: Vec<&String> = commands.iter().filter(|command| !shown.contains(*command)).collect();
        assert!(missing.is_empty(), "commands without an example in README.md's Command line: {missing:?}");
    }
}
