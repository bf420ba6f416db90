//! Demo data: two websites with their stores and views, customer groups, the
//! Administrators role and as many customers as asked for (100,000 in about a minute).

use super::db::{admins, customers, now_ms, stores, Db};
use crate::domain::acl::Grant;
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
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes { customers: 60, customers_only: false }
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
        if verbose {
            println!("The database already has stores; nothing loaded (use --customers-only to add customers).");
        }
        return Ok(());
    }
    if websites == 0 {
        structure(db).await?;
    }
    generate_customers(db, sizes.customers, verbose).await?;
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
        stores::create_view(&mut tx, &stores::NewView { group_id, website_id, code, name, sort_order, is_default })
            .await?;
    }
    for code in ["General", "Wholesale", "Retailer"] {
        customers::ensure_group(&mut tx, code).await?;
    }
    if admins::role_id_by_name_tx(&mut tx, "Administrators").await?.is_none() {
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
