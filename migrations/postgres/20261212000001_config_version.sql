-- What the server keeps in memory (the active store views, each with its locale and currency)
-- is read again when this number moves. Every change to configuration or to the stores bumps
-- it, whoever makes it: this process, another instance on the same database, the command line.
CREATE TABLE config_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

CREATE FUNCTION bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE config_version SET version = version + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER config_values_bump AFTER INSERT OR UPDATE OR DELETE ON config_values
    FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
CREATE TRIGGER store_views_bump AFTER INSERT OR UPDATE OR DELETE ON store_views
    FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
CREATE TRIGGER store_groups_bump AFTER INSERT OR UPDATE OR DELETE ON store_groups
    FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
CREATE TRIGGER websites_bump AFTER INSERT OR UPDATE OR DELETE ON websites
    FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
