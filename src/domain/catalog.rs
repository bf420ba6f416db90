//! The storefront's catalog as the browser receives it: product cards priced for the viewer's
//! customer group, a category's page of them, a product page, search results. Prices are
//! integers in hundredths of the store view's currency; the pages format them
//! ([`crate::l10n::money`]).

use serde::{Deserialize, Serialize};

/// Products on one storefront page.
pub const PAGE_SIZE: i64 = 12;

/// The longest search the storefront takes (characters).
pub const SEARCH_MAX: usize = 128;

/// A product as a card shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub url_key: String,
    /// The price for the viewer's customer group, in hundredths.
    pub price: i64,
    pub in_stock: bool,
    /// An SVG drawing (shown through an `<img>`, so nothing in it runs).
    pub image_svg: String,
}

/// A category as a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub name: String,
    pub url_key: String,
}

/// One page of products, and where it stands among the pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// The currency the prices are in (the store view's website's).
    pub currency: String,
    pub products: Vec<ProductCard>,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

/// How a category page is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SortBy {
    /// The category's own order (the default).
    #[default]
    Position,
    Name,
    Price,
}

impl SortBy {
    pub const ALL: [SortBy; 3] = [SortBy::Position, SortBy::Name, SortBy::Price];

    /// Its name in the address (`?sort=price`).
    pub fn code(self) -> &'static str {
        match self {
            SortBy::Position => "position",
            SortBy::Name => "name",
            SortBy::Price => "price",
        }
    }

    /// The sort an address names; an unknown or empty one is the default.
    pub fn parse(s: &str) -> SortBy {
        SortBy::ALL.into_iter().find(|b| b.code() == s).unwrap_or_default()
    }
}

/// A page number from an address: 1 when missing or malformed, never below 1.
pub fn page_number(s: &str) -> i64 {
    s.parse::<i64>().unwrap_or(1).clamp(1, 1_000_000)
}

/// A category page: the category, its path from the top, its subcategories and its products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryPage {
    pub category: CategoryLink,
    pub breadcrumbs: Vec<CategoryLink>,
    pub children: Vec<CategoryLink>,
    pub sort: SortBy,
    pub listing: Listing,
}

/// A product page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPage {
    pub currency: String,
    pub card: ProductCard,
    pub description: String,
    /// The price everyone else pays when the viewer's group has its own (to show the saving).
    pub regular_price: Option<i64>,
    pub categories: Vec<CategoryLink>,
}

/// The words of a search, as the index reads them: letters and digits only, at most eight
/// words; empty when nothing searchable was typed.
pub fn search_terms(q: &str) -> Vec<String> {
    q.chars()
        .take(SEARCH_MAX)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_keep_only_words() {
        assert_eq!(search_terms("  Blue  T-shirt\"*) OR 1=1 "), ["blue", "t", "shirt", "or", "1", "1"]);
        assert!(search_terms("\"*()").is_empty());
        assert_eq!(search_terms(&"a ".repeat(100)).len(), 8);
        assert_eq!(search_terms("茶杯"), ["茶杯"]);
    }

    #[test]
    fn addresses_give_a_sort_and_a_page() {
        assert_eq!(SortBy::parse("price"), SortBy::Price);
        assert_eq!(SortBy::parse("DROP"), SortBy::Position);
        assert_eq!((page_number("3"), page_number("-2"), page_number("x")), (3, 1, 1));
    }
}

/// One row of Catalog > Products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: i64,
    pub sku: String,
    pub name: String,
    /// The product's own price (hundredths of each website's currency).
    pub price: i64,
    pub qty: i64,
    pub enabled: bool,
    pub featured: bool,
}

/// A product as its admin edit page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEdit {
    pub id: i64,
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
    /// `Advanced Pricing`: (customer group, price in hundredths).
    pub group_prices: Vec<(i64, i64)>,
}

/// A category in Catalog > Categories' tree, in tree order (each after its parent, siblings by
/// position).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub url_key: String,
    pub position: i64,
    pub active: bool,
    /// Products in this category (not its subcategories).
    pub products: i64,
    /// 0 for a root category.
    pub depth: usize,
}

/// A category as its edit form shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryEdit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub url_key: String,
    pub position: i64,
    pub active: bool,
    pub products: i64,
}

/// Catalog > Categories: the tree, and the category being edited or added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoriesData {
    pub tree: Vec<CategoryNode>,
    /// The category being edited (`None` when adding one or when none is chosen).
    pub category: Option<CategoryEdit>,
    /// The parents it may have (by path), leaving out itself and its subcategories.
    pub parents: Vec<Choice>,
}

/// Orders categories as a tree: roots first by (position, id), each followed by its
/// subcategories in the same order, with their depth. A category whose parent is missing is
/// shown as a root; a loop (never written by the server) is cut.
pub fn tree_order(mut all: Vec<CategoryNode>) -> Vec<CategoryNode> {
    all.sort_by_key(|c| (c.position, c.id));
    let ids: std::collections::HashSet<i64> = all.iter().map(|c| c.id).collect();
    let mut out = Vec::with_capacity(all.len());
    let mut placed = std::collections::HashSet::new();
    fn visit(
        parent: Option<i64>,
        depth: usize,
        all: &[CategoryNode],
        ids: &std::collections::HashSet<i64>,
        placed: &mut std::collections::HashSet<i64>,
        out: &mut Vec<CategoryNode>,
    ) {
        for c in all {
            let is_child = match parent {
                Some(p) => c.parent_id == Some(p),
                None => c.parent_id.is_none_or(|p| !ids.contains(&p)),
            };
            if is_child && placed.insert(c.id) {
                out.push(CategoryNode { depth, ..c.clone() });
                visit(Some(c.id), depth + 1, all, ids, placed, out);
            }
        }
    }
    visit(None, 0, &all, &ids, &mut placed, &mut out);
    out
}

/// `id` and every category under it.
pub fn subtree(tree: &[CategoryNode], id: i64) -> Vec<i64> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let at = out[i];
        out.extend(tree.iter().filter(|c| c.parent_id == Some(at)).map(|c| c.id));
        i += 1;
    }
    out
}

/// A choice on the edit page: an id and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// Everything the product edit page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditData {
    /// `None` for a new product.
    pub product: Option<ProductEdit>,
    pub websites: Vec<Choice>,
    /// Categories with their path (`Women / Tops`).
    pub categories: Vec<Choice>,
    pub groups: Vec<Choice>,
}

/// An amount typed in the admin (`12`, `12.5`, `12.50`) in hundredths.
pub fn parse_price(raw: &str) -> Option<i64> {
    crate::domain::config::parse_money(raw).filter(|n| *n <= 10_000_000_000)
}

/// An amount in hundredths as the admin types it (`12.50`).
pub fn price_text(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}
