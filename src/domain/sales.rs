//! The shopper's cart, Address Book, checkout and orders as the browser receives them, with
//! the rules both sides share (quantity bounds, the countries and what each requires).
//! Amounts are integers in hundredths of the currency ([`crate::l10n::money`] formats them).

use super::error::{AppError, FieldErrors};
use super::msg::Msg;
use serde::{Deserialize, Serialize};

/// The most of one product a cart line holds.
pub const MAX_QTY: i64 = 10_000;

/// Orders on one page of `My Orders`.
pub const ORDERS_PAGE_SIZE: i64 = 10;

/// The only shipping method: `Flat Rate`, a fixed amount per item (per website).
pub const FLAT_RATE: &str = "flatrate_flatrate";
/// The only payment method: `Check / Money order`.
pub const CHECK_MONEY_ORDER: &str = "checkmo";

/// A quantity typed by a shopper: a whole number from 1 to [`MAX_QTY`].
pub fn parse_qty(raw: &str, field: &str) -> Result<i64, AppError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_QTY).contains(&n) => Ok(n),
        _ => Err(AppError::field(field, Msg::QtyRange { min: 1, max: MAX_QTY })),
    }
}

/// One line of a cart, priced now for the shopper's group on the website shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub url_key: String,
    pub qty: i64,
    /// The unit price for the shopper's group.
    pub price: i64,
    pub row_total: i64,
    /// Sold on this website and enabled: a line that is not cannot be ordered.
    pub available: bool,
    /// Units in stock (the line cannot be ordered beyond them).
    pub stock: i64,
}

impl CartLine {
    /// Whether the line can be ordered as it stands.
    pub fn orderable(&self) -> bool {
        self.available && self.qty <= self.stock
    }
}

/// A cart with its totals, computed on the server at each read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub currency: String,
    pub lines: Vec<CartLine>,
    /// Units in the cart.
    pub count: i64,
    pub subtotal: i64,
}

impl Cart {
    pub fn from_lines(currency: String, lines: Vec<CartLine>) -> Cart {
        let count = lines.iter().map(|l| l.qty).sum();
        let subtotal = lines.iter().filter(|l| l.available).map(|l| l.row_total).sum();
        Cart { currency, lines, count, subtotal }
    }
}

/// The header's mini cart: how many units and what they cost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiniCart {
    pub currency: String,
    pub count: i64,
    pub subtotal: i64,
}

/// A country the store ships to, and what its addresses need.
#[derive(Clone, Copy, Debug)]
pub struct Country {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub region_required: bool,
    pub postcode_required: bool,
}

const fn country(
    code: &'static str,
    name_en: &'static str,
    name_zh: &'static str,
    region_required: bool,
    postcode_required: bool,
) -> Country {
    Country { code, name_en, name_zh, region_required, postcode_required }
}

/// The countries the store ships to, by English name.
pub const COUNTRIES: &[Country] = &[
    country("AU", "Australia", "澳洲", true, true),
    country("CA", "Canada", "加拿大", true, true),
    country("FR", "France", "法國", false, true),
    country("DE", "Germany", "德國", false, true),
    country("HK", "Hong Kong", "香港", false, false),
    country("JP", "Japan", "日本", true, true),
    country("SG", "Singapore", "新加坡", false, true),
    country("TW", "Taiwan", "台灣", false, false),
    country("GB", "United Kingdom", "英國", false, true),
    country("US", "United States", "美國", true, true),
];

pub fn country_by_code(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// A postal address, as the Address Book, the checkout and an order hold it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postcode: String,
    pub country_id: String,
    pub telephone: String,
}

impl Address {
    /// Checks an address typed by a shopper: every field trimmed, the required ones present
    /// (region and postcode as the country needs), lengths bounded, no control characters.
    /// `key` names each field's input for the messages (`prefix.field`).
    pub fn parse(raw: &Address, key: impl Fn(&'static str) -> &'static str) -> Result<Address, AppError> {
        let mut errors = FieldErrors::default();
        let country = country_by_code(raw.country_id.trim());
        if country.is_none() {
            errors.add(key("country_id"), Msg::CountryUnknown);
        }
        let mut text = |name: &'static str, value: &str, required: bool, max: usize| -> String {
            let v = value.trim();
            if required && v.is_empty() {
                errors.add(key(name), Msg::Required);
            } else if v.chars().count() > max {
                errors.add(key(name), Msg::TooLong { max: max as i64 });
            } else if v.chars().any(char::is_control) {
                errors.add(key(name), Msg::BadCharacters);
            }
            v.to_string()
        };
        let address = Address {
            first_name: text("first_name", &raw.first_name, true, 255),
            last_name: text("last_name", &raw.last_name, true, 255),
            company: text("company", &raw.company, false, 255),
            street: text("street", &raw.street, true, 255),
            city: text("city", &raw.city, true, 255),
            region: text("region", &raw.region, country.is_some_and(|c| c.region_required), 255),
            postcode: text("postcode", &raw.postcode, country.is_some_and(|c| c.postcode_required), 20),
            country_id: raw.country_id.trim().to_string(),
            telephone: text("telephone", &raw.telephone, true, 40),
        };
        errors.finish()?;
        Ok(address)
    }
}

/// An Address Book entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub id: i64,
    pub address: Address,
    pub default_billing: bool,
    pub default_shipping: bool,
}

/// What the checkout page shows: the cart, the Address Book, the flat rate, and the key that
/// makes this checkout's `Place Order` happen once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub cart: Cart,
    pub addresses: Vec<SavedAddress>,
    /// `Flat Rate` per item, in hundredths (`None`: Flat Rate is off for this website).
    pub flat_rate: Option<i64>,
    pub shipping: i64,
    pub grand_total: i64,
    pub checkout_key: String,
    /// The shopper's email (a guest types theirs).
    pub email: Option<String>,
}

/// An order as `My Orders` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: i64,
    pub increment_id: String,
    pub created_at: i64,
    pub ship_to: String,
    pub currency: String,
    pub grand_total: i64,
    pub status: String,
}

/// A page of `My Orders`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderList {
    pub orders: Vec<OrderRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

/// One ordered item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    pub sku: String,
    pub name: String,
    pub price: i64,
    pub qty_ordered: i64,
    pub row_total: i64,
}

/// A comment on an order that the shopper may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderComment {
    pub created_at: i64,
    pub comment: String,
}

/// An order's page on `My Orders`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: i64,
    pub increment_id: String,
    pub created_at: i64,
    pub status: String,
    pub currency: String,
    pub items: Vec<OrderItem>,
    pub subtotal: i64,
    pub shipping_amount: i64,
    pub grand_total: i64,
    pub shipping_address: Address,
    pub billing_address: Address,
    pub shipping_method: String,
    pub payment_method: String,
    pub comments: Vec<OrderComment>,
}

/// What `Place Order` answers: the order's number and where its success page is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub order_id: i64,
    pub increment_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_numbers_from_one_to_ten_thousand() {
        assert_eq!(parse_qty("1", "qty").unwrap(), 1);
        assert_eq!(parse_qty(" 10000 ", "qty").unwrap(), 10_000);
        for bad in ["0", "-1", "10001", "1.5", "", "x", "99999999999999999999"] {
            let e = parse_qty(bad, "qty").unwrap_err();
            assert_eq!(e.field_msg("qty"), Some(&Msg::QtyRange { min: 1, max: MAX_QTY }), "{bad:?}");
        }
    }

    #[test]
    fn an_address_needs_what_its_country_needs() {
        let key = |f: &'static str| f;
        let mut a = Address {
            first_name: " Ada ".into(),
            last_name: "Lovelace".into(),
            street: "1 Main St".into(),
            city: "Springfield".into(),
            country_id: "US".into(),
            telephone: "555-0100".into(),
            ..Address::default()
        };
        let e = Address::parse(&a, key).unwrap_err();
        assert_eq!(e.field_msg("region"), Some(&Msg::Required));
        assert_eq!(e.field_msg("postcode"), Some(&Msg::Required));
        a.country_id = "TW".into();
        let ok = Address::parse(&a, key).unwrap();
        assert_eq!(ok.first_name, "Ada", "trimmed");
        a.country_id = "XX".into();
        assert_eq!(Address::parse(&a, key).unwrap_err().field_msg("country_id"), Some(&Msg::CountryUnknown));
        a.country_id = "TW".into();
        a.city = "a\u{7}b".into();
        assert_eq!(Address::parse(&a, key).unwrap_err().field_msg("city"), Some(&Msg::BadCharacters));
    }
}
