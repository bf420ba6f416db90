-- All Customers: the search box reads first and last names as ranges along lower-cased
-- indexes (the email already has one), as Catalog > Products does for SKU and name.
CREATE INDEX customers_first_name_lower ON customers (LOWER(first_name), id);
CREATE INDEX customers_last_name_lower ON customers (LOWER(last_name), id);
