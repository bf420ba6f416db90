-- Catalog > Products: the grid's search reads the SKU and name along lower-cased indexes
-- (pattern operators, so `LIKE 'abc%'` uses them whatever the database's collation).
CREATE INDEX catalog_products_sku_lower ON catalog_products (LOWER(sku) text_pattern_ops, id);
CREATE INDEX catalog_products_name_lower ON catalog_products (LOWER(name) text_pattern_ops, id);
CREATE INDEX catalog_products_qty ON catalog_products (qty, id);
