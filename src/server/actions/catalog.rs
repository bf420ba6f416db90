//! Catalog > Products: saving a product (general fields, `Advanced Pricing`, websites,
//! categories), checked against the acting admin's role and logged in its transaction.

use super::Rights;
use crate::domain::acl::Resource;
use crate::domain::catalog::{parse_price, ProductEdit};
use crate::domain::error::{AppError, FieldErrors};
use crate::domain::forms::{fields::product as f, ProductForm};
use crate::domain::msg::Msg;
use crate::server::db::audit::{self, Entry, Origin};
use crate::server::db::catalog_admin::{self as db, ProductWrite};
use crate::server::db::Tx;
use crate::server::error::OnUnique;

/// A valid product form.
#[derive(Clone, Debug)]
pub struct ProductInput {
    pub id: Option<i64>,
    pub sku: String,
    pub name: String,
    pub url_key: String,
    pub description: String,
    pub price: i64,
    pub qty: i64,
    pub enabled: bool,
    pub featured: bool,
    pub websites: Vec<i64>,
    pub categories: Vec<i64>,
    pub group_prices: Vec<(i64, i64)>,
}

/// A URL key made of a name: lower-case letters and digits, words joined by `-`.
pub fn url_key_of(name: &str) -> String {
    let mut key = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('-') && !key.is_empty() {
            key.push('-');
        }
    }
    key.trim_end_matches('-').to_string()
}

fn ids(raw: &[String], field: &str, errors: &mut FieldErrors) -> Vec<i64> {
    let mut out = Vec::new();
    for v in raw.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        match v.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !out.contains(&id) {
                    out.push(id)
                }
            }
            _ => errors.add(field, Msg::UnknownWebsite { value: v.to_string() }),
        }
    }
    out
}

impl TryFrom<&ProductForm> for ProductInput {
    type Error = AppError;

    fn try_from(form: &ProductForm) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let id = errors.check(super::optional_id(&form.id, Msg::ProductNotFound)).flatten();
        let sku = form.sku.trim().to_string();
        if sku.is_empty() {
            errors.add(f::sku.key, Msg::Required);
        } else if sku.chars().count() > 64 || !sku.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            errors.add(f::sku.key, Msg::SkuFormat);
        }
        let name = form.name.trim().to_string();
        if name.is_empty() {
            errors.add(f::name.key, Msg::Required);
        } else if name.chars().count() > 255 {
            errors.add(f::name.key, Msg::TooLong { max: 255 });
        } else if name.chars().any(char::is_control) {
            errors.add(f::name.key, Msg::ControlCharacters);
        }
        let typed = form.url_key.trim();
        let url_key = if typed.is_empty() { url_key_of(&name) } else { typed.to_string() };
        if !typed.is_empty() || !name.is_empty() {
            let good = !url_key.is_empty()
                && url_key.len() <= 255
                && url_key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !good {
                errors.add(f::url_key.key, Msg::UrlKeyFormat);
            }
        }
        let description = form.description.trim().to_string();
        if description.chars().count() > 10_000 {
            errors.add(f::description.key, Msg::TooLong { max: 10_000 });
        } else if description.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            errors.add(f::description.key, Msg::ControlCharacters);
        }
        let price = parse_price(&form.price);
        if price.is_none() {
            errors.add(f::price.key, Msg::MoneyAmount { max: "100000000.00".into() });
        }
        let qty = match form.qty.trim().parse::<i64>() {
            Ok(n) if (0..=1_000_000).contains(&n) => n,
            _ => {
                errors.add(f::qty.key, Msg::WholeNumber { min: 0, max: 1_000_000 });
                0
            }
        };
        let websites = ids(&form.websites, f::websites.key, &mut errors);
        let categories = ids(&form.categories, f::categories.key, &mut errors);
        let mut group_prices = Vec::new();
        for (group, raw) in &form.group_prices {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let key = format!("{}.{group}", f::group_prices.key);
            match (group.parse::<i64>(), parse_price(raw)) {
                (Ok(g), Some(p)) => group_prices.push((g, p)),
                (Err(_), _) => errors.add(&key, Msg::UnknownGroup { value: group.clone() }),
                (_, None) => errors.add(&key, Msg::MoneyAmount { max: "100000000.00".into() }),
            }
        }
        group_prices.sort_unstable();
        errors.finish()?;
        Ok(ProductInput {
            id,
            sku,
            name,
            url_key,
            description,
            price: price.unwrap_or_default(),
            qty,
            enabled: form.enabled.get(),
            featured: form.featured.get(),
            websites,
            categories,
            group_prices,
        })
    }
}

/// Adds or changes a product; its id. Needs `Catalog > Products`; the websites, categories and
/// groups named must exist, the SKU and URL key be free.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save_product(tx: &mut Tx<'_>, origin: &Origin, input: &ProductInput) -> Result<i64, AppError> {
    Rights::of(tx, origin).await?.require(Resource::CatalogProducts)?;
    let mut errors = FieldErrors::default();
    let known_sites: Vec<i64> = sqlx::query_scalar("SELECT id FROM websites").fetch_all(&mut **tx).await?;
    for w in input.websites.iter().filter(|w| !known_sites.contains(w)) {
        errors.add(f::websites.key, Msg::UnknownWebsite { value: w.to_string() });
    }
    for c in db::unknown_categories(tx, &input.categories).await? {
        errors.add(f::categories.key, Msg::UnknownCategory { value: c.to_string() });
    }
    let known_groups: Vec<i64> = sqlx::query_scalar("SELECT id FROM customer_groups").fetch_all(&mut **tx).await?;
    for (g, _) in input.group_prices.iter().filter(|(g, _)| !known_groups.contains(g)) {
        errors.add(&format!("{}.{g}", f::group_prices.key), Msg::UnknownGroup { value: g.to_string() });
    }
    let except = input.id.unwrap_or(0);
    if db::taken(tx, "sku", &input.sku, except).await? {
        errors.add(f::sku.key, Msg::SkuTaken);
    }
    if db::taken(tx, "url_key", &input.url_key, except).await? {
        errors.add(f::url_key.key, Msg::UrlKeyTaken);
    }
    errors.finish()?;
    let before = match input.id {
        Some(id) => Some(db::product_edit(tx, id).await?.ok_or(AppError::not_found(Msg::ProductNotFound))?),
        None => None,
    };
    let write = ProductWrite {
        sku: &input.sku,
        name: &input.name,
        url_key: &input.url_key,
        description: &input.description,
        price: input.price,
        qty: input.qty,
        enabled: input.enabled,
        featured: input.featured,
    };
    let id = match input.id {
        Some(id) => {
            db::update_product(tx, id, &write).await.on_unique(f::sku.key, Msg::SkuTaken)?;
            id
        }
        None => db::insert_product(tx, &write).await.on_unique(f::sku.key, Msg::SkuTaken)?,
    };
    db::replace_links(tx, id, &input.websites, &input.categories, &input.group_prices).await?;
    let after: Option<ProductEdit> = db::product_edit(tx, id).await?;
    let action = if before.is_some() { "Save product" } else { "Create product" };
    audit::write(
        tx,
        origin,
        Entry::change(audit::group::CATALOG, action, "product", id, before.as_ref(), after.as_ref()),
    )
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::url_key_of;

    #[test]
    fn a_url_key_is_made_of_the_name() {
        assert_eq!(url_key_of("Harbor Tee (Blue) 2"), "harbor-tee-blue-2");
        assert_eq!(url_key_of("  --Über  "), "ber");
        assert_eq!(url_key_of("茶杯"), "");
    }
}
