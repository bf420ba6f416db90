//! What every admin grid shares: the query (search, filters, sort, a capped page size, a
//! keyset cursor), its one URL encoding, and the page that answers it.
//!
//! Paging is by cursor (first / previous / next), never by offset, so the 5,000th page costs
//! what the first does. A cursor names the sort value and id of the row it starts after (or
//! before); it is opaque to the browser and travels in the URL.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Page sizes a grid offers; anything else is read as the default.
pub const PAGE_SIZES: &[i64] = &[20, 30, 50, 100, 200];
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// Row counts stop here, so a count never scans a whole large table.
pub const COUNT_CAP: i64 = 10_000;
/// Longest search text accepted.
pub const SEARCH_MAX: usize = 100;

/// URL parameters with a fixed meaning; every other parameter is a filter.
const RESERVED: &[&str] = &["search", "sort", "dir", "limit", "after", "before", "saved"];

/// What a grid asks for. Every field has a safe default; the server checks the sort and
/// filter keys against the grid and refuses unknown ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GridQuery {
    pub search: String,
    pub filters: BTreeMap<String, String>,
    /// A sortable column's key; empty means the grid's default.
    pub sort: String,
    /// `asc` or `desc`; empty means the grid's default.
    pub dir: String,
    pub limit: i64,
    /// Start after this cursor (next page).
    pub after: String,
    /// End before this cursor (previous page).
    pub before: String,
}

impl GridQuery {
    /// Reads the URL's query parameters.
    pub fn from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> GridQuery {
        let mut q = GridQuery::default();
        for (k, v) in params {
            match k {
                "search" => q.search = v.to_string(),
                "sort" => q.sort = v.to_string(),
                "dir" => q.dir = v.to_string(),
                "limit" => q.limit = v.parse().unwrap_or_default(),
                "after" => q.after = v.to_string(),
                "before" => q.before = v.to_string(),
                "saved" => {}
                _ if !v.is_empty() => {
                    q.filters.insert(k.to_string(), v.to_string());
                }
                _ => {}
            }
        }
        q
    }

    /// The page size to use: one of [`PAGE_SIZES`].
    pub fn page_size(&self) -> i64 {
        if PAGE_SIZES.contains(&self.limit) {
            self.limit
        } else {
            DEFAULT_PAGE_SIZE
        }
    }

    /// The search text, trimmed and cut to [`SEARCH_MAX`] characters.
    pub fn search_text(&self) -> String {
        self.search.trim().chars().take(SEARCH_MAX).collect()
    }

    /// The URL of this query on the grid at `path`. Empty values are left out.
    pub fn href(&self, path: &str) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: &str| {
            if !v.is_empty() {
                parts.push((k.to_string(), v.to_string()));
            }
        };
        push("search", &self.search);
        for (k, v) in &self.filters {
            if !RESERVED.contains(&k.as_str()) {
                push(k, v);
            }
        }
        push("sort", &self.sort);
        push("dir", &self.dir);
        if self.limit != 0 {
            push("limit", &self.limit.to_string());
        }
        push("after", &self.after);
        push("before", &self.before);
        if parts.is_empty() {
            return path.to_string();
        }
        let qs: Vec<String> = parts.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect();
        format!("{path}?{}", qs.join("&"))
    }

    /// The same query on its first page.
    pub fn first_page(&self) -> GridQuery {
        GridQuery { after: String::new(), before: String::new(), ..self.clone() }
    }

    /// The same filters sorted by `key`: ascending first, descending when already ascending.
    pub fn sorted_by(&self, key: &str, current_sort: &str, current_desc: bool) -> GridQuery {
        let desc = current_sort == key && !current_desc;
        GridQuery { sort: key.to_string(), dir: if desc { "desc" } else { "asc" }.into(), ..self.first_page() }
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A sort value in a cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CursorValue {
    Int(i64),
    Text(String),
}

/// Where a page starts or ends: the sort value and id of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub value: CursorValue,
    pub id: i64,
}

impl Cursor {
    /// `i<number>.<id>` or `s<hex of the UTF-8 text>.<id>`: safe in a URL without escaping.
    pub fn encode(&self) -> String {
        match &self.value {
            CursorValue::Int(n) => format!("i{n}.{}", self.id),
            CursorValue::Text(s) => {
                let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
                format!("s{hex}.{}", self.id)
            }
        }
    }

    pub fn decode(raw: &str) -> Option<Cursor> {
        let (value, id) = raw.rsplit_once('.')?;
        let id = id.parse().ok()?;
        let value = match value.split_at_checked(1)? {
            ("i", n) => CursorValue::Int(n.parse().ok()?),
            ("s", hex) => {
                if hex.len() % 2 != 0 || hex.len() > 2048 {
                    return None;
                }
                let bytes: Option<Vec<u8>> =
                    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
                CursorValue::Text(String::from_utf8(bytes?).ok()?)
            }
            _ => return None,
        };
        Some(Cursor { value, id })
    }
}

/// How many rows match: exact up to [`COUNT_CAP`], "more than" beyond.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCount {
    pub rows: i64,
    pub capped: bool,
}

/// One page of a grid, with the cursors of its neighbours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridPage<R> {
    pub rows: Vec<R>,
    pub count: RowCount,
    /// The query as the server applied it (sort and direction filled in).
    pub query: GridQuery,
    pub next: Option<String>,
    pub prev: Option<String>,
}

impl<R> GridPage<R> {
    pub fn descending(&self) -> bool {
        self.query.dir == "desc"
    }

    /// The URL of the next page, if any.
    pub fn next_href(&self, path: &str) -> Option<String> {
        self.next
            .as_ref()
            .map(|c| GridQuery { after: c.clone(), before: String::new(), ..self.query.clone() }.href(path))
    }

    pub fn prev_href(&self, path: &str) -> Option<String> {
        self.prev
            .as_ref()
            .map(|c| GridQuery { before: c.clone(), after: String::new(), ..self.query.clone() }.href(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        for c in [
            Cursor { value: CursorValue::Int(-5), id: 7 },
            Cursor { value: CursorValue::Text("Müller.o'Brien 中文".into()), id: 12 },
            Cursor { value: CursorValue::Text(String::new()), id: 1 },
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        for bad in ["", "x1.2", "i1", "i1.x", "s0.1", "szz.1", "sff.1", "i.1"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_query_survives_its_url() {
        let mut q = GridQuery {
            search: "a b&c".into(),
            sort: "email".into(),
            dir: "asc".into(),
            limit: 50,
            ..Default::default()
        };
        q.filters.insert("website".into(), "2".into());
        q.after = Cursor { value: CursorValue::Text("x@y".into()), id: 3 }.encode();
        let url = q.href("/admin/customers");
        let qs = url.split_once('?').unwrap().1;
        let params: Vec<(String, String)> = qs
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), percent_decode(v))
            })
            .collect();
        let back = GridQuery::from_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, q);
    }

    fn percent_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn page_sizes_are_capped_and_sorting_toggles() {
        assert_eq!(GridQuery { limit: 100_000, ..Default::default() }.page_size(), DEFAULT_PAGE_SIZE);
        assert_eq!(GridQuery { limit: 200, ..Default::default() }.page_size(), 200);
        let q = GridQuery { after: "i1.1".into(), ..Default::default() };
        let s = q.sorted_by("email", "id", true);
        assert_eq!((s.sort.as_str(), s.dir.as_str(), s.after.as_str()), ("email", "asc", ""));
        assert_eq!(s.sorted_by("email", "email", false).dir, "desc");
    }
}
