//! Catalog > Products: the grid (search, filters, paging, CSV), the edit page's save with
//! `Advanced Pricing`, websites and categories, its checks, the role resource, the action log
//! and the storefront pages it changes. Catalog > Categories: the tree, adding, moving,
//! reordering, disabling and deleting, with the same checks.

use crate::catalog::{category, Item};
use crate::helpers::{client, next_of, searching, AnswerExt, TestApp, ADMIN_PASSWORD};
use shopassist::api::catalog::GetProduct;
use shopassist::api::catalog_admin::{
    DeleteCategory, GetCategories, GetProductEditData, ListProducts, SaveCategory, SaveProduct,
};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::error::Msg;
use shopassist::domain::forms::{CategoryForm, Checkbox, ProductForm};
use shopassist::domain::grid::GridQuery;

fn form(sku: &str, name: &str, price: &str, websites: &[i64]) -> ProductForm {
    ProductForm {
        sku: sku.into(),
        name: name.into(),
        price: price.into(),
        qty: "7".into(),
        enabled: Checkbox(true),
        websites: std::iter::once(String::new()).chain(websites.iter().map(|w| w.to_string())).collect(),
        categories: vec![String::new()],
        ..ProductForm::default()
    }
}

async fn group(app: &TestApp, code: &str) -> i64 {
    app.id_of("SELECT id FROM customer_groups WHERE code = $1", code).await
}

async fn an_admin_adds_and_edits_a_product_and_the_store_shows_it(app: TestApp) {
    let main = app.website_id("base").await;
    let lamps = category(&app, None, "Lamps", "lamps").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let retailer = group(&app, "Retailer").await;

    // Everything wrong is named at once, and nothing is written.
    let bad = ProductForm {
        sku: "bad sku!".into(),
        name: String::new(),
        price: "12.345".into(),
        qty: "-1".into(),
        url_key: "Not A Key".into(),
        ..form("", "", "", &[main])
    };
    let refusal = app.call(&admin, &SaveProduct { form: bad }).await.refused();
    for (field, msg) in [
        ("sku", Msg::SkuFormat),
        ("name", Msg::Required),
        ("qty", Msg::WholeNumber { min: 0, max: 1_000_000 }),
        ("url_key", Msg::UrlKeyFormat),
    ] {
        assert_eq!(refusal.error.field_msg(field), Some(&msg), "{field}");
    }
    assert!(refusal.error.field_msg("price").is_some());
    assert_eq!(app.count("catalog_products").await, 0);

    let mut new = form("LAMP-1", "Brass Desk Lamp", "49.90", &[main]);
    new.categories.push(lamps.to_string());
    new.group_prices.insert(retailer.to_string(), "39.90".into());
    let id = app.call(&admin, &SaveProduct { form: new.clone() }).await.expect("created");
    let data = app.load(&admin, &GetProductEditData { id: id.to_string() }).await.unwrap();
    let p = data.product.unwrap();
    assert_eq!((p.url_key.as_str(), p.price, p.qty), ("brass-desk-lamp", 4_990, 7), "the URL key comes from the name");
    assert_eq!((p.websites, p.categories, p.group_prices), (vec![main], vec![lamps], vec![(retailer, 3_990)]));
    assert!(data.groups.iter().any(|g| g.name == "NOT LOGGED IN"), "guests' prices can be set");

    // The storefront sells it at once (its listing pages leave the page cache).
    let guest = client();
    assert!(app.page_shown(&guest, "/category/lamps").await.contains("Brass Desk Lamp"));
    let shown = app.call(&guest, &GetProduct { store: String::new(), key: "brass-desk-lamp".into() }).await.unwrap();
    assert_eq!(shown.card.price, 4_990);

    // A SKU or URL key another product has is refused.
    let twin = form("LAMP-1", "Brass Desk Lamp", "1", &[main]);
    let refusal = app.call(&admin, &SaveProduct { form: twin }).await.refused();
    assert_eq!(refusal.error.field_msg("sku"), Some(&Msg::SkuTaken));
    assert_eq!(refusal.error.field_msg("url_key"), Some(&Msg::UrlKeyTaken));
    let ghost = ProductForm { websites: vec![String::new(), "9999".into()], ..form("G-1", "Ghost", "1", &[]) };
    let refusal = app.call(&admin, &SaveProduct { form: ghost }).await.refused();
    assert_eq!(refusal.error.field_msg("websites"), Some(&Msg::UnknownWebsite { value: "9999".into() }));

    // Disabled and repriced: the product page leaves the cache and the store stops selling it.
    app.page_shown(&guest, "/product/brass-desk-lamp").await;
    let edit = ProductForm { id: id.to_string(), enabled: Checkbox(false), price: "45".into(), ..new };
    app.call(&admin, &SaveProduct { form: edit }).await.expect("saved");
    let gone = app.get(&guest, "/product/brass-desk-lamp").await;
    assert_eq!(gone.status(), 404);
    let log = app.log().await;
    let actions: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.target_type == "product")
        .map(|e| (e.action.as_str(), e.action_group.as_str()))
        .collect();
    assert_eq!(actions, vec![("Create product", "Catalog"), ("Save product", "Catalog")]);
    let saved = log.iter().rev().find(|e| e.action == "Save product").unwrap();
    assert!(
        saved.old_value.as_deref().unwrap().contains("4990") && saved.new_value.as_deref().unwrap().contains("4500")
    );
}

async fn the_product_grid_searches_filters_pages_and_exports(app: TestApp) {
    let main = app.website_id("base").await;
    for i in 0..45 {
        let sku = format!("SKU-{i:03}");
        let name = if i % 3 == 0 { format!("Harbor Lamp {i}") } else { format!("Canyon Mug {i}") };
        let mut item =
            Item::new(Box::leak(sku.into_boxed_str()), Box::leak(name.into_boxed_str()), 1_000 + i, vec![main]);
        item.qty = i;
        item.add(&app).await;
    }
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let first = app.grid::<ListProducts>(&admin, &GridQuery::default()).await.unwrap();
    assert_eq!((first.rows.len(), first.count.rows), (20, 45));
    assert_eq!(first.rows[0].sku, "SKU-044", "newest first");
    let second = app.grid::<ListProducts>(&admin, &next_of(&first).unwrap()).await.unwrap();
    assert_eq!(second.rows[0].sku, "SKU-024", "keyset paging goes on where the first page ended");
    let found = app.grid::<ListProducts>(&admin, &searching("harbor")).await.unwrap();
    assert_eq!(found.count.rows, 15);
    let by_sku = app.grid::<ListProducts>(&admin, &searching("sku-01")).await.unwrap();
    assert_eq!(by_sku.count.rows, 10);
    let csv = app.export::<ListProducts>(&admin, &searching("harbor")).await;
    assert_eq!(csv.records().len(), 16, "a header and the 15 rows found");
    assert_eq!(csv.records()[0][..3], ["ID", "SKU", "Name"]);

    // A role without Catalog > Products sees none of it.
    let clerk = app.admin_with("clerk", Grant::custom([Resource::CustomersManage])).await;
    let clerk = app.admin_client(&clerk, ADMIN_PASSWORD).await;
    assert_eq!(app.grid::<ListProducts>(&clerk, &GridQuery::default()).await.status(), 403);
    let refusal = app.call(&clerk, &SaveProduct { form: form("X-1", "X", "1", &[main]) }).await.refused();
    assert_eq!(refusal.status, 403);
    assert_eq!(app.get(&clerk, "/admin/export/products.csv").await.status(), 403);
}

fn category_form(name: &str, parent: Option<i64>, position: i64) -> CategoryForm {
    CategoryForm {
        name: name.into(),
        parent: parent.map(|p| p.to_string()).unwrap_or_default(),
        position: position.to_string(),
        active: Checkbox(true),
        ..CategoryForm::default()
    }
}

/// A page's `X-Page-Cache` and body.
async fn cached(app: &TestApp, c: &reqwest::Client, path: &str) -> (String, String) {
    let res = app.get(c, path).await;
    assert_eq!(res.status(), 200, "{path}");
    let cache = res.headers().get("x-page-cache").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (cache, res.text().await.unwrap())
}

async fn an_admin_builds_and_reshapes_the_category_tree(app: TestApp) {
    let main = app.website_id("base").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;

    // Everything wrong is named at once, and nothing is written.
    let bad = CategoryForm { url_key: "Not A Key".into(), parent: "abc".into(), ..category_form("", None, -3) };
    let refusal = app.call(&admin, &SaveCategory { form: bad }).await.refused();
    for (field, msg) in [
        ("name", Msg::Required),
        ("url_key", Msg::UrlKeyFormat),
        ("position", Msg::WholeNumber { min: 0, max: 1_000_000 }),
        ("parent", Msg::UnknownCategory { value: "abc".into() }),
    ] {
        assert_eq!(refusal.error.field_msg(field), Some(&msg), "{field}");
    }
    assert_eq!(app.count("catalog_categories").await, 0);

    // A root with two subcategories; the tree lists each under its parent, by position.
    let home = app.call(&admin, &SaveCategory { form: category_form("Home Goods", None, 0) }).await.expect("root");
    let lamps = app.call(&admin, &SaveCategory { form: category_form("Lamps", Some(home), 2) }).await.expect("lamps");
    let rugs = app.call(&admin, &SaveCategory { form: category_form("Rugs", Some(home), 1) }).await.expect("rugs");
    let data = app.load(&admin, &GetCategories { id: String::new() }).await.unwrap();
    let shape: Vec<(i64, usize, &str)> = data.tree.iter().map(|c| (c.id, c.depth, c.url_key.as_str())).collect();
    assert_eq!(shape, vec![(home, 0, "home-goods"), (rugs, 1, "rugs"), (lamps, 1, "lamps")]);
    assert!(data.category.is_none());

    // The store shows it: the category page lists its product, the home page's menu names the root.
    let mut lamp = Item::new("LAMP-1", "Brass Lamp", 9_900, vec![main]);
    lamp.categories = vec![(lamps, 1)];
    let lamp_id = lamp.add(&app).await;
    let guest = client();
    assert!(app.page_shown(&guest, "/category/lamps").await.contains("Brass Lamp"));
    let (_, page) = cached(&app, &guest, "/").await;
    assert!(page.contains("Home Goods"));
    assert_eq!(cached(&app, &guest, "/").await.0, "HIT");

    // Renamed: the cached pages go, and the store shows the new name.
    let edit =
        CategoryForm { id: home.to_string(), url_key: "home-goods".into(), ..category_form("Home Living", None, 0) };
    app.call(&admin, &SaveCategory { form: edit.clone() }).await.expect("renamed");
    let (cache, page) = cached(&app, &guest, "/").await;
    assert_eq!(cache, "MISS", "a category change empties the page cache");
    assert!(page.contains("Home Living") && !page.contains("Home Goods"));

    // A category cannot go under itself or a subcategory, nor under one that does not exist,
    // and a URL key another category has is refused.
    for parent in [home, lamps] {
        let loop_ = CategoryForm { parent: parent.to_string(), ..edit.clone() };
        let refusal = app.call(&admin, &SaveCategory { form: loop_ }).await.refused();
        assert_eq!(refusal.error.field_msg("parent"), Some(&Msg::CategoryUnderItself), "under {parent}");
    }
    let ghost = CategoryForm { parent: "9999".into(), ..edit.clone() };
    let refusal = app.call(&admin, &SaveCategory { form: ghost }).await.refused();
    assert_eq!(refusal.error.field_msg("parent"), Some(&Msg::UnknownCategory { value: "9999".into() }));
    let twin = CategoryForm { url_key: "lamps".into(), ..category_form("More Lamps", None, 0) };
    let refusal = app.call(&admin, &SaveCategory { form: twin }).await.refused();
    assert_eq!(refusal.error.field_msg("url_key"), Some(&Msg::CategoryUrlKeyTaken));
    let data = app.load(&admin, &GetCategories { id: home.to_string() }).await.unwrap();
    assert!(data.parents.is_empty(), "a root over every other category can go under none of them");
    let data = app.load(&admin, &GetCategories { id: lamps.to_string() }).await.unwrap();
    assert_eq!(data.parents.iter().map(|p| p.id).collect::<Vec<_>>(), vec![home, rugs]);

    // Moved to the top level and placed first; the tree follows.
    let up = CategoryForm { id: lamps.to_string(), url_key: "lamps".into(), ..category_form("Lamps", None, 0) };
    app.call(&admin, &SaveCategory { form: up }).await.expect("moved");
    let data = app.load(&admin, &GetCategories { id: String::new() }).await.unwrap();
    let shape: Vec<(i64, usize)> = data.tree.iter().map(|c| (c.id, c.depth)).collect();
    assert_eq!(shape, vec![(home, 0), (rugs, 1), (lamps, 0)], "same position: the older first");

    // Disabled, a category's page is gone from the store.
    let off = CategoryForm {
        id: rugs.to_string(),
        url_key: "rugs".into(),
        active: Checkbox(false),
        ..category_form("Rugs", Some(home), 1)
    };
    app.call(&admin, &SaveCategory { form: off }).await.expect("disabled");
    assert_eq!(app.get(&guest, "/category/rugs").await.status(), 404);

    // A category with subcategories is not deleted; one without is, and its products stay.
    let refusal = app.call(&admin, &DeleteCategory { id: home.to_string() }).await.refused();
    assert_eq!((refusal.status, refusal.error.msg()), (409, Msg::CategoryHasSubcategories { count: 1 }));
    app.call(&admin, &DeleteCategory { id: lamps.to_string() }).await.expect("deleted");
    assert_eq!(app.get(&guest, "/category/lamps").await.status(), 404);
    assert_eq!(app.get(&guest, "/product/lamp-1").await.status(), 200, "the product stays");
    let refusal = app.call(&admin, &DeleteCategory { id: lamps.to_string() }).await.refused();
    assert_eq!(refusal.status, 404);

    let log = app.log().await;
    let actions: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.target_type == "category")
        .map(|e| (e.action.as_str(), e.action_group.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("Create category", "Catalog"),
            ("Create category", "Catalog"),
            ("Create category", "Catalog"),
            ("Save category", "Catalog"),
            ("Save category", "Catalog"),
            ("Save category", "Catalog"),
            ("Delete category", "Catalog"),
        ]
    );
    let deleted = log.iter().find(|e| e.action == "Delete category").unwrap();
    let old = deleted.old_value.as_deref().unwrap();
    assert!(old.contains("\"Lamps\"") && old.contains(&format!("[{lamp_id}]")), "the log can put it back: {old}");
}

async fn categories_need_their_role_resource(app: TestApp) {
    let root = crate::catalog::category(&app, None, "Lamps", "lamps").await;
    let clerk = app.admin_with("clerk", Grant::custom([Resource::CatalogProducts])).await;
    let clerk = app.admin_client(&clerk, ADMIN_PASSWORD).await;
    assert_eq!(app.load(&clerk, &GetCategories { id: String::new() }).await.status(), 403);
    let refusal = app.call(&clerk, &SaveCategory { form: category_form("Rugs", None, 0) }).await.refused();
    assert_eq!(refusal.status, 403);
    let refusal = app.call(&clerk, &DeleteCategory { id: root.to_string() }).await.refused();
    assert_eq!(refusal.status, 403);
    assert_eq!(app.count("catalog_categories").await, 1, "nothing changed");

    let merchandiser = app.admin_with("merch", Grant::custom([Resource::CatalogCategories])).await;
    let merchandiser = app.admin_client(&merchandiser, ADMIN_PASSWORD).await;
    let id = app.call(&merchandiser, &SaveCategory { form: category_form("Rugs", None, 0) }).await.expect("allowed");
    assert!(app.load(&merchandiser, &GetCategories { id: id.to_string() }).await.unwrap().category.is_some());
    let menu = app.page_shown(&merchandiser, "/admin/catalog/categories").await;
    assert!(menu.contains("href=\"/admin/catalog/categories\"") && !menu.contains("href=\"/admin/catalog/products\""));
}

async fn a_category_saved_twice_at_once_or_from_another_site(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    // The same new category sent twice at once (a double click): one is made, the other is
    // told its URL key is taken.
    let form = category_form("Lamps", None, 0);
    let save = SaveCategory { form: form.clone() };
    let (a, b) = tokio::join!(app.call(&admin, &save), app.call(&admin, &save));
    let (made, refusal) = match (a, b) {
        (Ok(id), Err(r)) | (Err(r), Ok(id)) => (id, r),
        other => panic!("one save and one refusal, got {other:?}"),
    };
    assert_eq!(refusal.error.field_msg("url_key"), Some(&Msg::CategoryUrlKeyTaken));
    assert_eq!(app.count("catalog_categories").await, 1);
    let again = app.call(&admin, &SaveCategory { form }).await.refused();
    assert_eq!(again.error.field_msg("url_key"), Some(&Msg::CategoryUrlKeyTaken));

    // From another site, with the admin's own cookie: refused, nothing changed.
    for (path, body) in [
        ("/admin/api/category_save", crate::helpers::encode(&SaveCategory { form: category_form("Rugs", None, 0) })),
        ("/admin/api/category_delete", crate::helpers::encode(&DeleteCategory { id: made.to_string() })),
    ] {
        let reply = app.post_raw_with(&admin, path, body, &[("origin", "https://evil.example")]).await;
        assert_eq!(reply.status, 403, "{path}");
    }
    assert_eq!(app.count("catalog_categories").await, 1);
}

crate::on_both_databases!(
    an_admin_adds_and_edits_a_product_and_the_store_shows_it,
    the_product_grid_searches_filters_pages_and_exports,
    an_admin_builds_and_reshapes_the_category_tree,
    categories_need_their_role_resource,
    a_category_saved_twice_at_once_or_from_another_site,
);
