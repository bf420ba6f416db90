//! Build-time code: `sqlx::migrate!` embeds the migration folders (rebuild when they change),
//! and leptos_i18n turns `locales/` into the typed `i18n` module (every key checked at
//! compile time, in both locales).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // `interpolate_display`: interpolated keys render to strings too (server-side messages,
    // attributes), not only to views.
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("en-US")?
        .add_locale("zh-Hant-TW")?
        .add_namespaces(["common", "store", "admin"])?
        .parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    // Keep each constant in a data segment of its own, so wasm-split can move the texts only
    // the admin's screens use into their chunks (merged, the release build keeps every string
    // in the shoppers' main module: cargo-leptos#679).
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
    }
    Ok(())
}
