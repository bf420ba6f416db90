//! Build-time code: `sqlx::migrate!` embeds the migration folders (rebuild when they change),
//! leptos_i18n turns `locales/` into the typed `i18n` module (every key checked at compile
//! time, in both locales), and `texts.rs` numbers the keys and writes, for each table of
//! texts and each locale, the function that renders them (see `src/l10n.rs`).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The namespaces of `locales/<locale>/`.
const NAMESPACES: [&str; 3] = ["common", "store", "admin"];

/// The locales, as leptos_i18n names them in code.
const LOCALES: [(&str, &str); 2] = [("en-US", "en_US"), ("zh-Hant-TW", "zh_Hant_TW")];

/// Which table each text belongs to: the first prefix that names its key decides. A page
/// downloads only the tables it shows, in its own locale: the storefront `Shop`, the admin
/// `Shop` and `Admin`; `Server` holds what only the server writes (mail, the hand-off page).
const TABLES: [(&str, &str); 5] = [
    ("store.mail.", "Server"),
    ("admin.handoff.", "Server"),
    ("admin.", "Admin"),
    ("common.", "Shop"),
    ("store.", "Shop"),
];

/// Plural forms: a key written as `found_one` and `found_other` is the key `found`.
const PLURAL_SUFFIXES: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=migrations");
    // `scripts/test.sh` says SHOPASSIST_POSTGRES_TESTS=skip when no PostgreSQL answers: the
    // integration tests' PostgreSQL variants are then marked ignored, so the run's summary
    // counts them as not run rather than passed.
    println!("cargo::rustc-check-cfg=cfg(postgres_tests_skipped)");
    println!("cargo:rerun-if-env-changed=SHOPASSIST_POSTGRES_TESTS");
    if std::env::var("SHOPASSIST_POSTGRES_TESTS").as_deref() == Ok("skip") {
        println!("cargo:rustc-cfg=postgres_tests_skipped");
    }
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    // `interpolate_display`: interpolated keys render to strings too (server-side messages,
    // attributes), not only to views.
    let options = ParseOptions::default().interpolate_display(true);
    let mut config = Config::new(LOCALES[0].0)?;
    for (code, _) in &LOCALES[1..] {
        config = config.add_locale(code)?;
    }
    let config = config.add_namespaces(NAMESPACES)?.parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    // The same texts once more, a module per locale, for the tables' renderers: leptos_i18n
    // writes one formatting function per key for all its locales, so a renderer that used the
    // module above would carry every locale's words of the texts that take values; made from
    // a module of one locale, it carries its own only.
    for (code, name) in LOCALES {
        let config = Config::new(code)?
            .add_namespaces(NAMESPACES)?
            .parse_options(ParseOptions::default().interpolate_display(true));
        TranslationsInfos::parse(config)?
            .generate_i18n_module(out_dir.join(format!("i18n_{}", name.to_lowercase())))?;
    }
    std::fs::write(out_dir.join("texts.rs"), texts(Path::new("locales"))?)?;
    // Keep each constant in a data segment of its own, so wasm-split can move each table's
    // texts into the chunk of its table and locale (merged, the release build keeps every
    // string in the shoppers' main module: cargo-leptos#679).
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
    }
    Ok(())
}

/// A key of the first locale: its table, its number in the table, whether it is plural and
/// the values it takes.
struct Key {
    table: &'static str,
    id: usize,
    plural: bool,
    names: Vec<String>,
}

/// The generated code: `keys` (each key's table and number), `names` (the values each key
/// takes, for the compile-time check of every call) and `render_<table>_<locale>`.
fn texts(dir: &Path) -> Result<String, Box<dyn Error>> {
    let mut keys = BTreeMap::<String, Key>::new();
    let mut order = Vec::new();
    let mut counts = BTreeMap::<&str, usize>::new();
    for ns in NAMESPACES {
        let path = dir.join(LOCALES[0].0).join(format!("{ns}.json"));
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let mut texts = Vec::new();
        walk(ns, &json, &mut texts)?;
        for (path, text) in texts {
            let (key, plural) = match PLURAL_SUFFIXES.iter().find_map(|s| path.strip_suffix(s)) {
                Some(key) => (key.to_string(), true),
                None => (path, false),
            };
            let table = TABLES
                .iter()
                .find(|(prefix, _)| key.starts_with(prefix))
                .map(|(_, table)| *table)
                .ok_or_else(|| format!("{key}: no table names it (build.rs, TABLES)"))?;
            let entry = keys.entry(key.clone()).or_insert_with(|| {
                let n = counts.entry(table).or_default();
                *n += 1;
                order.push(key.clone());
                Key { table, id: *n - 1, plural, names: Vec::new() }
            });
            if plural && !entry.names.iter().any(|n| n == "count") {
                entry.names.push("count".to_string());
            }
            for name in placeholders(&text) {
                if !entry.names.contains(&name) {
                    entry.names.push(name);
                }
            }
        }
    }
    let mut code = String::from("// Generated by build.rs from locales/: do not edit.\n\n");
    code.push_str(&modules(
        &keys,
        "keys",
        |key| format!("crate::l10n::text::Key {{ table: crate::l10n::text::Table::{}, id: {} }}", key.table, key.id),
        "crate::l10n::text::Key",
    ));
    code.push_str(&modules(
        &keys,
        "names",
        |key| {
            let names: Vec<String> = key.names.iter().map(|n| format!("{n:?}")).collect();
            format!("&[{}]", names.join(", "))
        },
        "&[&str]",
    ));
    code.push_str("\n/// Every key: its name, its place and the values it takes.\n#[cfg(test)]\npub(crate) const ALL_KEYS: &[(&str, crate::l10n::text::Key, &[&str])] = &[\n");
    for key in &order {
        let k = &keys[key];
        let names: Vec<String> = k.names.iter().map(|n| format!("{n:?}")).collect();
        writeln!(
            code,
            "    ({key:?}, crate::l10n::text::Key {{ table: crate::l10n::text::Table::{}, id: {} }}, &[{}]),",
            k.table,
            k.id,
            names.join(", ")
        )?;
    }
    code.push_str("];\n");
    for (table, _) in counts {
        for (_, locale) in LOCALES {
            writeln!(
                code,
                "\n/// The texts of the table `{table}` in `{locale}`.\n{}#[allow(unused_variables)]\npub(crate) fn render_{}_{}(id: u16, a: &crate::l10n::text::Args) -> String {{\n    match id {{",
                if table == "Server" { "#[cfg(feature = \"ssr\")]\n" } else { "" },
                table.to_lowercase(),
                locale.to_lowercase()
            )?;
            for key in order.iter().filter(|k| keys[*k].table == table) {
                let k = &keys[key];
                let values: String = k
                    .names
                    .iter()
                    .map(|n| {
                        if k.plural && n == "count" {
                            format!(", {n} = crate::l10n::text::count(a, {n:?})")
                        } else {
                            format!(", {n} = crate::l10n::text::arg(a, {n:?})")
                        }
                    })
                    .collect();
                writeln!(
                    code,
                    "        {} => ::std::string::ToString::to_string(&leptos_i18n::td_string!(crate::l10n::text::{}::i18n::Locale::{locale}, {key}{values})),",
                    k.id,
                    locale.to_lowercase()
                )?;
            }
            code.push_str("        _ => String::new(),\n    }\n}\n");
        }
    }
    Ok(code)
}

/// Every text of a namespace, by `namespace.path`.
fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) -> Result<(), String> {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                walk(&format!("{prefix}.{k}"), v, out)?;
            }
            Ok(())
        }
        serde_json::Value::String(text) => {
            out.push((prefix.to_string(), text.clone()));
            Ok(())
        }
        other => Err(format!("{prefix}: not a text: {other}")),
    }
}

/// The values a text takes (`{{ name }}`), in the order it names them.
fn placeholders(text: &str) -> Vec<String> {
    text.split("{{").skip(1).filter_map(|p| p.split_once("}}").map(|(v, _)| v.trim().to_string())).collect()
}

/// Nested modules, one per key segment, with a constant per key: `keys::store::home::title`.
fn modules(keys: &BTreeMap<String, Key>, root: &str, value: impl Fn(&Key) -> String, ty: &str) -> String {
    #[derive(Default)]
    struct Node {
        consts: Vec<(String, String)>,
        children: BTreeMap<String, Node>,
    }
    let mut tree = Node::default();
    for (key, k) in keys {
        let segments: Vec<&str> = key.split('.').collect();
        let (leaf, path) = segments.split_last().expect("a key has segments");
        let mut node = &mut tree;
        for s in path {
            node = node.children.entry(s.to_string()).or_default();
        }
        node.consts.push((leaf.to_string(), value(k)));
    }
    fn emit(name: &str, node: &Node, ty: &str, out: &mut String) {
        let _ = writeln!(out, "pub mod {name} {{\n#![allow(non_upper_case_globals, non_snake_case, missing_docs)]");
        for (c, v) in &node.consts {
            let _ = writeln!(out, "pub const {c}: {ty} = {v};");
        }
        for (child, n) in &node.children {
            emit(child, n, ty, out);
        }
        out.push_str("}\n");
    }
    let mut out = String::new();
    emit(root, &tree, ty, &mut out);
    out
}
