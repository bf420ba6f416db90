-- Catalog > Products: the grid's search reads the SKU and name along lower-cased indexes.
CREATE INDEX catalog_products_sku_lower ON catalog_products (LOWER(sku), id);
CREATE INDEX catalog_products_name_lower ON catalog_products (LOWER(name), id);
CREATE INDEX catalog_products_qty ON catalog_products (qty, id);
