//! Demo data: two websites with their stores and views, customer groups, the
//! Administrators role and as many customers as asked for (100,000 in about a minute).

use super::db::{now_ms, Db};
use crate::domain::acl::Grant;
use indicatif::{ProgressBar, ProgressStyle};
use rand::distributions::{Alphanumeric, DistString};
use sqlx::Row;

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
    let websites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM websites").fetch_one(&db.pool).await?;
    if websites > 0 && !sizes.customers_only {
        if verbose {
            println!("The database already has stores; nothing loaded (use --customers-only to add customers).");
        }
        return Ok(());
    }
    if websites == 0 {
        structure(db).await?;
    }
    customers(db, sizes.customers, verbose).await?;
    Ok(())
}

async fn structure(db: &Db) -> anyhow::Result<()> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    let site = |code: &'static str, name: &'static str, order: i64, default: i64| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO websites (code, name, sort_order, is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(order)
        .bind(default)
        .bind(now)
    };
    let main = site("base", "Main Website", 0, 1).fetch_one(&mut *tx).await?;
    let second = site("second", "Second Website", 1, 0).fetch_one(&mut *tx).await?;
    let group = |website: i64, code: &'static str, name: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO store_groups (website_id, code, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(website)
        .bind(code)
        .bind(name)
        .bind(now)
    };
    let main_group = group(main, "main_website_store", "Main Website Store").fetch_one(&mut *tx).await?;
    let second_group = group(second, "second_website_store", "Second Website Store").fetch_one(&mut *tx).await?;
    let views = [
        (main_group, main, "default", "Default Store View", 0, 1),
        (second_group, second, "second_en", "Second Store English", 0, 1),
        (second_group, second, "second_zh", "Second Store 中文", 1, 0),
    ];
    for (g, w, code, name, order, default) in views {
        sqlx::query(
            "INSERT INTO store_views (group_id, website_id, code, name, sort_order, is_active, is_default, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7)",
        )
        .bind(g)
        .bind(w)
        .bind(code)
        .bind(name)
        .bind(order)
        .bind(default)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for code in ["General", "Wholesale", "Retailer"] {
        sqlx::query("INSERT INTO customer_groups (code, created_at, updated_at) VALUES ($1, $2, $2) ON CONFLICT (code) DO NOTHING")
            .bind(code)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM admin_roles WHERE name = 'Administrators'").fetch_optional(&mut *tx).await?;
    if exists.is_none() {
        super::db::admins::save_role(&mut tx, None, "Administrators", &Grant::All).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn customers(db: &Db, count: u32, verbose: bool) -> anyhow::Result<()> {
    if count == 0 {
        return Ok(());
    }
    let views = sqlx::query("SELECT id, website_id FROM store_views ORDER BY id").fetch_all(&db.pool).await?;
    let views: Vec<(i64, i64)> =
        views.iter().map(|r| Ok((r.try_get("id")?, r.try_get("website_id")?))).collect::<Result<_, sqlx::Error>>()?;
    let groups: Vec<i64> = sqlx::query_scalar("SELECT id FROM customer_groups ORDER BY id").fetch_all(&db.pool).await?;
    anyhow::ensure!(!views.is_empty() && !groups.is_empty(), "no store views or customer groups");
    let start: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM customers").fetch_one(&db.pool).await?;
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
        let mut sql = String::from(
            "INSERT INTO customers (website_id, store_view_id, group_id, email, email_normalized, first_name, last_name, \
             password_hash, is_active, assistance_allowed, created_at, updated_at) VALUES ",
        );
        for i in 0..n {
            let b = i * 11;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${},${},${},${},${},${},${},${},${},0,${},${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10,
                b + 11
            ));
        }
        let mut q = sqlx::query(&sql);
        for i in 0..n {
            let k = start as u64 + u64::from(done + i) + 1;
            let (view, website) = views[(k % views.len() as u64) as usize];
            let first = FIRST[(k % FIRST.len() as u64) as usize];
            let last = LAST[((k / FIRST.len() as u64) % LAST.len() as u64) as usize];
            let email = format!("{}.{}.{k}@example.com", first.to_lowercase(), last.to_lowercase());
            q = q
                .bind(website)
                .bind(view)
                .bind(groups[(k % groups.len() as u64) as usize])
                .bind(email.clone())
                .bind(email)
                .bind(first)
                .bind(last)
                .bind(hash.clone())
                .bind(i64::from(!k.is_multiple_of(17)))
                .bind(now - (k as i64 % 1000) * 3_600_000)
                .bind(now);
        }
        q.execute(&db.pool).await?;
        done += n;
        bar.set_position(u64::from(done));
    }
    bar.finish_and_clear();
    if verbose {
        println!("{count} customers added.");
    }
    Ok(())
}
