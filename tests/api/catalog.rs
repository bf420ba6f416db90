//! The storefront's catalog: prices for the viewer's customer group, products only where they
//! are sold, category pages sorted and paged, search through the index, prices in the website's
//! currency, stock, and the demo catalog.

use crate::helpers::{client, config_form, customer_form, register_form, AnswerExt, TestApp, ADMIN_PASSWORD};
use shopassist::api::catalog::{FeaturedProducts, GetCategory, GetProduct, SearchProducts};
use shopassist::domain::catalog::{Listing, SortBy};
use shopassist::domain::error::{AppError, Msg};
use shopassist::server::db::catalog::{self, NewProduct};

/// A category under `parent` (by key), made with the test's database handle.
pub(crate) async fn category(app: &TestApp, parent: Option<&str>, name: &str, key: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let parent = match parent {
        Some(p) => catalog::category_id(&mut *tx, p).await.unwrap(),
        None => None,
    };
    let id = catalog::create_category(&mut tx, parent, name, key, 0).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// A product sold on `websites`, in `categories` (with positions), with `group_prices`.
pub(crate) struct Item<'a> {
    pub sku: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub price: i64,
    pub qty: i64,
    pub featured: bool,
    pub websites: Vec<i64>,
    pub categories: Vec<(i64, i64)>,
    pub group_prices: Vec<(i64, i64)>,
}

impl<'a> Item<'a> {
    pub(crate) fn new(sku: &'a str, name: &'a str, price: i64, websites: Vec<i64>) -> Self {
        Item {
            sku,
            name,
            description: "",
            price,
            qty: 10,
            featured: false,
            websites,
            categories: Vec::new(),
            group_prices: Vec::new(),
        }
    }

    pub(crate) async fn add(&self, app: &TestApp) -> i64 {
        let mut tx = app.db.begin().await.unwrap();
        let url_key = self.sku.to_lowercase();
        let id = catalog::create_product(
            &mut tx,
            &NewProduct {
                sku: self.sku,
                name: self.name,
                url_key: &url_key,
                description: self.description,
                price: self.price,
                qty: self.qty,
                featured: self.featured,
                image_svg: "<svg xmlns='http://www.w3.org/2000/svg'/>",
                websites: &self.websites,
                categories: &self.categories,
                group_prices: &self.group_prices,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }
}

async fn group_id(app: &TestApp, code: &str) -> i64 {
    app.id_of("SELECT id FROM customer_groups WHERE code = $1", code).await
}

/// A shopper on the default store view moved into customer group `code` by the admin.
async fn shopper_in_group(app: &TestApp, email: &str, code: &str) -> reqwest::Client {
    let c = client();
    app.register(&c, &register_form("Rita", "Tailor", email)).await.unwrap();
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let id = app.customer_id(email).await;
    let detail = app.customer(&admin, id).await.unwrap().customer;
    let form = shopassist::domain::forms::CustomerForm {
        group_id: group_id(app, code).await.to_string(),
        ..customer_form(&detail)
    };
    app.save_customer(&admin, &form).await.unwrap();
    c
}

/// The page's canonical link (`<link rel="canonical" href=…>`), as written in the HTML.
fn canonical(html: &str) -> Option<String> {
    html.split("<link").skip(1).map(|tag| &tag[..tag.find('>').unwrap_or(tag.len())]).find_map(|tag| {
        tag.contains(r#"rel="canonical""#).then(|| {
            let at = tag.find(r#"href=""#).expect("a canonical link has an address") + 6;
            tag[at..at + tag[at..].find('"').unwrap()].replace("&amp;", "&")
        })
    })
}

fn prices(listing: &Listing) -> Vec<(String, i64)> {
    listing.products.iter().map(|p| (p.sku.clone(), p.price)).collect()
}

async fn each_viewer_pays_their_groups_price_everywhere(app: TestApp) {
    let main = app.website_id("base").await;
    let tops = category(&app, None, "Tops", "tops").await;
    let (retailer, guest) = (group_id(&app, "Retailer").await, group_id(&app, "NOT LOGGED IN").await);
    let mut tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]);
    tee.categories = vec![(tops, 1)];
    tee.featured = true;
    tee.group_prices = vec![(retailer, 2_000), (guest, 2_400)];
    tee.add(&app).await;
    let mut cap = Item::new("CAP-1", "Harbor Cap", 1_000, vec![main]);
    cap.categories = vec![(tops, 2)];
    cap.featured = true;
    cap.add(&app).await;

    let guest_browser = client();
    let retail = shopper_in_group(&app, "rita@example.com", "Retailer").await;
    let general = client();
    app.register(&general, &register_form("Gene", "Ral", "gene@example.com")).await.unwrap();

    for (who, c, tee_price) in
        [("a guest", &guest_browser, 2_400), ("a Retailer", &retail, 2_000), ("General", &general, 2_500)]
    {
        let want = vec![("TEE-1".to_string(), tee_price), ("CAP-1".to_string(), 1_000)];
        let featured = app.call(c, &FeaturedProducts { store: String::new() }).await.unwrap();
        let mut got = prices(&featured);
        got.sort();
        let mut sorted = want.clone();
        sorted.sort();
        assert_eq!(got, sorted, "{who}: featured");
        let page = app
            .call(
                c,
                &GetCategory { store: String::new(), key: "tops".into(), sort: String::new(), page: String::new() },
            )
            .await
            .unwrap();
        assert_eq!(prices(&page.listing), want, "{who}: category");
        let product = app.call(c, &GetProduct { store: String::new(), key: "tee-1".into() }).await.unwrap();
        assert_eq!(product.card.price, tee_price, "{who}: product");
        assert_eq!(product.regular_price, (tee_price != 2_500).then_some(2_500), "{who}: the regular price beside");
        let found =
            app.call(c, &SearchProducts { store: String::new(), q: "harbor tee".into(), page: String::new() }).await;
        assert_eq!(prices(&found.unwrap()), want[..1], "{who}: search");
    }
    // The page itself shows the viewer's price, in the store view's format.
    let html = app.page_shown(&retail, "/product/tee-1").await;
    assert!(html.contains("$20.00") && html.contains("$25.00"), "{html}");
    assert_eq!(canonical(&html).as_deref(), Some("/product/tee-1"));
    assert_eq!(canonical(&app.page_shown(&guest_browser, "/").await).as_deref(), Some("/"));
    let html = app.page_shown(&guest_browser, "/category/tops").await;
    assert!(html.contains("$24.00") && !html.contains("$20.00"), "{html}");
}

async fn a_product_shows_only_on_the_websites_it_is_sold_on_and_while_enabled(app: TestApp) {
    let (main, second) = (app.website_id("base").await, app.website_id("second").await);
    let shelf = category(&app, None, "Shelf", "shelf").await;
    let mut only_second = Item::new("SECOND-1", "Lantern", 3_000, vec![second]);
    only_second.categories = vec![(shelf, 1)];
    only_second.add(&app).await;
    let mut both = Item::new("BOTH-1", "Lamp", 4_000, vec![main, second]);
    both.categories = vec![(shelf, 2)];
    let lamp = both.add(&app).await;
    let c = client();
    let on = |store: &str| GetCategory {
        store: store.into(),
        key: "shelf".into(),
        sort: String::new(),
        page: String::new(),
    };
    let skus = |l: &Listing| l.products.iter().map(|p| p.sku.clone()).collect::<Vec<_>>();
    assert_eq!(skus(&app.call(&c, &on("")).await.unwrap().listing), ["BOTH-1"]);
    assert_eq!(skus(&app.call(&c, &on("second_en")).await.unwrap().listing), ["SECOND-1", "BOTH-1"]);
    let refused = app.call(&c, &GetProduct { store: String::new(), key: "second-1".into() }).await.refused();
    assert_eq!(refused.error, AppError::not_found(Msg::ProductNotFound));
    assert_eq!(app.get(&c, "/product/second-1").await.status(), 404, "the page is not found either");
    assert_eq!(app.get(&c, "/second_en/product/second-1").await.status(), 200);
    let search = SearchProducts { store: String::new(), q: "lantern".into(), page: String::new() };
    assert!(app.call(&c, &search).await.unwrap().products.is_empty(), "not found by search elsewhere");

    // Disabled: gone everywhere.
    sqlx::query("UPDATE catalog_products SET is_enabled = 0 WHERE id = $1")
        .bind(lamp)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(skus(&app.call(&c, &on("second_en")).await.unwrap().listing), ["SECOND-1"]);
    let refused = app.call(&c, &GetCategory { key: "nope".into(), ..on("") }).await.refused();
    assert_eq!(refused.error, AppError::not_found(Msg::CategoryNotFound));
}

async fn category_pages_sort_by_position_name_or_price_twelve_at_a_time(app: TestApp) {
    let main = app.website_id("base").await;
    let parent = category(&app, None, "Gear", "gear").await;
    let bags = category(&app, Some("gear"), "Bags", "bags").await;
    let _ = parent;
    let mut made = Vec::new();
    for k in 0..30i64 {
        let sku = format!("BAG-{k:02}");
        let name = format!("Bag {}", (b'A' + ((k * 7) % 26) as u8) as char);
        made.push((sku, name, 1_000 + (k * 37) % 500 * 10, 30 - k));
    }
    for (sku, name, price, position) in &made {
        let mut item = Item::new(sku, name, *price, vec![main]);
        item.categories = vec![(bags, *position)];
        item.add(&app).await;
    }
    let c = client();
    let page = |sort: &str, page: &str| GetCategory {
        store: String::new(),
        key: "bags".into(),
        sort: sort.into(),
        page: page.into(),
    };
    let all = |sort: &str| {
        let app = &app;
        let c = &c;
        let sort = sort.to_string();
        async move {
            let mut skus = Vec::new();
            for p in ["1", "2", "3"] {
                let got = app.call(c, &page(&sort, p)).await.unwrap();
                assert_eq!((got.listing.pages, got.listing.total), (3, 30));
                assert!(got.listing.products.len() == if p == "3" { 6 } else { 12 }, "{sort} page {p}");
                skus.extend(got.listing.products.into_iter().map(|p| (p.sku, p.name, p.price)));
            }
            skus
        }
    };
    let mut by_position = made.clone();
    by_position.sort_by_key(|(sku, _, _, position)| (*position, sku.clone()));
    let want: Vec<String> = by_position.iter().map(|m| m.0.clone()).collect();
    assert_eq!(all("").await.into_iter().map(|s| s.0).collect::<Vec<_>>(), want, "position");
    let names: Vec<String> = all("name").await.into_iter().map(|s| s.1).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let by_price: Vec<i64> = all("price").await.into_iter().map(|s| s.2).collect();
    assert!(by_price.windows(2).all(|w| w[0] <= w[1]), "{by_price:?}");
    // A malformed sort or page reads as the default; the breadcrumbs lead back up.
    let odd = app.call(&c, &page("DROP TABLE", "-4")).await.unwrap();
    assert_eq!((odd.sort, odd.listing.page), (SortBy::Position, 1));
    assert_eq!(odd.breadcrumbs.iter().map(|b| b.url_key.as_str()).collect::<Vec<_>>(), ["gear"]);
    let html = app.page_shown(&c, "/category/bags?sort=price&page=2").await;
    assert!(html.contains("Page 2 of 3") && html.contains("rel=\"next\""), "{html}");
    assert_eq!(canonical(&html).as_deref(), Some("/category/bags?sort=price&page=2"));
    // An address with anything else in it names the page's own address as the canonical one.
    let html = app.page_shown(&c, "/category/bags?page=1&utm_source=mail").await;
    assert_eq!(canonical(&html).as_deref(), Some("/category/bags"));
}

async fn search_goes_through_the_index_best_match_first(app: TestApp) {
    let main = app.website_id("base").await;
    let mut in_description = Item::new("DESC-1", "Trail Runner", 5_000, vec![main]);
    in_description.description = "Light enough for the harbor path.";
    in_description.add(&app).await;
    Item::new("NAME-1", "Harbor Jacket", 9_000, vec![main]).add(&app).await;
    Item::new("ZX-9000", "Plain Mug", 900, vec![main]).add(&app).await;
    let c = client();
    let search = |q: &str| SearchProducts { store: String::new(), q: q.into(), page: String::new() };
    let skus = |l: Listing| l.products.into_iter().map(|p| p.sku).collect::<Vec<_>>();
    assert_eq!(skus(app.call(&c, &search("harbor")).await.unwrap()), ["NAME-1", "DESC-1"], "the name weighs more");
    assert_eq!(skus(app.call(&c, &search("harb")).await.unwrap()), ["NAME-1", "DESC-1"], "words match as prefixes");
    assert_eq!(skus(app.call(&c, &search("zx 9000")).await.unwrap()), ["ZX-9000"], "by SKU");
    assert_eq!(skus(app.call(&c, &search("harbor mug")).await.unwrap()), Vec::<String>::new(), "every word");
    for odd in ["\"", "*", "harbor\" OR \"", "NEAR(", "'; DROP TABLE catalog_products; --", ""] {
        let found = app.call(&c, &search(odd)).await;
        assert!(found.is_ok(), "{odd:?}: {found:?}");
    }
    assert_eq!(app.count("catalog_products").await, 3);
    // A renamed product is found by its new name only: the index follows the table.
    sqlx::query("UPDATE catalog_products SET name = 'Anchor Jacket' WHERE sku = 'NAME-1'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(skus(app.call(&c, &search("harbor")).await.unwrap()), ["DESC-1"]);
    assert_eq!(skus(app.call(&c, &search("anchor")).await.unwrap()), ["NAME-1"]);
    let html = app.page_shown(&c, "/search?q=anchor").await;
    assert_eq!(canonical(&html).as_deref(), Some("/search?q=anchor"));
    assert!(
        html.contains("Search results for: &#x27;anchor&#x27;") || html.contains("Search results for: 'anchor'"),
        "{html}"
    );
    assert!(html.contains("Anchor Jacket"), "{html}");
}

/// Past `RANK_EVERY_MATCH_UP_TO` matches (here 0, to try it on a few), results come by tier:
/// every word in the name or SKU first, then the rest, newest first within each, paged across
/// the tiers; the index follows a product's websites and status.
async fn a_broad_search_ranks_by_tier_and_follows_websites_and_status(app: TestApp) {
    let main = app.website_id("base").await;
    let second = app.website_id("second").await;
    let skus: Vec<String> =
        (0..20).map(|n| format!("NAME-{n:02}")).chain((0..10).map(|n| format!("DESC-{n:02}"))).collect();
    let mut ids = Vec::new();
    for (n, sku) in skus.iter().enumerate() {
        let mut item = if n < 20 {
            Item::new(sku, "Harbor Tee", 1_000, vec![main])
        } else {
            let mut plain = Item::new(sku, "Plain Tee", 1_000, vec![main]);
            plain.description = "Made for harbor walks.";
            plain
        };
        item.qty = 5;
        ids.push(item.add(&app).await);
    }
    Item::new("ELSEWHERE-1", "Harbor Cap", 1_000, vec![second]).add(&app).await;
    let group = catalog::guest_group(&app.db.pool).await.unwrap();
    let terms = vec!["harb".to_string()];
    let page = |n: i64| {
        let terms = terms.clone();
        let app = &app;
        async move { catalog::search(&app.db.pool, app.db.backend, &terms, main, group, n, 0).await.unwrap() }
    };
    let found = |l: &Listing| l.products.iter().map(|p| p.sku.clone()).collect::<Vec<_>>();
    let newest_first = |from: usize, to: usize| skus[from..to].iter().rev().cloned().collect::<Vec<_>>();
    let first = page(1).await;
    assert_eq!(first.total, 30, "the other website's product is not counted");
    let mut want = newest_first(0, 20);
    want.extend(newest_first(20, 30).into_iter().take(12 - want.len().min(12)));
    assert_eq!(found(&first), want[..12], "page 1: names, newest first");
    let second_page = page(2).await;
    let mut want = newest_first(0, 20)[12..].to_vec();
    want.extend(newest_first(20, 30)[..4].iter().cloned());
    assert_eq!(found(&second_page), want, "page 2: the last names, then descriptions");
    assert_eq!(found(&page(3).await), newest_first(20, 30)[4..], "page 3: the rest of the descriptions");
    // Disabled, or taken off the website: gone from the index's answers at once.
    sqlx::query("UPDATE catalog_products SET is_enabled = 0 WHERE id = $1")
        .bind(ids[19])
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM catalog_product_websites WHERE product_id = $1")
        .bind(ids[18])
        .execute(&app.db.pool)
        .await
        .unwrap();
    let first = page(1).await;
    assert_eq!(first.total, 28);
    assert_eq!(found(&first)[0], skus[17], "{:?}", found(&first));
    // Enabled again: back.
    sqlx::query("UPDATE catalog_products SET is_enabled = 1 WHERE id = $1")
        .bind(ids[19])
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(found(&page(1).await)[0], skus[19]);
}

async fn prices_read_in_the_websites_currency_and_stock_shows(app: TestApp) {
    let second = app.website_id("second").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = config_form(&format!("website:{second}"), "general", &[("currency.options.base", "TWD")]);
    assert_eq!(app.save_config(&admin, &form).await, Ok(()));
    let mut kettle = Item::new("KETTLE-1", "Kettle", 123_450, vec![second]);
    kettle.qty = 0;
    kettle.add(&app).await;
    let c = client();
    let product = app.call(&c, &GetProduct { store: "second_zh".into(), key: "kettle-1".into() }).await.unwrap();
    assert_eq!((product.currency.as_str(), product.card.in_stock), ("TWD", false));
    let html = app.page_shown(&c, "/second_zh/product/kettle-1").await;
    assert!(html.contains("NT$1,235") && html.contains("缺貨"), "{html}");
    assert_eq!(canonical(&html).as_deref(), Some("/second_zh/product/kettle-1"), "each store view has its own");
    let html = app.page_shown(&c, "/second_en/product/kettle-1").await;
    assert!(html.contains("NT$1,235") && html.contains("Out of stock"), "{html}");
}

async fn the_demo_catalog_has_categories_prices_and_stock(app: TestApp) {
    shopassist::server::demo_catalog::generate(&app.db, 200, false).await.unwrap();
    assert_eq!(app.count("catalog_products").await, 200);
    assert_eq!(app.count("catalog_categories").await, 10);
    assert_eq!(app.count("catalog_product_group_prices").await, 400, "Retailer and Wholesale");
    let c = client();
    let featured = app.call(&c, &FeaturedProducts { store: String::new() }).await.unwrap();
    assert_eq!(featured.products.len(), 11, "every 17th product is featured: {:?}", prices(&featured));
    let bags = app
        .call(
            &c,
            &GetCategory { store: "second_en".into(), key: "bags".into(), sort: String::new(), page: String::new() },
        )
        .await
        .unwrap();
    assert!(bags.listing.total > 20 && bags.listing.products.iter().any(|p| !p.in_stock), "{:?}", bags.listing.total);
    // Added again: more products, the same tree.
    shopassist::server::demo_catalog::generate(&app.db, 5, false).await.unwrap();
    assert_eq!((app.count("catalog_products").await, app.count("catalog_categories").await), (205, 10));
}

crate::on_both_databases!(
    each_viewer_pays_their_groups_price_everywhere,
    a_product_shows_only_on_the_websites_it_is_sold_on_and_while_enabled,
    category_pages_sort_by_position_name_or_price_twelve_at_a_time,
    search_goes_through_the_index_best_match_first,
    a_broad_search_ranks_by_tier_and_follows_websites_and_status,
    prices_read_in_the_websites_currency_and_stock_shows,
    the_demo_catalog_has_categories_prices_and_stock,
);
