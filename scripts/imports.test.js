// Tests of imports.js: the project's src/ has no import loop, and the check finds each kind
// of loop it claims to (so a new one in src/ fails this test).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { graph, loops, expandUse } = require("./imports.js");

/** A throwaway src/ tree from { "a.rs": "text", ... }. */
function tree(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imports-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test("the files of src/ import each other one way only", () => {
  const found = loops(graph(path.join(__dirname, "..", "src")));
  assert.deepStrictEqual(found, [], `import loops: ${JSON.stringify(found)}`);
});

test("use trees expand to each path they name", () => {
  assert.deepStrictEqual(expandUse("crate::a::{b, c::{d, e as f}, self}"), [
    "crate::a::b",
    "crate::a::c::d",
    "crate::a::c::e",
    "crate::a",
  ]);
});

test("a loop through use, a path in code and super is found", () => {
  const dir = tree({
    "lib.rs": "pub mod a; pub mod b;",
    "a/mod.rs": "pub mod x;",
    "a/x.rs": "use crate::b::Thing;",
    "b.rs": "pub struct Thing; fn f() { crate::a::x::g(); }",
  });
  assert.deepStrictEqual(loops(graph(dir)), [["a/x.rs", "b.rs"]]);
});

test("a parent re-exporting a child that uses the parent is a loop; a test module's super is its own file", () => {
  const dir = tree({
    "lib.rs": "pub mod p;",
    "p/mod.rs": "mod c;\npub use c::Item;\npub fn helper() {}",
    "p/c.rs": "pub struct Item;\nfn f() { super::helper() }\n#[cfg(test)]\nmod tests { use super::*; }",
  });
  assert.deepStrictEqual(loops(graph(dir)), [["p/c.rs", "p/mod.rs"]]);
  const clean = tree({
    "lib.rs": "pub mod p;",
    "p/mod.rs": "mod c;\npub use c::Item;",
    "p/c.rs": "pub struct Item;\n#[cfg(test)]\nmod tests { use super::*; }",
  });
  assert.deepStrictEqual(loops(graph(clean)), []);
});

test("calling an exported macro depends on the file that defines it", () => {
  const dir = tree({
    "lib.rs": "pub mod t; pub mod d;",
    "t.rs": "#[macro_export]\nmacro_rules! say { () => {} }\nfn f() { crate::d::g(); }",
    "d.rs": "pub fn g() { say!(); }",
  });
  assert.deepStrictEqual(loops(graph(dir)), [["d.rs", "t.rs"]]);
});

test("comments and strings name nothing", () => {
  const dir = tree({
    "lib.rs": "pub mod a; pub mod b;",
    "a.rs": "// see crate::b::x\nconst S: &str = \"crate::b::y\";\nfn f() { crate::b::z(); }",
    "b.rs": "/// crate::a::f\npub fn z() {}",
  });
  assert.deepStrictEqual(loops(graph(dir)), []);
});

test("SQL is written only in src/server/db/ and the grid engine", () => {
  const src = path.join(__dirname, "..", "src");
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(src, full).replace(/\\/g, "/");
      if (entry.isDirectory()) {
        if (rel !== "server/db") walk(full);
      } else if (entry.name.endsWith(".rs") && rel !== "server/grid.rs") {
        fs.readFileSync(full, "utf8")
          .split("\n")
          .forEach((line, i) => {
            if (/sqlx::query(_as|_scalar)?\b|\bquery_(as|scalar)\(/.test(line)) found.push(`${rel}:${i + 1}`);
          });
      }
    }
  };
  walk(src);
  assert.deepStrictEqual(found, [], "queries outside the database layer");
});
