-- Storefront search reads the full-text index alone. Each product's row carries a fourth
-- column, `scope`: the websites it is sold on while enabled (`w1 w2`; nothing when disabled),
-- so that the matches for one website, their count and the best page come from the index
-- without reading the catalog for each match. The index keeps no copy of the text
-- (contentless, with deletes by rowid); triggers keep it in step with products and their
-- websites. A change of stock does not touch it.
DROP TRIGGER catalog_products_search_insert;
DROP TRIGGER catalog_products_search_delete;
DROP TRIGGER catalog_products_search_update;
DROP TABLE catalog_product_search;

CREATE VIRTUAL TABLE catalog_product_search USING fts5(
    name, sku, description, scope,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2'
);

-- Each product's row for the index, as the triggers below write it.
CREATE VIEW catalog_product_search_rows AS
SELECT p.id, p.name, p.sku, p.description,
       CASE WHEN p.is_enabled = 1 THEN COALESCE((SELECT group_concat('w' || pw.website_id, ' ')
           FROM catalog_product_websites pw WHERE pw.product_id = p.id), '') ELSE '' END AS scope
FROM catalog_products p;

INSERT INTO catalog_product_search (rowid, name, sku, description, scope)
SELECT id, name, sku, description, scope FROM catalog_product_search_rows;

CREATE TRIGGER catalog_products_search_insert AFTER INSERT ON catalog_products BEGIN
    INSERT INTO catalog_product_search (rowid, name, sku, description, scope)
    SELECT id, name, sku, description, scope FROM catalog_product_search_rows WHERE id = new.id;
END;
CREATE TRIGGER catalog_products_search_delete AFTER DELETE ON catalog_products BEGIN
    DELETE FROM catalog_product_search WHERE rowid = old.id;
END;
CREATE TRIGGER catalog_products_search_update AFTER UPDATE OF id, name, sku, description, is_enabled ON catalog_products BEGIN
    DELETE FROM catalog_product_search WHERE rowid IN (old.id, new.id);
    INSERT INTO catalog_product_search (rowid, name, sku, description, scope)
    SELECT id, name, sku, description, scope FROM catalog_product_search_rows WHERE id = new.id;
END;
CREATE TRIGGER catalog_product_websites_search_insert AFTER INSERT ON catalog_product_websites BEGIN
    DELETE FROM catalog_product_search WHERE rowid = new.product_id;
    INSERT INTO catalog_product_search (rowid, name, sku, description, scope)
    SELECT id, name, sku, description, scope FROM catalog_product_search_rows WHERE id = new.product_id;
END;
CREATE TRIGGER catalog_product_websites_search_delete AFTER DELETE ON catalog_product_websites BEGIN
    DELETE FROM catalog_product_search WHERE rowid = old.product_id;
    INSERT INTO catalog_product_search (rowid, name, sku, description, scope)
    SELECT id, name, sku, description, scope FROM catalog_product_search_rows WHERE id = old.product_id;
END;
