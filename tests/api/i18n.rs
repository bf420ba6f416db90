//! Traditional Chinese and English throughout: each page speaks its reader's language (the
//! store view's locale on the storefront, the admin's Interface Locale in the admin, the
//! browser's on the sign-in page), and no visible text bypasses the translations.

use crate::helpers::{
    account_form as shopper_account_form, client, config_form, customer_sign_in_form, encode, register_form,
    sign_in_form, TestApp, ADMIN_PASSWORD,
};
use server_fn::ServerFn;
use shopassist::api::admin_auth::{GetMyAccount, SaveMyAccount};
use shopassist::api::assist::StartAssist;
use shopassist::api::storefront::{CloseAssistance, CustomerSignIn};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::assist::Started;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{AccountSettingForm, Checkbox, RegisterForm, StartAssistForm};
use shopassist::domain::model::{AdminUserRow, ConfigScreen};
use shopassist::l10n::Locale;
use shopassist::server::actions::integrations::{create_token, NewTokenInput};
use shopassist::server::db::audit::Origin;

crate::on_both_databases!(
    every_page_reads_in_traditional_chinese_with_no_english_left,
    each_side_keeps_its_own_language_while_assisting,
    the_admin_sign_in_page_follows_the_browser,
    an_admin_sets_their_own_interface_locale,
    the_store_view_locale_is_configuration_at_three_scopes,
    the_assistance_notice_is_written_in_the_shoppers_language,
    the_config_screen_shows_built_in_texts_in_the_language_they_are_read_in,
    refusals_outside_the_pages_are_written_in_the_readers_language,
    the_command_line_sets_a_store_views_locale,
    the_assistance_notice_quotes_the_title_the_store_view_shows,
);

const ENABLED: &str = "login_as_customer.general.enabled";
const LOCALE: &str = "general.locale.code";

fn lang(html: &str) -> Option<&str> {
    let start = html.find("<html lang=\"")? + "<html lang=\"".len();
    Some(&html[start..start + html[start..].find('"')?])
}

/// The text a person reads on `html`: the text between tags and the attributes read aloud or
/// shown (`aria-label`, `title`, `placeholder`, `alt`, an `optgroup`'s `label`, the `value` a
/// visible input shows), without scripts, styles and `<pre>` (the action log's JSON
/// snapshots, data as stored), with entities decoded.
fn visible_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push(rest[..open].to_string());
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        // An input shows its value in its box (a text field, a button); a hidden one, a
        // checkbox or a radio button does not.
        let shows_value = tag.starts_with("<input")
            && !["hidden", "checkbox", "radio"].iter().any(|t| tag.contains(&format!("type=\"{t}\"")));
        let value: &[&str] = if shows_value { &["value=\""] } else { &[] };
        let shown = ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\"", "label=\""];
        for attr in shown.iter().chain(value) {
            let mut t = tag;
            while let Some(i) = t.find(attr) {
                let before = t[..i].chars().last();
                let value_start = i + attr.len();
                let value_end = t[value_start..].find('"').map_or(t.len(), |e| value_start + e);
                if matches!(before, Some(' ') | Some('\n')) {
                    out.push(t[value_start..value_end].to_string());
                }
                t = &t[value_end..];
            }
        }
        let lower = tag.to_ascii_lowercase();
        rest = &rest[tag_end..];
        for skipped in ["script", "style", "pre"] {
            if lower.starts_with(&format!("<{skipped}")) && !lower.ends_with("/>") {
                let close = format!("</{skipped}>");
                rest = rest.find(&close).map_or("", |c| &rest[c + close.len()..]);
            }
        }
    }
    out.push(rest.to_string());
    out.into_iter()
        .map(|t| {
            t.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// Words that are the same in every language: names of things and of standards.
const SAME_IN_EVERY_LANGUAGE: &[&str] =
    &["ID", "IP", "CSV", "API", "JSON", "URL", "UTC", "CRM", "Webhook", "https", "JavaScript", "shopassist", "Redis"];

/// Runs of English on `html` that are not data: two or more ASCII words in a row, or one word
/// of three letters or more, once every piece of `data` (names, emails, codes) is taken out.
fn english_left(html: &str, data: &[String]) -> Vec<String> {
    let mut data: Vec<&String> = data.iter().filter(|d| !d.trim().is_empty()).collect();
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    let mut found = Vec::new();
    for text in visible_text(html) {
        let mut text = text;
        for d in &data {
            text = text.replace(d.as_str(), " ");
        }
        // Addresses and paths are data too.
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '/' | '_' | '-' | ':' | '\'')))
            .filter(|w| !w.is_empty())
            .filter(|w| !w.contains(['@', '/', '_']) && !w.starts_with("sa_"))
            .collect();
        let letters = |w: &str| w.chars().filter(|c| c.is_ascii_alphabetic()).count();
        let english: Vec<&str> = words
            .into_iter()
            .filter(|w| letters(w) >= 2 && w.is_ascii())
            .filter(|w| !SAME_IN_EVERY_LANGUAGE.contains(&w.trim_matches(|c: char| !c.is_ascii_alphanumeric())))
            .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
            .collect();
        if english.len() >= 2 || english.iter().any(|w| letters(w) >= 3) {
            found.push(text.trim().to_string());
        }
    }
    found
}

/// Every name, email and code the demo data and this test made: data, shown as written.
async fn data(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT name FROM websites",
        "SELECT code FROM websites",
        "SELECT name FROM store_groups",
        "SELECT name FROM store_views",
        "SELECT code FROM store_views",
        "SELECT code FROM customer_groups",
        "SELECT username FROM admin_users",
        "SELECT first_name FROM admin_users",
        "SELECT last_name FROM admin_users",
        "SELECT email FROM admin_users",
        "SELECT name FROM admin_roles",
        "SELECT first_name FROM customers",
        "SELECT last_name FROM customers",
        "SELECT email FROM customers",
        "SELECT DISTINCT user_agent FROM action_log",
        "SELECT DISTINCT ip FROM action_log",
        "SELECT name FROM integration_tokens",
        "SELECT name FROM catalog_products",
        "SELECT sku FROM catalog_products",
        "SELECT description FROM catalog_products",
        "SELECT name FROM catalog_categories",
        "SELECT url_key FROM catalog_categories",
        "SELECT url_key FROM catalog_products",
    ] {
        let values: Vec<String> = sqlx::query_scalar(sql).fetch_all(&app.db.pool).await.expect(sql);
        out.extend(values);
    }
    // The people the pages name.
    out.extend(["Lin Mei".to_string(), "Ada Admin".to_string()]);
    out
}

/// A shopper of the Chinese store view who allowed assistance, signed in in their browser.
async fn chinese_shopper(app: &TestApp) -> (reqwest::Client, i64) {
    let c = client();
    let form = RegisterForm {
        store: "second_zh".into(),
        assistance_allowed: Some(Checkbox(true)),
        ..register_form("Mei", "Lin", "mei@example.com")
    };
    app.register(&c, &form).await.expect("registered on the Chinese store view");
    (c, app.customer_id("mei@example.com").await)
}

async fn enable(app: &TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assert_eq!(app.save_config(&admin, &config_form("default", "login_as_customer", &[(ENABLED, "1")])).await, Ok(()));
}

fn account_form(me: &AdminUserRow, locale: &str) -> AccountSettingForm {
    AccountSettingForm {
        first_name: me.first_name.clone(),
        last_name: me.last_name.clone(),
        email: me.email.clone(),
        interface_locale: locale.into(),
        current_password: ADMIN_PASSWORD.into(),
    }
}

/// The admin `admin`, reading the admin panel in `locale`.
async fn admin_in(app: &TestApp, locale: &str) -> reqwest::Client {
    signed_in_reading(app, "admin", locale).await
}

/// Admin `username`, signed in and reading the admin panel in `locale`.
async fn signed_in_reading(app: &TestApp, username: &str, locale: &str) -> reqwest::Client {
    let admin = app.admin_client(username, ADMIN_PASSWORD).await;
    let me = app.load(&admin, &GetMyAccount {}).await.expect("own account");
    assert_eq!(app.call(&admin, &SaveMyAccount { form: account_form(&me, locale) }).await, Ok(()));
    admin
}

/// A browser nobody signed in on, asking for Traditional Chinese.
fn taiwanese_browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", reqwest::header::HeaderValue::from_static("zh-TW,zh;q=0.9"));
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("client")
}

/// Posts `args` to their server function as a browser without JavaScript posts a form from
/// `from` (a page's path); returns where the answer sends it back to (a path, with any error
/// in its query).
async fn post_as_form<F: ServerFn + serde::Serialize>(
    app: &TestApp,
    c: &reqwest::Client,
    from: &str,
    args: &F,
) -> String {
    let res = c
        .post(app.url(F::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("origin", app.origin())
        .header("referer", app.url(from))
        .body(encode(args))
        .send()
        .await
        .expect("posted");
    assert!(res.status().is_redirection(), "{}: {}", F::PATH, res.status());
    let to = res.headers()["location"].to_str().expect("a location").to_string();
    to.strip_prefix(&app.url("")).map_or(to.clone(), str::to_string)
}

/// A page's status and HTML; asked for once more if its body stalls (see `TestApp::get`).
async fn fetch(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let res = app.get(c, path).await;
    let status = res.status().as_u16();
    match res.text().await {
        Ok(html) => (status, html),
        Err(e) => panic!("GET {path}: the body did not arrive: {e}\n{}", app.server_log()),
    }
}

/// A token for `username`, made as the command line makes it.
async fn token(app: &TestApp, username: &str, name: &str) {
    let mut tx = app.db.begin().await.unwrap();
    let input = NewTokenInput::parse(name, app.admin_id(username).await, "90d").unwrap();
    create_token(&mut tx, &Origin::cli(), &input).await.unwrap();
    tx.commit().await.unwrap();
}

async fn start_and_open(app: &TestApp, admin: &reqwest::Client, customer: i64) {
    let form = StartAssistForm { customer_id: customer.to_string(), store: String::new(), reason: String::new() };
    let started: Started = app.call(admin, &StartAssist { form }).await.expect("started");
    let secret = started.open_url.split_once('#').expect("fragment").1;
    let reply = app.post_raw(admin, "/admin/login-as-customer/redeem", format!("ticket={secret}")).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.headers["location"], "/second_zh/customer/account");
}

/// The shopper adds `product` on `second_zh`, saves an address, places an order and fills the
/// cart again; returns the order's and the address's ids.
async fn shop_on_second_zh(app: &TestApp, shopper: &reqwest::Client, product: i64) -> (i64, i64) {
    use shopassist::api::sales::{AddToCart, GetCheckout, PlaceOrder, SaveAddress};
    use shopassist::domain::forms::{AddressForm, CartLineForm, PlaceOrderForm};
    let store = || "second_zh".to_string();
    let add = AddToCart { store: store(), form: CartLineForm { product: product.to_string(), qty: "1".into() } };
    app.call(shopper, &add).await.expect("added");
    let form = AddressForm {
        first_name: "美".into(),
        last_name: "林".into(),
        street: "信義路七號".into(),
        city: "台北市".into(),
        country_id: "TW".into(),
        telephone: "02-1234-5678".into(),
        ..AddressForm::default()
    };
    let address = app.call(shopper, &SaveAddress { store: store(), form }).await.expect("address saved");
    let key = app.call(shopper, &GetCheckout { store: store() }).await.expect("checkout").checkout_key;
    let form = PlaceOrderForm {
        checkout_key: key,
        address_id: address.to_string(),
        shipping_method: "flatrate_flatrate".into(),
        payment_method: "checkmo".into(),
        ..PlaceOrderForm::default()
    };
    let placed = app.call(shopper, &PlaceOrder { store: store(), form }).await.expect("placed");
    app.call(shopper, &add).await.expect("added again");
    (placed.order_id, address)
}

async fn every_page_reads_in_traditional_chinese_with_no_english_left(app: TestApp) {
    enable(&app).await;
    let (shopper, customer) = chinese_shopper(&app).await;
    let admin = admin_in(&app, "zh-Hant-TW").await;
    token(&app, "admin", "crm-sync").await;
    // An admin whose role does not reach most screens, reading Chinese.
    let limited = app.admin_with("limited", Grant::custom([Resource::CustomersManage])).await;
    let limited = signed_in_reading(&app, &limited, "zh-Hant-TW").await;
    let entry: i64 = sqlx::query_scalar("SELECT MAX(id) FROM action_log").fetch_one(&app.db.pool).await.unwrap();
    let role = app.role_id("Administrators").await;
    let me = app.admin_id("admin").await;
    let visitor = client();
    let taiwanese = taiwanese_browser();
    // A wrong password, posted by a browser without JavaScript: the page it comes back to.
    let wrong = CustomerSignIn {
        form: shopassist::domain::forms::CustomerSignInForm {
            store: "second_zh".into(),
            ..customer_sign_in_form("mei@example.com", "Wrong-Passw0rd")
        },
    };
    let refused_sign_in = post_as_form(&app, &client(), "/second_zh/customer/account/login", &wrong).await;
    assert!(refused_sign_in.contains("__err="), "{refused_sign_in}");
    // The catalog: a category with one product in stock and one out of stock.
    let second = app.website_id("second").await;
    let shelf = crate::catalog::category(&app, None, "Tea Shelf", "tea-shelf").await;
    let mut pot = crate::catalog::Item::new("POT-1", "Teapot", 123_450, vec![second]);
    pot.categories = vec![(shelf, 1)];
    pot.featured = true;
    let pot_id = pot.add(&app).await;
    let mut cup = crate::catalog::Item::new("CUP-1", "Teacup", 45_000, vec![second]);
    cup.categories = vec![(shelf, 2)];
    cup.qty = 0;
    cup.add(&app).await;
    // The shopper's cart, Address Book and an order (then the cart filled again).
    let (order_id, address_id) = shop_on_second_zh(&app, &shopper, pot_id).await;
    // (client, path, the status it answers with)
    let mut pages: Vec<(&reqwest::Client, String, u16)> = vec![
        (&visitor, "/second_zh/checkout/cart".into(), 200),
        (&shopper, "/second_zh/checkout/cart".into(), 200),
        (&shopper, "/second_zh/checkout".into(), 200),
        (&shopper, "/second_zh/checkout/onepage/success?order=200000001".into(), 200),
        (&shopper, "/second_zh/sales/order/history".into(), 200),
        (&shopper, format!("/second_zh/sales/order/view/{order_id}"), 200),
        (&shopper, "/second_zh/customer/address".into(), 200),
        (&shopper, "/second_zh/customer/address/new".into(), 200),
        (&shopper, format!("/second_zh/customer/address/edit/{address_id}"), 200),
        (&visitor, "/second_zh".into(), 200),
        (&visitor, "/second_zh/customer/account/login".into(), 200),
        (&visitor, refused_sign_in, 200),
        (&visitor, "/second_zh/customer/account/create".into(), 200),
        (&visitor, "/second_zh/customer/account/logoutSuccess".into(), 200),
        (&visitor, "/second_zh/no-such-page".into(), 404),
        (&visitor, "/second_zh/category/tea-shelf".into(), 200),
        (&visitor, "/second_zh/category/tea-shelf?sort=price".into(), 200),
        (&visitor, "/second_zh/product/pot-1".into(), 200),
        (&visitor, "/second_zh/product/no-such-product".into(), 404),
        (&visitor, "/second_zh/search?q=tea".into(), 200),
        (&visitor, "/second_zh/search?q=nothing".into(), 200),
        (&shopper, "/second_zh/customer/account".into(), 200),
        (&shopper, "/second_zh/customer/account/edit".into(), 200),
        (&taiwanese, "/admin".into(), 200),
        (&limited, "/admin/system/users".into(), 200),
    ];
    for (path, status) in [
        ("/admin".to_string(), 200),
        ("/admin/dashboard".into(), 200),
        ("/admin/nope".into(), 404),
        ("/admin/customers".into(), 200),
        (format!("/admin/customers/{customer}"), 200),
        ("/admin/customers/999999".into(), 200),
        ("/admin/loginascustomer/log".into(), 200),
        ("/admin/stores".into(), 200),
        ("/admin/config?section=general".into(), 200),
        ("/admin/config?section=customer".into(), 200),
        ("/admin/config?section=login_as_customer".into(), 200),
        ("/admin/config?section=admin".into(), 200),
        ("/admin/config?section=carriers".into(), 200),
        ("/admin/config?section=system".into(), 200),
        ("/admin/catalog/products".into(), 200),
        ("/admin/catalog/products/new".into(), 200),
        (format!("/admin/catalog/products/{pot_id}"), 200),
        ("/admin/catalog/categories".into(), 200),
        ("/admin/catalog/categories/new".into(), 200),
        (format!("/admin/catalog/categories/{shelf}"), 200),
        (format!("/admin/config?section=login_as_customer&scope=store:{}", app.store_view_id("second_zh").await), 200),
        ("/admin/system/users".into(), 200),
        ("/admin/system/users/new".into(), 200),
        (format!("/admin/system/users/{me}"), 200),
        ("/admin/system/roles".into(), 200),
        ("/admin/system/roles/new".into(), 200),
        (format!("/admin/system/roles/{role}"), 200),
        ("/admin/system/action-logs".into(), 200),
        (format!("/admin/system/action-logs/{entry}"), 200),
        ("/admin/system/action-logs/999999".into(), 200),
        ("/admin/system/integrations".into(), 200),
        ("/admin/system/account".into(), 200),
        ("/admin/login-as-customer/open".into(), 200),
    ] {
        pages.push((&admin, path, status));
    }
    let mut problems = Vec::new();
    /// The English left on one page, which must say it is in Traditional Chinese.
    fn scan(path: &str, html: &str, data: &[String]) -> Vec<String> {
        assert_eq!(lang(html), Some("zh-Hant-TW"), "{path} says it is in Traditional Chinese");
        assert!(html.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count() > 4, "{path}: {html}");
        english_left(html, data).into_iter().map(|run| format!("{path}: {run:?}")).collect()
    }
    // A handoff link that cannot be used.
    let refused = app.post_raw(&admin, "/admin/login-as-customer/redeem", "ticket=not-a-ticket").await;
    start_and_open(&app, &admin, customer).await;
    // The admin's browser now shows the shopper's storefront, with the banner.
    pages.push((&admin, "/second_zh/customer/account".into(), 200));
    pages.push((&admin, "/second_zh".into(), 200));
    let mut data = data(&app).await;
    // What the shopper typed into the search box is shown back as typed.
    data.extend(["tea".to_string(), "nothing".to_string()]);
    let refusal = shopassist::l10n::message(Locale::zh_Hant_TW, &Msg::SignInRefused);
    for (c, path, want) in &pages {
        let (status, html) = fetch(&app, c, path).await;
        if path.contains("__err=") {
            assert!(html.contains(&refusal), "the refusal shows on the page it came back to: {html}");
        }
        if status != *want {
            problems.push(format!("{path} answered {status}, not {want}"));
        }
        problems.extend(scan(path, &html, &data));
    }
    assert_eq!(refused.status, 403, "{}", refused.body);
    problems.extend(scan("redeem", &refused.body, &data));
    // A change made while assisting, then Close Session: the logs and the shopper's
    // Assistance History say how it ended.
    assert_eq!(app.save_account_on(&admin, "second_zh", &shopper_account_form("Meimei", "Lin")).await, Ok(()));
    app.call(&admin, &CloseAssistance { store: "second_zh".into() }).await.expect("closed");
    let data = self::data(&app).await;
    let entry: i64 = sqlx::query_scalar("SELECT MAX(id) FROM action_log").fetch_one(&app.db.pool).await.unwrap();
    for (c, path) in [
        (&admin, "/admin/loginascustomer/log".to_string()),
        (&admin, "/admin/system/action-logs".into()),
        (&admin, format!("/admin/system/action-logs/{entry}")),
        (&shopper, "/second_zh/customer/account".into()),
    ] {
        let (status, html) = fetch(&app, c, &path).await;
        assert_eq!(status, 200, "{path}");
        problems.extend(scan(&path, &html, &data));
    }
    assert!(problems.is_empty(), "English left on Traditional Chinese pages:\n{}", problems.join("\n"));
    // The scan itself finds English when there is some, in text and in a box's value.
    let english = app.page(&client(), "/customer/account/login").await;
    assert_eq!(lang(&english), Some("en-US"));
    assert!(english_left(&english, &data).iter().any(|r| r.contains("Registered Customers")), "the scan finds English");
    let boxed = r#"<p>標題</p><input type="text" value="Allow remote shopping assistance"/><input type="hidden" value="secret token"/>"#;
    assert_eq!(
        english_left(boxed, &data),
        ["Allow remote shopping assistance"],
        "a visible box's value, not a hidden one's"
    );
}

async fn each_side_keeps_its_own_language_while_assisting(app: TestApp) {
    enable(&app).await;
    let (_, customer) = chinese_shopper(&app).await;
    // An agent who reads English assists a shopper whose store speaks Chinese.
    let admin = admin_in(&app, "en-US").await;
    let page = app.page(&admin, &format!("/admin/customers/{customer}")).await;
    assert_eq!(lang(&page), Some("en-US"));
    assert!(page.contains("Login as Customer"), "the admin's button in English");
    start_and_open(&app, &admin, customer).await;
    let store = app.page(&admin, "/second_zh/customer/account").await;
    assert_eq!(lang(&store), Some("zh-Hant-TW"));
    assert!(store.contains("您正以 Mei Lin 的身分連線到 Second Website"), "the banner in the shopper's language");
    assert!(store.contains("關閉工作階段"), "Close Session in the shopper's language");
    let admin_again = app.page(&admin, "/admin/customers").await;
    assert_eq!(lang(&admin_again), Some("en-US"), "the admin stays in English");
    // And the other way round: a Chinese-reading agent on an English store view.
    let english_shopper = app.shopper("Sam", "Lee", "sam@example.com").await;
    drop(english_shopper);
    let zh_admin = admin_in(&app, "zh-Hant-TW").await;
    let sam = app.customer_id("sam@example.com").await;
    let page = app.page(&zh_admin, &format!("/admin/customers/{sam}")).await;
    assert_eq!(lang(&page), Some("zh-Hant-TW"));
    assert!(page.contains("以客戶身分登入"));
    let store = app.page(&zh_admin, "/").await;
    assert_eq!(lang(&store), Some("en-US"), "the default store view stays English");
}

async fn the_admin_sign_in_page_follows_the_browser(app: TestApp) {
    let page = |accept: &'static str| {
        let app = &app;
        async move {
            let res = client().get(app.url("/admin")).header("accept-language", accept).send().await.unwrap();
            res.text().await.unwrap()
        }
    };
    let zh = page("zh-TW,zh;q=0.9,en-US;q=0.8").await;
    assert_eq!(lang(&zh), Some("zh-Hant-TW"));
    assert!(zh.contains("歡迎，請登入"), "{zh}");
    let en = page("en-GB,en;q=0.9").await;
    assert_eq!(lang(&en), Some("en-US"));
    assert!(en.contains("Welcome, please sign in"));
    let simplified = page("zh-CN,zh-Hans;q=0.9").await;
    assert_eq!(lang(&simplified), Some("en-US"), "no Simplified Chinese: the default");
    // Signed in, the admin's own setting wins over the browser.
    let admin = admin_in(&app, "en-US").await;
    let res = admin.get(app.url("/admin/dashboard")).header("accept-language", "zh-TW").send().await.unwrap();
    assert_eq!(lang(&res.text().await.unwrap()), Some("en-US"));
    // A refused sign-in is answered in the reader's language too: a code, rendered there.
    let refused = app.sign_in(&client(), &sign_in_form("admin", "wrong")).await.unwrap_err();
    assert_eq!(refused.error, AppError::unauthenticated(Msg::SignInRefused));
}

async fn an_admin_sets_their_own_interface_locale(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let me = app.load(&admin, &GetMyAccount {}).await.expect("own account");
    assert_eq!(me.interface_locale, "en-US", "English by default");
    let before = app.log_count().await;
    // Bad input changes nothing.
    let bad = app.call(&admin, &SaveMyAccount { form: account_form(&me, "fr-FR") }).await.unwrap_err();
    assert_eq!(bad.error.field_msg("interface_locale"), Some(&Msg::LocaleUnknown));
    let wrong_password = AccountSettingForm { current_password: "nope".into(), ..account_form(&me, "zh-Hant-TW") };
    let refused = app.call(&admin, &SaveMyAccount { form: wrong_password }).await.unwrap_err();
    assert!(refused.error.field_msg("current_password").is_some(), "{refused:?}");
    let locale: String = sqlx::query_scalar("SELECT interface_locale FROM admin_users WHERE username = 'admin'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(locale, "en-US", "nothing changed");
    assert_eq!(app.call(&admin, &SaveMyAccount { form: account_form(&me, "zh-Hant-TW") }).await, Ok(()));
    let page = app.page(&admin, "/admin/dashboard").await;
    assert_eq!(lang(&page), Some("zh-Hant-TW"));
    assert!(page.contains("儀表板"), "the dashboard in Chinese");
    let entry = app.log_since(before as usize).await.into_iter().find(|e| e.action == "Save own account");
    assert!(entry.is_some(), "the change is logged");
    // Not signed in: refused, nothing else.
    let anonymous = app.call(&client(), &SaveMyAccount { form: account_form(&me, "en-US") }).await.unwrap_err();
    assert_eq!(anonymous.status, 401);
    // From another site: refused.
    let forged = client()
        .post(app.url("/admin/api/account_save"))
        .header("origin", "https://evil.example")
        .form(&[("form[first_name]", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

async fn the_store_view_locale_is_configuration_at_three_scopes(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let en = app.store_view_id("second_en").await;
    let lang_of = |path: &'static str| {
        let app = &app;
        async move { lang(&app.page(&client(), path).await).map(str::to_string) }
    };
    assert_eq!(lang_of("/second_zh").await.as_deref(), Some("zh-Hant-TW"), "the demo's Chinese store view");
    assert_eq!(lang_of("/second_en").await.as_deref(), Some("en-US"));
    // The website's value reaches its views that set none.
    let website = format!("website:{}", app.website_id("second").await);
    assert_eq!(app.save_config(&admin, &config_form(&website, "general", &[(LOCALE, "zh-Hant-TW")])).await, Ok(()));
    assert_eq!(lang_of("/second_en").await.as_deref(), Some("zh-Hant-TW"));
    assert_eq!(lang_of("/").await.as_deref(), Some("en-US"), "the main website is not touched");
    // A store view's own value wins.
    let view = format!("store:{en}");
    assert_eq!(app.save_config(&admin, &config_form(&view, "general", &[(LOCALE, "en-US")])).await, Ok(()));
    assert_eq!(lang_of("/second_en").await.as_deref(), Some("en-US"));
    // The default scope reaches every view that sets nothing.
    assert_eq!(app.save_config(&admin, &config_form("default", "general", &[(LOCALE, "zh-Hant-TW")])).await, Ok(()));
    assert_eq!(lang_of("/").await.as_deref(), Some("zh-Hant-TW"));
    // A locale we do not have is refused and changes nothing.
    let refused = app.save_config(&admin, &config_form("default", "general", &[(LOCALE, "fr-FR")])).await.unwrap_err();
    assert!(refused.error.field_msg(LOCALE).is_some(), "{refused:?}");
    assert_eq!(lang_of("/").await.as_deref(), Some("zh-Hant-TW"));
}

async fn the_assistance_notice_is_written_in_the_shoppers_language(app: TestApp) {
    enable(&app).await;
    let (_, customer) = chinese_shopper(&app).await;
    let admin = admin_in(&app, "en-US").await;
    start_and_open(&app, &admin, customer).await;
    let (subject, body): (String, String) =
        sqlx::query_as("SELECT subject, body FROM outbox_messages WHERE recipient = 'mei@example.com'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the notice is in the outbox");
    assert_eq!(subject, "Second Website：商店客服人員正在協助您");
    assert!(body.starts_with("Mei Lin 您好："), "{body}");
    assert!(body.contains("允許遠端購物協助"), "{body}");
    // An English store view's shopper gets it in English.
    let c = client();
    let form =
        RegisterForm { assistance_allowed: Some(Checkbox(true)), ..register_form("Sam", "Lee", "sam@example.com") };
    app.register(&c, &form).await.expect("registered");
    let sam = app.customer_id("sam@example.com").await;
    let started: Started = app
        .call(
            &admin,
            &StartAssist {
                form: StartAssistForm { customer_id: sam.to_string(), store: String::new(), reason: String::new() },
            },
        )
        .await
        .expect("started");
    assert!(started.session_id > 0);
    let subject: String = sqlx::query_scalar("SELECT subject FROM outbox_messages WHERE recipient = 'sam@example.com'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(subject, "Main Website: a store assistant is helping you");
}

async fn the_config_screen_shows_built_in_texts_in_the_language_they_are_read_in(app: TestApp) {
    const TITLE: &str = "login_as_customer/general/opt_in_title";
    const TOOLTIP: &str = "login_as_customer/general/opt_in_tooltip";
    enable(&app).await;
    let zh_view = format!("store:{}", app.store_view_id("second_zh").await);
    let en_view = format!("store:{}", app.store_view_id("second_en").await);
    let shown = |screen: &ConfigScreen, path: &str| {
        let field = screen.fields.iter().find(|f| f.path == path).expect("the field is on the screen");
        (field.value.clone(), field.inherited_value.clone())
    };
    // A Chinese-reading admin sees the built-in title and tooltip in Chinese above the store
    // views (where the admin's language stands in for the readers').
    let zh = admin_in(&app, "zh-Hant-TW").await;
    let screen = app.config_screen(&zh, "default", "login_as_customer").await.expect("screen");
    assert_eq!(shown(&screen, TITLE).0, "允許遠端購物協助");
    assert!(!shown(&screen, TOOLTIP).0.is_ascii(), "{:?}", shown(&screen, TOOLTIP));
    // At a store view, in that view's language whoever reads the screen: what its shoppers see.
    let screen = app.config_screen(&zh, &en_view, "login_as_customer").await.expect("screen");
    assert_eq!(
        shown(&screen, TITLE),
        ("Allow remote shopping assistance".into(), "Allow remote shopping assistance".into())
    );
    let en = admin_in(&app, "en-US").await;
    let screen = app.config_screen(&en, &zh_view, "login_as_customer").await.expect("screen");
    assert_eq!(shown(&screen, TITLE), ("允許遠端購物協助".into(), "允許遠端購物協助".into()));
    let store = app.page_shown(&client(), "/second_zh/customer/account/create").await;
    assert!(store.contains("允許遠端購物協助"), "the shopper reads the same");
    // On the screen itself the value is an input's.
    let html = app.page(&en, &format!("/admin/config?section=login_as_customer&scope={zh_view}")).await;
    assert!(html.contains("value=\"允許遠端購物協助\""), "{html}");
    // A value set is shown as typed, at its scope and below.
    let website = format!("website:{}", app.website_id("second").await);
    let set = [("login_as_customer.general.opt_in_title", "Let the store help me")];
    assert_eq!(app.save_config(&en, &config_form(&website, "login_as_customer", &set)).await, Ok(()));
    let screen = app.config_screen(&en, &zh_view, "login_as_customer").await.expect("screen");
    assert_eq!(shown(&screen, TITLE).0, "Let the store help me");
    let stored: String = sqlx::query_scalar("SELECT value FROM config_values WHERE path = $1")
        .bind(TITLE)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "Let the store help me");
}

async fn refusals_outside_the_pages_are_written_in_the_readers_language(app: TestApp) {
    let zh = Locale::zh_Hant_TW;
    let text = |msg: Msg| shopassist::l10n::message(zh, &msg);
    // A state change from another site: in the language the browser asks for.
    let forged = |accept: &'static str| {
        let app = &app;
        async move {
            let res = client()
                .post(app.url(CustomerSignIn::PATH))
                .header("origin", "https://evil.example")
                .header("accept-language", accept)
                .form(&[("form[email]", "x")])
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    assert_eq!(forged("zh-TW,zh;q=0.9").await, (403, text(Msg::CrossSiteRefused)));
    assert_eq!(forged("en-US").await, (403, "This request came from another site and was refused.".to_string()));
    assert_ne!(text(Msg::CrossSiteRefused), "This request came from another site and was refused.");
    // A CSV export refused: in the admin's own language, or the browser's when signed out.
    let admin = admin_in(&app, "zh-Hant-TW").await;
    let res = admin.get(app.url("/admin/export/nothing.csv")).header("accept-language", "en").send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.text().await.unwrap(), text(Msg::ExportNotFound));
    let res = taiwanese_browser().get(app.url("/admin/export/customers.csv")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.text().await.unwrap(), text(Msg::AdminSignInNeeded));
    let res = client().get(app.url("/admin/export/customers.csv")).send().await.unwrap();
    assert_eq!(res.text().await.unwrap(), shopassist::l10n::message(Locale::en_US, &Msg::AdminSignInNeeded));
}

/// Runs the `shopassist` binary on this app's database; returns whether it succeeded, with
/// what it printed.
async fn command_line(app: &TestApp, args: &[&str]) -> (bool, String) {
    let url = app.database_url.clone();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_shopassist"))
            .args(&args)
            .env("DATABASE_URL", url)
            .output()
            .expect("the binary runs")
    })
    .await
    .unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), printed)
}

/// The language `path` is shown in once it is `want`, or at last after three seconds: the
/// running store keeps its store views in memory and sees another process's change within a
/// moment (`server::kept::WATCH_EVERY`), without a restart.
async fn lang_soon(app: &TestApp, path: &str, want: &str) -> Option<String> {
    let mut shown = None;
    for _ in 0..30 {
        shown = lang(&app.page(&client(), path).await).map(str::to_string);
        if shown.as_deref() == Some(want) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    shown
}

async fn the_command_line_sets_a_store_views_locale(app: TestApp) {
    let set = |code: &'static str| ["config", "set", "general/locale/code", code, "--scope", "store:second_zh"];
    let (ok, printed) = command_line(&app, &set("en-US")).await;
    assert!(ok, "{printed}");
    assert_eq!(lang_soon(&app, "/second_zh", "en-US").await.as_deref(), Some("en-US"));
    let (ok, printed) = command_line(&app, &set("zh-Hant-TW")).await;
    assert!(ok, "{printed}");
    assert_eq!(
        lang_soon(&app, "/second_zh", "zh-Hant-TW").await.as_deref(),
        Some("zh-Hant-TW"),
        "the storefront speaks the locale the command line set"
    );
    // A locale we do not have: a clear refusal, nothing changed.
    let (ok, printed) = command_line(&app, &set("fr-FR")).await;
    assert!(!ok && printed.contains("en-US") && printed.contains("zh-Hant-TW"), "{printed}");
    assert_eq!(lang(&app.page(&client(), "/second_zh").await), Some("zh-Hant-TW"));
}

async fn the_assistance_notice_quotes_the_title_the_store_view_shows(app: TestApp) {
    enable(&app).await;
    let admin = admin_in(&app, "en-US").await;
    // The Chinese store view shows its own title; the notice quotes it, not the built-in one.
    let view = format!("store:{}", app.store_view_id("second_zh").await);
    let title = [("login_as_customer.general.opt_in_title", "讓門市人員協助我購物")];
    assert_eq!(app.save_config(&admin, &config_form(&view, "login_as_customer", &title)).await, Ok(()));
    let c = client();
    let form = RegisterForm {
        store: "second_zh".into(),
        assistance_allowed: Some(Checkbox(true)),
        ..register_form("美", "林", "mei@example.com")
    };
    app.register(&c, &form).await.expect("registered");
    let edit = app.page_shown(&c, "/second_zh/customer/account/edit").await;
    assert!(edit.contains("讓門市人員協助我購物"), "the checkbox the shopper ticked");
    start_and_open(&app, &admin, app.customer_id("mei@example.com").await).await;
    let body: String = sqlx::query_scalar("SELECT body FROM outbox_messages WHERE recipient = 'mei@example.com'")
        .fetch_one(&app.db.pool)
        .await
        .expect("the notice is in the outbox");
    assert!(body.contains("讓門市人員協助我購物"), "{body}");
    assert!(!body.contains("允許遠端購物協助"), "{body}");
    // And it names the shopper as Chinese writes a Chinese name.
    assert!(body.starts_with("林美 您好："), "{body}");
    let page = app.page_shown(&admin, "/second_zh/customer/account").await;
    assert!(page.contains("您正以 林美 的身分連線到 Second Website"), "the banner: {page}");
}
