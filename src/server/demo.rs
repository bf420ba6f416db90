//! Demo data: two websites with their stores and views, customer groups, the
//! Administrators role and as many customers as asked for (100,000 in about a minute).

use super::db::{admins, config, customers, now_ms, stores, Db};
use crate::domain::acl::Grant;
use crate::domain::config::{Scope, GENERAL_LOCALE};
use indicatif::{ProgressBar, ProgressStyle};
use rand::distributions::{Alphanumeric, DistString};

#[derive(clap::Args, Debug, Clone)]
pub struct Sizes {
    /// How many customers to generate.
    #[arg(long, default_value_t = 60)]
    pub customers: u32,
    /// Add customers even when the database already has stores.
    #[arg(long)]
    pub customers_only: bool,
    /// How many action log entries to generate (spread over the last 90 days, sealed).
    #[arg(long, default_value_t = 0)]
    pub log_entries: u32,
    /// How many catalog products to add (with group prices and stock, in the demo categories);
    /// unset: 200 on a new database, none on one that has stores.
    #[arg(long)]
    pub products: Option<u32>,
    /// How many orders to add (for customers, of catalog products, over the last 90 days);
    /// unset: 40 on a new database, none on one that has stores.
    #[arg(long)]
    pub orders: Option<u32>,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes { customers: 60, customers_only: false, log_entries: 0, products: None, orders: None }
    }
}

const FIRST: &[&str] = &[
    "Veronica", "John", "Mei", "Ahmed", "Olga", "Carlos", "Aiko", "Liam", "Sofia", "Noah", "Zanele", "Ivan", "Chen",
    "Priya", "Lucas", "Emma", "Tomás", "Yuki", "Fatima", "Oscar",
];
const LAST: &[&str] = &[
    "Costello", "Smith", "Lin", "Hassan", "Petrova", "García", "Sato", "Murphy", "Rossi", "Müller", "Dlamini",
    "Ivanov", "Wang", "Patel", "Silva", "Dubois", "Novak", "Tanaka", "Haddad", "Berg",
];

/// Loads the store structure into an empty database (or does nothing when stores exist,
/// unless `customers_only`), then adds customers.
pub async fn load(db: &Db, sizes: &Sizes, verbose: bool) -> anyhow::Result<()> {
    let (websites, _) = stores::counts(&db.pool).await?;
    if websites > 0 && !sizes.customers_only {
        if verbose && sizes.log_entries == 0 && sizes.products.is_none() && sizes.orders.is_none() {
            println!("The database already has stores; nothing loaded (use --customers-only to add customers).");
        }
        // Log entries, products and orders can always be added.
        super::demo_catalog::generate(db, sizes.products.unwrap_or(0), verbose).await?;
        super::demo_sales::generate(db, 0, sizes.orders.unwrap_or(0), verbose).await?;
        return generate_log_entries(db, sizes.log_entries, verbose).await;
    }
    if websites == 0 {
        structure(db).await?;
        super::demo_catalog::generate(db, sizes.products.unwrap_or(200), verbose).await?;
    } else {
        super::demo_catalog::generate(db, sizes.products.unwrap_or(0), verbose).await?;
    }
    generate_customers(db, sizes.customers, verbose).await?;
    let fresh = websites == 0;
    let orders = sizes.orders.unwrap_or(if fresh { 40 } else { 0 });
    super::demo_sales::generate(db, if fresh { 200 } else { 0 }, orders, verbose).await?;
    generate_log_entries(db, sizes.log_entries, verbose).await?;
    Ok(())
}

/// Adds `count` action log entries, oldest first, spread evenly over the last 90 days, and
/// seals them into the log's hash chain as it goes.
async fn generate_log_entries(db: &Db, count: u32, verbose: bool) -> anyhow::Result<()> {
    use super::db::audit::{self, group, GeneratedEntry};
    if count == 0 {
        return Ok(());
    }
    let bar = if verbose {
        let bar = ProgressBar::new(u64::from(count));
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} log entries ({eta} left)")?);
        bar
    } else {
        ProgressBar::hidden()
    };
    const KINDS: &[(&str, &str, &str)] = &[
        (group::CUSTOMERS, "Save customer", "customer"),
        (group::ASSIST, "Login as Customer", "customer"),
        (group::ASSIST, "End Login as Customer", "assistance_session"),
        (group::CONFIGURATION, "Save configuration", "config"),
        (group::PERMISSIONS, "Save role", "admin_role"),
        (group::ADMIN_SIGN_IN, "Sign in", "admin_user"),
    ];
    let span = 90 * 86_400_000_i64;
    let now = now_ms();
    let step = (span / i64::from(count)).max(1);
    const BATCH: u32 = 1000;
    let mut done = 0u32;
    while done < count {
        let n = BATCH.min(count - done);
        let rows: Vec<GeneratedEntry> = (0..n)
            .map(|i| {
                let k = done + i;
                let (group, action, target_type) = KINDS[(k as usize) % KINDS.len()];
                let failed = group == group::ADMIN_SIGN_IN && k.is_multiple_of(5);
                GeneratedEntry {
                    created_at: now - span + i64::from(k) * step,
                    admin_id: None,
                    actor: format!("agent{}", k % 7),
                    actor_type: "admin",
                    group,
                    action,
                    target_type,
                    target_id: (k % 5000).to_string(),
                    new_value: Some(format!("{{\"demo\":{k}}}")),
                    result: if failed { "failure" } else { "success" },
                }
            })
            .collect();
        audit::insert_generated(&db.pool, &rows).await?;
        super::db::chain::seal_all_pending(db).await?;
        done += n;
        bar.set_position(u64::from(done));
    }
    bar.finish_and_clear();
    if verbose {
        println!("{count} action log entries added.");
    }
    Ok(())
}

async fn structure(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let main = stores::create_website(&mut tx, "base", "Main Website", 0, true).await?;
    let second = stores::create_website(&mut tx, "second", "Second Website", 1, false).await?;
    let main_group = stores::create_group(&mut tx, main, "main_website_store", "Main Website Store").await?;
    let second_group = stores::create_group(&mut tx, second, "second_website_store", "Second Website Store").await?;
    let views = [
        (main_group, main, "default", "Default Store View", 0, true),
        (second_group, second, "second_en", "Second Store English", 0, true),
        (second_group, second, "second_zh", "Second Store 中文", 1, false),
    ];
    for (group_id, website_id, code, name, sort_order, is_default) in views {
        let id =
            stores::create_view(&mut tx, &stores::NewView { group_id, website_id, code, name, sort_order, is_default })
                .await?;
        // The second website's Chinese store view speaks Traditional Chinese; the rest English.
        if code == "second_zh" {
            config::put(&mut tx, Scope::StoreView(id), GENERAL_LOCALE, Some("zh-Hant-TW")).await?;
        }
    }
    for code in ["General", "Wholesale", "Retailer"] {
        customers::ensure_group(&mut tx, code).await?;
    }
    if admins::role_id_by_name(&mut *tx, "Administrators").await?.is_none() {
        admins::save_role(&mut tx, None, "Administrators", &Grant::All).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn generate_customers(db: &Db, count: u32, verbose: bool) -> anyhow::Result<()> {
    if count == 0 {
        return Ok(());
    }
    let views = stores::view_websites(&db.pool).await?;
    let groups = customers::group_ids(&db.pool).await?;
    anyhow::ensure!(!views.is_empty() && !groups.is_empty(), "no store views or customer groups");
    let start = customers::max_id(&db.pool).await?;
    // One hash for every generated shopper: hashing 100,000 passwords would take hours,
    // and a random password means none of them can be signed into.
    let hash = super::password::hash_blocking(&Alphanumeric.sample_string(&mut rand::thread_rng(), 24))?;
    let bar = if verbose && count >= 1000 {
        let bar = ProgressBar::new(u64::from(count));
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} customers ({eta} left)")?);
        bar
    } else {
        ProgressBar::hidden()
    };
    let now = now_ms();
    const BATCH: u32 = 500;
    let mut done = 0u32;
    while done < count {
        let n = BATCH.min(count - done);
        let rows: Vec<customers::GeneratedCustomer> = (0..n)
            .map(|i| {
                let k = start as u64 + u64::from(done + i) + 1;
                let (view, website) = views[(k % views.len() as u64) as usize];
                let first = FIRST[(k % FIRST.len() as u64) as usize];
                let last = LAST[((k / FIRST.len() as u64) % LAST.len() as u64) as usize];
                customers::GeneratedCustomer {
                    website_id: website,
                    store_view_id: view,
                    group_id: groups[(k % groups.len() as u64) as usize],
                    email: format!("{}.{}.{k}@example.com", first.to_lowercase(), last.to_lowercase()),
                    first_name: first.to_string(),
                    last_name: last.to_string(),
                    is_active: !k.is_multiple_of(17),
                    created_at: now - (k as i64 % 1000) * 3_600_000,
                }
            })
            .collect();
        customers::insert_generated(&db.pool, &rows, &hash).await?;
        done += n;
        bar.set_position(u64::from(done));
    }
    bar.finish_and_clear();
    if verbose {
        println!("{count} customers added.");
    }
    Ok(())
}
