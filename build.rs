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
    Ok(())
}
