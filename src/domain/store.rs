//! Storefront addresses: a store view other than the default one is addressed by its code as
//! the first path segment (`/second_en/customer/account`).

/// A storefront path on the store view with `code` (empty: the default one).
pub fn store_href(code: &str, path: &str) -> String {
    if code.is_empty() {
        path.to_string()
    } else {
        format!("/{code}{path}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_store_view_has_no_prefix() {
        assert_eq!(super::store_href("", "/customer/account"), "/customer/account");
        assert_eq!(super::store_href("second_en", "/"), "/second_en/");
    }
}
