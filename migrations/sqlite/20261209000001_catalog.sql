-- The catalog: a tree of categories, products with their stock, the websites they are sold
-- on, a price per customer group, and a full-text index over name, SKU and description.
-- Prices are integers in the currency's minor units (cents).

CREATE TABLE catalog_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER REFERENCES catalog_categories(id),
    name TEXT NOT NULL,
    url_key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0,
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX catalog_categories_parent ON catalog_categories (parent_id, position, id);

CREATE TABLE catalog_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    url_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    price INTEGER NOT NULL CHECK (price >= 0),
    is_enabled INTEGER NOT NULL DEFAULT 1,
    is_featured INTEGER NOT NULL DEFAULT 0,
    qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
    image_svg TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX catalog_products_name ON catalog_products (name, id);
CREATE INDEX catalog_products_price ON catalog_products (price, id);
CREATE INDEX catalog_products_featured ON catalog_products (is_featured, id);

CREATE TABLE catalog_product_websites (
    product_id INTEGER NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
    website_id INTEGER NOT NULL REFERENCES websites(id),
    PRIMARY KEY (product_id, website_id)
);
CREATE INDEX catalog_product_websites_website ON catalog_product_websites (website_id, product_id);

CREATE TABLE catalog_category_products (
    category_id INTEGER NOT NULL REFERENCES catalog_categories(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (category_id, product_id)
);
CREATE INDEX catalog_category_products_position ON catalog_category_products (category_id, position, product_id);
CREATE INDEX catalog_category_products_product ON catalog_category_products (product_id);

-- `Advanced Pricing`: a price for one customer group (NOT LOGGED IN included).
CREATE TABLE catalog_product_group_prices (
    product_id INTEGER NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES customer_groups(id),
    price INTEGER NOT NULL CHECK (price >= 0),
    PRIMARY KEY (product_id, group_id)
);

-- Storefront search: an external-content FTS5 index kept in step by triggers.
CREATE VIRTUAL TABLE catalog_product_search USING fts5(
    name, sku, description,
    content='catalog_products', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER catalog_products_search_insert AFTER INSERT ON catalog_products BEGIN
    INSERT INTO catalog_product_search (rowid, name, sku, description) VALUES (new.id, new.name, new.sku, new.description);
END;
CREATE TRIGGER catalog_products_search_delete AFTER DELETE ON catalog_products BEGIN
    INSERT INTO catalog_product_search (catalog_product_search, rowid, name, sku, description)
    VALUES ('delete', old.id, old.name, old.sku, old.description);
END;
CREATE TRIGGER catalog_products_search_update AFTER UPDATE OF name, sku, description ON catalog_products BEGIN
    INSERT INTO catalog_product_search (catalog_product_search, rowid, name, sku, description)
    VALUES ('delete', old.id, old.name, old.sku, old.description);
    INSERT INTO catalog_product_search (rowid, name, sku, description) VALUES (new.id, new.name, new.sku, new.description);
END;

-- Guests shop as the `NOT LOGGED IN` customer group: its prices are what a guest pays. No
-- account belongs to it.
INSERT INTO customer_groups (code, created_at, updated_at) VALUES ('NOT LOGGED IN', 0, 0) ON CONFLICT (code) DO NOTHING;
