-- The catalog: a tree of categories, products with their stock, the websites they are sold
-- on, a price per customer group, and a full-text index over name, SKU and description.
-- Prices are integers in the currency's minor units (cents).

CREATE TABLE catalog_categories (
    id BIGSERIAL PRIMARY KEY,
    parent_id BIGINT REFERENCES catalog_categories(id),
    name TEXT NOT NULL,
    url_key TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL DEFAULT 0,
    is_active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX catalog_categories_parent ON catalog_categories (parent_id, position, id);

CREATE TABLE catalog_products (
    id BIGSERIAL PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    url_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    price BIGINT NOT NULL CHECK (price >= 0),
    is_enabled BIGINT NOT NULL DEFAULT 1,
    is_featured BIGINT NOT NULL DEFAULT 0,
    qty BIGINT NOT NULL DEFAULT 0 CHECK (qty >= 0),
    image_svg TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Storefront search: name and SKU weigh more than the description. Words are split at
    -- anything but letters and digits, as the search splits what is typed (`SA-000123` is
    -- `sa` and `000123`, not `sa` and `-000123`).
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', regexp_replace(name, '[^[:alnum:]]+', ' ', 'g')), 'A')
        || setweight(to_tsvector('simple', regexp_replace(sku, '[^[:alnum:]]+', ' ', 'g')), 'A')
        || setweight(to_tsvector('simple', regexp_replace(description, '[^[:alnum:]]+', ' ', 'g')), 'B')
    ) STORED
);
CREATE INDEX catalog_products_name ON catalog_products (name, id);
CREATE INDEX catalog_products_price ON catalog_products (price, id);
CREATE INDEX catalog_products_featured ON catalog_products (is_featured, id);
CREATE INDEX catalog_products_search ON catalog_products USING GIN (search);

CREATE TABLE catalog_product_websites (
    product_id BIGINT NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
    website_id BIGINT NOT NULL REFERENCES websites(id),
    PRIMARY KEY (product_id, website_id)
);
CREATE INDEX catalog_product_websites_website ON catalog_product_websites (website_id, product_id);

CREATE TABLE catalog_category_products (
    category_id BIGINT NOT NULL REFERENCES catalog_categories(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
    position BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (category_id, product_id)
);
CREATE INDEX catalog_category_products_position ON catalog_category_products (category_id, position, product_id);
CREATE INDEX catalog_category_products_product ON catalog_category_products (product_id);

-- `Advanced Pricing`: a price for one customer group (NOT LOGGED IN included).
CREATE TABLE catalog_product_group_prices (
    product_id BIGINT NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES customer_groups(id),
    price BIGINT NOT NULL CHECK (price >= 0),
    PRIMARY KEY (product_id, group_id)
);

-- Guests shop as the `NOT LOGGED IN` customer group: its prices are what a guest pays. No
-- account belongs to it.
INSERT INTO customer_groups (code, created_at, updated_at) VALUES ('NOT LOGGED IN', 0, 0) ON CONFLICT (code) DO NOTHING;
