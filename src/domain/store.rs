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

/// `to` when it is a path on this site (a single leading `/`, no scheme, host or backslash),
/// else `/`: the storefront follows addresses the server answers with only through this.
pub fn on_this_site(to: &str) -> &str {
    let local = to.starts_with('/') && !to.starts_with("//") && !to.contains('\\') && !to.contains("://");
    if local && !to.chars().any(char::is_control) {
        to
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_paths_on_this_site_are_followed() {
        use super::on_this_site;
        assert_eq!(on_this_site("/second_en/customer/account"), "/second_en/customer/account");
        for away in ["//evil.example/x", "https://evil.example/", "/\\evil.example", "evil.example", "/a\tb", ""] {
            assert_eq!(on_this_site(away), "/", "{away:?}");
        }
    }

    #[test]
    fn the_default_store_view_has_no_prefix() {
        assert_eq!(super::store_href("", "/customer/account"), "/customer/account");
        assert_eq!(super::store_href("second_en", "/"), "/second_en/");
    }
}
