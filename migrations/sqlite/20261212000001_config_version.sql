-- What the server keeps in memory (the active store views, each with its locale and currency)
-- is read again when this number moves. Every change to configuration or to the stores bumps
-- it, whoever makes it: this process, another instance on the same database, the command line.
CREATE TABLE config_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

CREATE TRIGGER config_values_bump_insert AFTER INSERT ON config_values BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER config_values_bump_update AFTER UPDATE ON config_values BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER config_values_bump_delete AFTER DELETE ON config_values BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER store_views_bump_insert AFTER INSERT ON store_views BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER store_views_bump_update AFTER UPDATE ON store_views BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER store_views_bump_delete AFTER DELETE ON store_views BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER store_groups_bump_insert AFTER INSERT ON store_groups BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER store_groups_bump_update AFTER UPDATE ON store_groups BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER store_groups_bump_delete AFTER DELETE ON store_groups BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER websites_bump_insert AFTER INSERT ON websites BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER websites_bump_update AFTER UPDATE ON websites BEGIN UPDATE config_version SET version = version + 1; END;
CREATE TRIGGER websites_bump_delete AFTER DELETE ON websites BEGIN UPDATE config_version SET version = version + 1; END;
