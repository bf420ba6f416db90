//! Every form the app accepts, defined once: the struct the server deserializes, and the
//! input names the screens render (`fields::<form>::<field>.input` is `form[<field>]`).
//!
//! Forms refuse what they do not know: an unknown field, or a missing one, is a 400 that
//! changes nothing, never a silent default. A field that a screen may legitimately leave out
//! (an input disabled until a box is ticked) is an explicit `Option`. A checkbox always posts
//! a value: the kit renders a hidden `false` before it, so unticked is said, not implied.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A form field's name: its key in the struct and its `name` attribute on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldName {
    pub key: &'static str,
    pub input: &'static str,
}

/// Declares a form struct and, in `fields::<module>`, one `FieldName` per field.
macro_rules! form {
    ($(#[$meta:meta])* pub struct $name:ident in $module:ident {
        $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty ),*
        }

        pub mod $module {
            #![allow(non_upper_case_globals)]
            use super::FieldName;
            $( pub const $field: FieldName = FieldName { key: stringify!($field), input: concat!("form[", stringify!($field), "]") }; )*
        }
    };
}

/// A checkbox's value. It posts as a list (`form[x][]=false`, then `form[x][]=true` when
/// ticked), the last value winning; anything but `true`/`false` (or `1`/`0`/`on`) is refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Checkbox(pub bool);

impl Checkbox {
    pub fn get(self) -> bool {
        self.0
    }
}

impl From<bool> for Checkbox {
    fn from(v: bool) -> Self {
        Checkbox(v)
    }
}

fn checkbox_value<E: de::Error>(raw: &str) -> Result<bool, E> {
    match raw {
        "true" | "1" | "on" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(E::custom(format!("a checkbox is true or false, not {other:?}"))),
    }
}

impl Serialize for Checkbox {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(1))?;
        seq.serialize_element(if self.0 { "true" } else { "false" })?;
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Checkbox {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Checkbox;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a checkbox value (true or false)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Checkbox, E> {
                Ok(Checkbox(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Checkbox, E> {
                checkbox_value(v).map(Checkbox)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checkbox, A::Error> {
                let mut last = None;
                while let Some(v) = seq.next_element::<String>()? {
                    last = Some(checkbox_value::<A::Error>(&v)?);
                }
                last.map(Checkbox).ok_or_else(|| de::Error::custom("a checkbox needs a value"))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Checkbox, A::Error> {
                // serde_qs reads `x[0]=…&x[1]=…` as a map of indices.
                let mut values = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    let index: usize = k.parse().map_err(|_| de::Error::custom("a checkbox needs a value"))?;
                    values.insert(index, v);
                }
                let last = values.into_values().last().ok_or_else(|| de::Error::custom("a checkbox needs a value"))?;
                checkbox_value(&last).map(Checkbox)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The `name` of the checkbox inputs for a field (a list: hidden `false`, then the box).
pub fn checkbox_input(field: FieldName) -> String {
    format!("{}[]", field.input)
}

pub mod fields {
    //! Field names of every form, one module per form.
    pub use super::{
        account_form as account, account_setting_form as account_setting, address_form as address,
        admin_user_form as admin_user, cart_line_form as cart_line, category_form as category, config_form as config,
        customer_form as customer, customer_sign_in_form as customer_sign_in, delete_account_form as delete_account,
        place_order_form as place_order, product_form as product, register_form as register, role_form as role,
        sign_in_form as sign_in,
    };
}

form! {
    /// A cart line: `Add to Cart` (a quantity to add) or the cart's quantity box (the new
    /// quantity). Only the product and the quantity are taken: the price is the server's.
    pub struct CartLineForm in cart_line_form {
        product: String,
        qty: String,
    }
}

form! {
    /// Catalog > Products > product (`id` empty for a new one). The websites and categories are
    /// the ticked boxes' ids, after a hidden empty value (so none ticked still says so);
    /// `Advanced Pricing` is a price per customer group id (empty: none).
    pub struct ProductForm in product_form {
        id: String,
        sku: String,
        name: String,
        url_key: String,
        description: String,
        price: String,
        qty: String,
        enabled: Checkbox,
        featured: Checkbox,
        websites: Vec<String>,
        categories: Vec<String>,
        /// A form cannot post an empty map: none sent is none set.
        #[serde(default)]
        group_prices: BTreeMap<String, String>,
    }
}

form! {
    /// Catalog > Categories > category (`id` empty for a new one; `parent` empty for a root
    /// category).
    pub struct CategoryForm in category_form {
        id: String,
        parent: String,
        name: String,
        url_key: String,
        position: String,
        active: Checkbox,
    }
}

form! {
    /// `Delete Account`: the shopper's password.
    pub struct DeleteAccountForm in delete_account_form {
        password: String,
    }
}

form! {
    /// An Address Book entry (`id` empty for a new one).
    pub struct AddressForm in address_form {
        id: String,
        first_name: String,
        last_name: String,
        company: String,
        street: String,
        city: String,
        region: String,
        postcode: String,
        country_id: String,
        telephone: String,
        default_billing: Checkbox,
        default_shipping: Checkbox,
    }
}

form! {
    /// `Place Order`: the checkout's key, where to ship (an Address Book entry's id, or `new`
    /// with the address typed), the methods, and a guest's email.
    pub struct PlaceOrderForm in place_order_form {
        checkout_key: String,
        address_id: String,
        first_name: String,
        last_name: String,
        company: String,
        street: String,
        city: String,
        region: String,
        postcode: String,
        country_id: String,
        telephone: String,
        save_address: Checkbox,
        email: String,
        shipping_method: String,
        payment_method: String,
    }
}

/// `address()` for forms with an address's fields (the Address Book's and `Place Order`'s).
macro_rules! has_address {
    ($($form:ident),*) => {$(
        impl $form {
            /// The address typed in this form, unchecked ([`crate::domain::sales::Address::parse`] checks it).
            pub fn address(&self) -> crate::domain::sales::Address {
                crate::domain::sales::Address {
                    first_name: self.first_name.clone(),
                    last_name: self.last_name.clone(),
                    company: self.company.clone(),
                    street: self.street.clone(),
                    city: self.city.clone(),
                    region: self.region.clone(),
                    postcode: self.postcode.clone(),
                    country_id: self.country_id.clone(),
                    telephone: self.telephone.clone(),
                }
            }
        }
    )*};
}

has_address!(AddressForm, PlaceOrderForm);

form! {
    /// The `Login as Customer` confirmation dialog.
    pub struct StartAssistForm in start_assist_form {
        customer_id: String,
        /// The store view id (`Manual Selection`); empty lets the server choose.
        store: String,
        reason: String,
    }
}

form! {
    /// Admin sign-in.
    pub struct SignInForm in sign_in_form {
        username: String,
        password: String,
    }
}

form! {
    /// System > Permissions > All Users > user.
    pub struct AdminUserForm in admin_user_form {
        /// Empty for a new user.
        id: String,
        username: String,
        first_name: String,
        last_name: String,
        email: String,
        /// Empty keeps the current password (existing users only).
        password: String,
        password_confirmation: String,
        role_id: String,
        is_active: Checkbox,
        /// `Name Shown to Customers` (empty: the first name); absent keeps it as it is.
        #[serde(default)]
        display_name: Option<String>,
        /// `Interface Locale` (`en-US`, `zh-Hant-TW`); absent keeps it as it is.
        #[serde(default)]
        interface_locale: Option<String>,
        /// The acting admin's own password.
        current_password: String,
    }
}

form! {
    /// The signed-in admin's own `Account Setting`.
    pub struct AccountSettingForm in account_setting_form {
        first_name: String,
        last_name: String,
        email: String,
        /// `Interface Locale` (`en-US`, `zh-Hant-TW`).
        interface_locale: String,
        /// The admin's own password, to confirm the change.
        current_password: String,
    }
}

form! {
    /// System > Permissions > User Roles > role.
    pub struct RoleForm in role_form {
        /// Empty for a new role.
        id: String,
        name: String,
        /// `all` or `custom`.
        access: String,
        /// Comma-separated resource ids of the ticked nodes.
        resources: String,
        /// Comma-separated ids of admin users to move into this role (Role Users tab).
        add_users: String,
        /// Role Scopes: `all` or `custom`; absent leaves an existing role's scope as it is
        /// (a new role covers all websites).
        #[serde(default)]
        scope: Option<String>,
        /// Comma-separated website ids, for a `custom` scope.
        #[serde(default)]
        websites: Option<String>,
        /// The acting admin's own password: a role decides what its users may do.
        current_password: String,
    }
}

form! {
    /// Stores > Settings > Configuration: one section at one scope.
    pub struct ConfigForm in config_form {
        /// `default`, `website:<id>` or `store:<id>`.
        scope: String,
        section: String,
        /// Value per field (keyed by `form_key` of its path). Fields shown read-only are absent.
        #[serde(default)]
        fields: BTreeMap<String, String>,
        /// "Use Default"/"Use Website" per field, at website and store view scope.
        #[serde(default)]
        inherit: BTreeMap<String, Checkbox>,
    }
}

form! {
    /// Customers > All Customers > customer: Account Information.
    pub struct CustomerForm in customer_form {
        id: String,
        first_name: String,
        last_name: String,
        email: String,
        group_id: String,
        is_active: Checkbox,
        /// `Allow remote shopping assistance`: posted only by an admin who may change it.
        #[serde(default)]
        assistance_allowed: Option<Checkbox>,
    }
}

form! {
    /// Storefront: Create New Customer Account.
    pub struct RegisterForm in register_form {
        /// The store view's code (empty: the default one).
        store: String,
        first_name: String,
        last_name: String,
        email: String,
        password: String,
        password_confirmation: String,
        /// The consent checkbox, shown while Login as Customer is enabled.
        #[serde(default)]
        assistance_allowed: Option<Checkbox>,
    }
}

form! {
    /// Storefront: Customer Login.
    pub struct CustomerSignInForm in customer_sign_in_form {
        store: String,
        email: String,
        password: String,
    }
}

form! {
    /// Storefront: Edit Account Information. The email and password inputs are disabled (so not
    /// posted) until their box is ticked.
    pub struct AccountForm in account_form {
        first_name: String,
        last_name: String,
        change_email: Checkbox,
        change_password: Checkbox,
        #[serde(default)]
        email: Option<String>,
        #[serde(default)]
        current_password: Option<String>,
        #[serde(default)]
        password: Option<String>,
        #[serde(default)]
        password_confirmation: Option<String>,
        /// The consent checkbox, shown while Login as Customer is enabled.
        #[serde(default)]
        assistance_allowed: Option<Checkbox>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: serde::de::DeserializeOwned>(qs: &str) -> Result<T, serde_qs::Error> {
        serde_qs::Config::new(5, false).deserialize_str(qs)
    }

    #[derive(Debug, Deserialize)]
    struct Wrap {
        form: CustomerForm,
    }

    const BASE: &str = "form[id]=1&form[first_name]=A&form[last_name]=B&form[email]=a%40b.co&form[group_id]=1";

    #[test]
    fn a_ticked_checkbox_posts_false_then_true_and_the_last_wins() {
        let on: Wrap = parse(&format!("{BASE}&form[is_active][]=false&form[is_active][]=true")).unwrap();
        assert!(on.form.is_active.get());
        let off: Wrap = parse(&format!("{BASE}&form[is_active][]=false")).unwrap();
        assert!(!off.form.is_active.get());
    }

    #[test]
    fn a_form_round_trips_through_the_query_string() {
        let form = CustomerForm { id: "1".into(), is_active: Checkbox(true), ..Default::default() };
        #[derive(Serialize)]
        struct W<'a> {
            form: &'a CustomerForm,
        }
        let qs = serde_qs::to_string(&W { form: &form }).unwrap();
        let back: Wrap = parse(&qs).unwrap();
        assert_eq!(back.form, form);
    }

    #[test]
    fn missing_unknown_or_odd_fields_are_refused() {
        assert!(parse::<Wrap>(BASE).is_err(), "is_active missing");
        assert!(parse::<Wrap>(&format!("{BASE}&form[is_active][]=false&form[is_activ]=1")).is_err(), "unknown");
        assert!(parse::<Wrap>(&format!("{BASE}&form[is_active][]=yes")).is_err(), "not a checkbox value");
    }

    #[test]
    fn field_names_match_the_struct() {
        assert_eq!(fields::customer::is_active.input, "form[is_active]");
        assert_eq!(checkbox_input(fields::customer::is_active), "form[is_active][]");
        assert_eq!(fields::account::current_password.key, "current_password");
    }
}

form! {
    /// System > Integrations: a new token.
    pub struct TokenForm in token_form {
        name: String,
        admin_user_id: String,
        /// `30d`, `90d`, `180d` or `365d` on the screen; the command line takes any lifetime.
        expires: String,
        current_password: String,
    }
}

form! {
    /// System > Integrations: revoking a token.
    pub struct RevokeTokenForm in revoke_token_form {
        id: String,
    }
}
