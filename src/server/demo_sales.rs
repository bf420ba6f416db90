//! Demo addresses and orders: an address for each customer who has none (the first few
//! hundred), and orders of catalog products for customers, spread over the last 90 days.

use super::db::sales::{self as db, NewOrder};
use super::db::{demo, now_ms, Db};
use crate::domain::sales::{Address, CartLine};
use indicatif::{ProgressBar, ProgressStyle};

const CITIES: &[(&str, &str, &str, &str)] = &[
    ("US", "Austin", "TX", "78701"),
    ("US", "Portland", "OR", "97201"),
    ("TW", "Taipei", "", "110"),
    ("TW", "Kaohsiung", "", "800"),
    ("GB", "Leeds", "", "LS1 4AP"),
    ("CA", "Toronto", "ON", "M5H 2N2"),
];

fn demo_address(first: &str, last: &str, k: usize) -> Address {
    let (country, city, region, postcode) = CITIES[k % CITIES.len()];
    Address {
        first_name: first.into(),
        last_name: last.into(),
        company: String::new(),
        street: format!("{} Harbor Street", 10 + k % 90),
        city: city.into(),
        region: region.into(),
        postcode: postcode.into(),
        country_id: country.into(),
        telephone: format!("555-01{:02}", k % 100),
    }
}

/// Gives customers without an address one (at most `limit`), then adds `orders` orders.
pub async fn generate(db: &Db, addresses_for: u32, orders: u32, verbose: bool) -> anyhow::Result<()> {
    let customers = demo::customers(&db.pool, i64::from(addresses_for.max(orders.min(1000)))).await?;
    if customers.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (k, c) in customers.iter().enumerate().take(addresses_for as usize) {
        let (id, first, last) = (&c.id, &c.first_name, &c.last_name);
        if db::addresses(&mut *tx, *id).await?.is_empty() {
            let a = db::insert_address(&mut tx, *id, &demo_address(first, last, k)).await?;
            db::set_defaults(&mut tx, *id, a, true, true).await?;
        }
    }
    tx.commit().await?;
    if orders == 0 {
        return Ok(());
    }
    let products = demo::products(&db.pool).await?;
    anyhow::ensure!(!products.is_empty(), "orders need products: add some with --products");
    let views = demo::view_currencies(&db.pool).await?;
    let bar = if verbose && orders >= 1000 {
        let bar = ProgressBar::new(u64::from(orders));
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} orders ({eta} left)")?);
        bar
    } else {
        ProgressBar::hidden()
    };
    let now = now_ms();
    let span = 90 * 24 * 3_600_000i64;
    const BATCH: u32 = 500;
    let mut done = 0u32;
    while done < orders {
        let n = BATCH.min(orders - done);
        let mut tx = db.begin().await?;
        for i in 0..n {
            let k = (done + i) as usize;
            let c = &customers[k % customers.len()];
            let (customer, view, group, email, first, last) =
                (&c.id, &c.store_view_id, &c.group_id, &c.email, &c.first_name, &c.last_name);
            let (website, currency) = views.get(view).cloned().unwrap_or((1, "USD".into()));
            let lines: Vec<CartLine> = (0..1 + k % 3)
                .map(|j| {
                    let (id, sku, name, price) = &products[(k * 7 + j * 13) % products.len()];
                    let qty = 1 + ((k + j) % 3) as i64;
                    CartLine {
                        product_id: *id,
                        sku: sku.clone(),
                        name: name.clone(),
                        url_key: String::new(),
                        qty,
                        price: *price,
                        row_total: price * qty,
                        available: true,
                        stock: 0,
                    }
                })
                .collect();
            let total_qty: i64 = lines.iter().map(|l| l.qty).sum();
            let subtotal: i64 = lines.iter().map(|l| l.row_total).sum();
            let shipping = 500 * total_qty;
            let increment = db::next_increment(&mut tx, *view).await?;
            let key = db::random_key();
            let order = db::insert_order(
                &mut tx,
                &NewOrder {
                    increment_id: &increment,
                    store_view_id: *view,
                    website_id: website,
                    customer_id: Some(*customer),
                    email,
                    first_name: first,
                    last_name: last,
                    group_id: *group,
                    currency: &currency,
                    total_qty,
                    subtotal,
                    shipping_amount: shipping,
                    grand_total: subtotal + shipping,
                    checkout_key: &key,
                    assistance_session_id: None,
                    placed_by_admin_id: None,
                },
            )
            .await?;
            // Spread over the last 90 days, oldest first.
            let at = now - span + span * (k as i64 + 1) / (i64::from(orders) + 1);
            demo::backdate_order(&mut tx, order, at).await?;
            for line in &lines {
                db::insert_item(&mut tx, order, line).await?;
            }
            let address = demo_address(first, last, k % customers.len());
            db::insert_order_address(&mut tx, order, "shipping", &address).await?;
            db::insert_order_address(&mut tx, order, "billing", &address).await?;
        }
        tx.commit().await?;
        done += n;
        bar.set_position(u64::from(done));
    }
    bar.finish_and_clear();
    if verbose {
        println!("{orders} orders added.");
    }
    Ok(())
}
