-- Carts, the Address Book and orders. Amounts are integers in the currency's minor units.

-- A cart: a customer's (one per customer, on every device) or a guest's (keyed by a random
-- token held in the browser's storefront session, one cart per website). `checkout_key` makes
-- `Place Order` idempotent: the order takes it, and the cart gets a new one.
CREATE TABLE carts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER UNIQUE REFERENCES customers(id) ON DELETE CASCADE,
    guest_token TEXT,
    website_id INTEGER NOT NULL REFERENCES websites(id),
    checkout_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((customer_id IS NULL) <> (guest_token IS NULL))
);
CREATE UNIQUE INDEX carts_guest ON carts (guest_token, website_id);
CREATE INDEX carts_updated ON carts (updated_at, id);

CREATE TABLE cart_items (
    cart_id INTEGER NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
    qty INTEGER NOT NULL CHECK (qty BETWEEN 1 AND 10000),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (cart_id, product_id)
);

-- The Address Book. At most one default billing and one default shipping address per
-- customer (kept so by the actions, in the transaction that changes them).
CREATE TABLE customer_addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    company TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL,
    city TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    country_id TEXT NOT NULL,
    telephone TEXT NOT NULL,
    is_default_billing INTEGER NOT NULL DEFAULT 0,
    is_default_shipping INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id, id);

-- Order numbers: per store view, increasing, never reused (a failed order's number is not
-- given back, as a sequence's is not).
CREATE TABLE sales_sequences (
    store_view_id INTEGER PRIMARY KEY REFERENCES store_views(id),
    last_value INTEGER NOT NULL
);

-- An order keeps its own copy of who bought, what, at which price and where it goes: a
-- deleted account or product leaves it whole.
CREATE TABLE sales_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    increment_id TEXT NOT NULL,
    store_view_id INTEGER NOT NULL REFERENCES store_views(id),
    website_id INTEGER NOT NULL REFERENCES websites(id),
    customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    customer_email TEXT NOT NULL,
    customer_first_name TEXT NOT NULL,
    customer_last_name TEXT NOT NULL,
    customer_group_id INTEGER NOT NULL REFERENCES customer_groups(id),
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_qty INTEGER NOT NULL,
    subtotal INTEGER NOT NULL,
    shipping_amount INTEGER NOT NULL,
    grand_total INTEGER NOT NULL,
    shipping_method TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    checkout_key TEXT NOT NULL UNIQUE,
    assistance_session_id INTEGER REFERENCES assistance_sessions(id),
    placed_by_admin_id INTEGER REFERENCES admin_users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (store_view_id, increment_id)
);
CREATE INDEX sales_orders_customer ON sales_orders (customer_id, created_at, id);
CREATE INDEX sales_orders_created ON sales_orders (created_at, id);

CREATE TABLE sales_order_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES sales_orders(id),
    product_id INTEGER REFERENCES catalog_products(id) ON DELETE SET NULL,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    price INTEGER NOT NULL,
    qty_ordered INTEGER NOT NULL CHECK (qty_ordered > 0),
    qty_invoiced INTEGER NOT NULL DEFAULT 0,
    qty_shipped INTEGER NOT NULL DEFAULT 0,
    qty_refunded INTEGER NOT NULL DEFAULT 0,
    qty_canceled INTEGER NOT NULL DEFAULT 0,
    row_total INTEGER NOT NULL
);
CREATE INDEX sales_order_items_order ON sales_order_items (order_id, id);

CREATE TABLE sales_order_addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES sales_orders(id),
    address_type TEXT NOT NULL CHECK (address_type IN ('billing', 'shipping')),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    company TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL,
    city TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    country_id TEXT NOT NULL,
    telephone TEXT NOT NULL,
    UNIQUE (order_id, address_type)
);

-- `Comments History`: comments visible on the storefront are shown on My Orders.
CREATE TABLE sales_order_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES sales_orders(id),
    comment TEXT NOT NULL,
    status TEXT NOT NULL,
    is_visible_on_front INTEGER NOT NULL DEFAULT 0,
    is_customer_notified INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX sales_order_comments_order ON sales_order_comments (order_id, id);
