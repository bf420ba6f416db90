-- The grids' search boxes read "starts with" as a byte-order range (`COLLATE "C"`) along
-- lower-cased indexes in that order: Catalog > Products (SKU, name) and All Customers (email,
-- first and last name).
DROP INDEX catalog_products_sku_lower;
DROP INDEX catalog_products_name_lower;
CREATE INDEX catalog_products_sku_lower ON catalog_products ((LOWER(sku)) COLLATE "C", id);
CREATE INDEX catalog_products_name_lower ON catalog_products ((LOWER(name)) COLLATE "C", id);
CREATE INDEX customers_email_c ON customers (email_normalized COLLATE "C", id);
CREATE INDEX customers_first_name_lower ON customers ((LOWER(first_name)) COLLATE "C", id);
CREATE INDEX customers_last_name_lower ON customers ((LOWER(last_name)) COLLATE "C", id);
