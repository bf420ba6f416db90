//! Catalog > Products and Catalog > Categories: saving a product (general fields, `Advanced
//! Pricing`, websites, categories) and adding, changing, moving and deleting a category, each
//! checked against the acting admin's role and logged in its transaction.

use super::Rights;
use crate::domain::acl::Resource;
use crate::domain::catalog::{parse_price, subtree, CategoryEdit, ProductEdit};
use crate::domain::error::{AppError, FieldErrors};
use crate::domain::forms::{fields::category as fc, fields::product as f, CategoryForm, ProductForm};
use crate::domain::msg::Msg;
use crate::server::db::audit::{self, Entry, Origin};
use crate::server::db::catalog_admin::{self as db, CategoryWrite, ProductWrite};
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

/// The URL key typed, or one made of the name when none is; lower-case letters, digits and `-`.
fn url_key(typed: &str, name: &str, field: &str, errors: &mut FieldErrors) -> String {
    let typed = typed.trim();
    let key = if typed.is_empty() { url_key_of(name) } else { typed.to_string() };
    if !typed.is_empty() || !name.is_empty() {
        let good = !key.is_empty()
            && key.len() <= 255
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !good {
            errors.add(field, Msg::UrlKeyFormat);
        }
    }
    key
}

/// A name: required, at most 255 characters, no control characters.
fn name(raw: &str, field: &str, errors: &mut FieldErrors) -> String {
    let name = raw.trim().to_string();
    if name.is_empty() {
        errors.add(field, Msg::Required);
    } else if name.chars().count() > 255 {
        errors.add(field, Msg::TooLong { max: 255 });
    } else if name.chars().any(char::is_control) {
        errors.add(field, Msg::ControlCharacters);
    }
    name
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
        let name = name(&form.name, f::name.key, &mut errors);
        let url_key = url_key(&form.url_key, &name, f::url_key.key, &mut errors);
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
    let (known_sites, known_groups) = db::website_and_group_ids(tx).await?;
    for w in input.websites.iter().filter(|w| !known_sites.contains(w)) {
        errors.add(f::websites.key, Msg::UnknownWebsite { value: w.to_string() });
    }
    for c in db::unknown_categories(tx, &input.categories).await? {
        errors.add(f::categories.key, Msg::UnknownCategory { value: c.to_string() });
    }
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

/// A valid category form.
#[derive(Clone, Debug)]
pub struct CategoryInput {
    pub id: Option<i64>,
    pub parent_id: Option<i64>,
    pub name: String,
    pub url_key: String,
    pub position: i64,
    pub active: bool,
}

/// The highest position a category may have.
pub const MAX_POSITION: i64 = 1_000_000;

impl TryFrom<&CategoryForm> for CategoryInput {
    type Error = AppError;

    fn try_from(form: &CategoryForm) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let id = errors.check(super::optional_id(&form.id, Msg::CategoryNotFound)).flatten();
        let parent_id = match form.parent.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(p) if p > 0 => Some(p),
                _ => {
                    errors.add(fc::parent.key, Msg::UnknownCategory { value: raw.to_string() });
                    None
                }
            },
        };
        let name = name(&form.name, fc::name.key, &mut errors);
        let url_key = url_key(&form.url_key, &name, fc::url_key.key, &mut errors);
        let position = match form.position.trim() {
            "" => 0,
            raw => match raw.parse::<i64>() {
                Ok(n) if (0..=MAX_POSITION).contains(&n) => n,
                _ => {
                    errors.add(fc::position.key, Msg::WholeNumber { min: 0, max: MAX_POSITION });
                    0
                }
            },
        };
        errors.finish()?;
        Ok(CategoryInput { id, parent_id, name, url_key, position, active: form.active.get() })
    }
}

/// Adds or changes a category (its parent too: a move); its id. Needs `Catalog > Categories`;
/// the parent must exist and not be the category or one under it, the URL key be free.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save_category(tx: &mut Tx<'_>, origin: &Origin, input: &CategoryInput) -> Result<i64, AppError> {
    Rights::of(tx, origin).await?.require(Resource::CatalogCategories)?;
    db::lock_categories(tx).await?;
    let before: Option<CategoryEdit> = match input.id {
        Some(id) => Some(db::category_edit(tx, id).await?.ok_or(AppError::not_found(Msg::CategoryNotFound))?),
        None => None,
    };
    let mut errors = FieldErrors::default();
    if let Some(parent) = input.parent_id {
        let tree = db::category_tree(tx).await?;
        if !tree.iter().any(|c| c.id == parent) {
            errors.add(fc::parent.key, Msg::UnknownCategory { value: parent.to_string() });
        } else if input.id.is_some_and(|id| subtree(&tree, id).contains(&parent)) {
            errors.add(fc::parent.key, Msg::CategoryUnderItself);
        }
    }
    if db::category_url_taken(tx, &input.url_key, input.id.unwrap_or(0)).await? {
        errors.add(fc::url_key.key, Msg::CategoryUrlKeyTaken);
    }
    errors.finish()?;
    let write = CategoryWrite {
        parent_id: input.parent_id,
        name: &input.name,
        url_key: &input.url_key,
        position: input.position,
        active: input.active,
    };
    let id = match input.id {
        Some(id) => {
            db::update_category(tx, id, &write).await.on_unique(fc::url_key.key, Msg::CategoryUrlKeyTaken)?;
            id
        }
        None => db::insert_category(tx, &write).await.on_unique(fc::url_key.key, Msg::CategoryUrlKeyTaken)?,
    };
    let after = db::category_edit(tx, id).await?;
    let action = if before.is_some() { "Save category" } else { "Create category" };
    audit::write(
        tx,
        origin,
        Entry::change(audit::group::CATALOG, action, "category", id, before.as_ref(), after.as_ref()),
    )
    .await?;
    Ok(id)
}

/// Deletes a category that has no subcategories; its products stay (they leave it). Needs
/// `Catalog > Categories`.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn delete_category(tx: &mut Tx<'_>, origin: &Origin, id: i64) -> Result<(), AppError> {
    Rights::of(tx, origin).await?.require(Resource::CatalogCategories)?;
    db::lock_categories(tx).await?;
    let before = db::category_edit(tx, id).await?.ok_or(AppError::not_found(Msg::CategoryNotFound))?;
    let children = db::category_tree(tx).await?.iter().filter(|c| c.parent_id == Some(id)).count();
    if children > 0 {
        return Err(AppError::Conflict {
            field: None,
            msg: Box::new(Msg::CategoryHasSubcategories { count: children as i64 }),
        });
    }
    // The log keeps which products were in it, so the category can be put back as it was.
    let removed = serde_json::json!({ "category": before, "product_ids": db::category_products(tx, id).await? });
    db::delete_category(tx, id).await?;
    audit::write(
        tx,
        origin,
        Entry::change(audit::group::CATALOG, "Delete category", "category", id, Some(&removed), None::<&CategoryEdit>),
    )
    .await?;
    Ok(())
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
