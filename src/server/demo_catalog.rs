//! Demo catalog: a category tree and as many products as asked for, each with an SVG drawing
//! (no outside images), stock, Retailer and Wholesale prices, sold on both demo websites.

use super::db::catalog::{self, NewProduct};
use super::db::{customers, stores, Db};
use indicatif::{ProgressBar, ProgressStyle};

/// A top category: its name, URL key, and children (name, URL key).
type Branch = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const TREE: &[Branch] = &[
    ("Women", "women", &[("Tops", "women-tops"), ("Bottoms", "women-bottoms")]),
    ("Men", "men", &[("Tops", "men-tops"), ("Bottoms", "men-bottoms")]),
    ("Gear", "gear", &[("Bags", "bags"), ("Fitness Equipment", "fitness-equipment"), ("Watches", "watches")]),
];

const ADJECTIVES: &[&str] = &[
    "Breathe-Easy",
    "Summit",
    "Harbor",
    "Nova",
    "Cascade",
    "Aurora",
    "Granite",
    "Meadow",
    "Zephyr",
    "Orbit",
    "Tidal",
    "Ember",
    "Alpine",
    "Lumen",
    "Solstice",
    "Drift",
    "Canyon",
    "Willow",
    "Vertex",
    "Marble",
];

/// Per leaf category: the nouns its products are named with.
const NOUNS: &[&[&str]] = &[
    &["Tank", "Tee", "Hoodie", "Jacket"],
    &["Pant", "Short", "Legging", "Skirt"],
    &["Tee", "Hoodie", "Jacket", "Polo"],
    &["Pant", "Short", "Jogger", "Chino"],
    &["Backpack", "Duffle", "Tote", "Messenger Bag"],
    &["Yoga Mat", "Kettlebell", "Jump Rope", "Foam Roller"],
    &["Chronograph", "Sport Watch", "Dive Watch", "Field Watch"],
];

const COLOURS: &[&str] = &["#2f6f8f", "#8f2f4f", "#4f8f2f", "#8f6f2f", "#5f3f8f", "#2f8f7f", "#8f4f2f", "#3f4f5f"];

/// A simple drawing for product `k`: a coloured tile with a shape and the name's initials.
fn drawing(k: u32, name: &str) -> String {
    let bg = COLOURS[k as usize % COLOURS.len()];
    let fg = COLOURS[(k as usize / COLOURS.len() + 3) % COLOURS.len()];
    let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 240 240'><rect width='240' height='240' fill='{bg}'/>\
         <circle cx='120' cy='105' r='62' fill='{fg}' opacity='0.85'/>\
         <text x='120' y='125' font-family='sans-serif' font-size='56' text-anchor='middle' fill='#fff'>{initials}</text></svg>"
    )
}

/// Adds the category tree (when missing) and `count` products after those there are.
pub async fn generate(db: &Db, count: u32, verbose: bool) -> anyhow::Result<()> {
    if count == 0 {
        return Ok(());
    }
    let leaves = categories(db).await?;
    let websites: Vec<i64> = stores::view_websites(&db.pool).await?.into_iter().map(|(_, w)| w).collect();
    let mut websites_unique = websites.clone();
    websites_unique.sort_unstable();
    websites_unique.dedup();
    let groups = customers::groups(&db.pool).await?;
    let group = |code: &str| groups.iter().find(|g| g.code == code).map(|g| g.id);
    let (retailer, wholesale) = (group("Retailer"), group("Wholesale"));
    let start = catalog::count_products(&db.pool).await? as u32;
    let bar = if verbose && count >= 1000 {
        let bar = ProgressBar::new(u64::from(count));
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} products ({eta} left)")?);
        bar
    } else {
        ProgressBar::hidden()
    };
    const BATCH: u32 = 500;
    let mut done = 0u32;
    while done < count {
        let n = BATCH.min(count - done);
        let mut tx = db.begin().await?;
        for i in 0..n {
            let k = start + done + i + 1;
            let leaf = (k as usize) % leaves.len();
            let nouns = NOUNS[leaf % NOUNS.len()];
            let adjective = ADJECTIVES[(k as usize / leaves.len()) % ADJECTIVES.len()];
            let noun = nouns[(k as usize / (leaves.len() * ADJECTIVES.len())) % nouns.len()];
            let name = if k as usize > leaves.len() * ADJECTIVES.len() * nouns.len() {
                format!("{adjective} {noun} {k}")
            } else {
                format!("{adjective} {noun}")
            };
            let sku = format!("SA-{k:06}");
            let url_key = format!("{}-{k}", name.to_lowercase().replace(' ', "-"));
            // $12.00 to $211.50 in steps of 50 cents.
            let price = 1_200 + i64::from(k % 400) * 50;
            let mut group_prices = Vec::new();
            if let Some(g) = retailer {
                group_prices.push((g, price * 90 / 100));
            }
            if let Some(g) = wholesale {
                group_prices.push((g, price * 75 / 100));
            }
            let description = format!(
                "The {name} is made for every day: durable, light and easy to care for. Product {sku} in our {} range.",
                leaves[leaf].1
            );
            catalog::create_product(
                &mut tx,
                &NewProduct {
                    sku: &sku,
                    name: &name,
                    url_key: &url_key,
                    description: &description,
                    price,
                    qty: if k.is_multiple_of(13) { 0 } else { i64::from(k % 50) + 5 },
                    featured: k.is_multiple_of(17),
                    image_svg: &drawing(k, &name),
                    websites: &websites_unique,
                    categories: &[(leaves[leaf].0, i64::from(k))],
                    group_prices: &group_prices,
                },
            )
            .await?;
        }
        tx.commit().await?;
        done += n;
        bar.set_position(u64::from(done));
    }
    bar.finish_and_clear();
    if verbose {
        println!("{count} products added.");
    }
    Ok(())
}

/// The demo tree's leaf categories (id and name), made when missing.
async fn categories(db: &Db) -> anyhow::Result<Vec<(i64, String)>> {
    let mut tx = db.begin().await?;
    let mut leaves = Vec::new();
    for (position, (name, key, children)) in TREE.iter().enumerate() {
        let parent = match catalog::category_id(&mut *tx, key).await? {
            Some(id) => id,
            None => catalog::create_category(&mut tx, None, name, key, position as i64).await?,
        };
        for (position, (child, child_key)) in children.iter().enumerate() {
            let id = match catalog::category_id(&mut *tx, child_key).await? {
                Some(id) => id,
                None => catalog::create_category(&mut tx, Some(parent), child, child_key, position as i64).await?,
            };
            leaves.push((id, format!("{name} {child}")));
        }
    }
    tx.commit().await?;
    Ok(leaves)
}
