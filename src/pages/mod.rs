//! Screens: `admin` (lazy-loaded, split from the shoppers' download) and `storefront`.

pub mod admin;
pub mod storefront;
