-- SQLite's search index gained the websites each enabled product is sold on (its migration of
-- the same version). PostgreSQL's index is still the GIN index over the products' own `search`
-- column, joined to their websites when read: nothing changes here. The file keeps both
-- folders' versions in step.
SELECT 1;
