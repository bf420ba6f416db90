-- Role Scopes: a role covers all websites, or only those listed. Existing roles cover all.
ALTER TABLE admin_roles ADD COLUMN all_websites BIGINT NOT NULL DEFAULT 1;
CREATE TABLE admin_role_websites (
    role_id BIGINT NOT NULL REFERENCES admin_roles(id) ON DELETE CASCADE,
    website_id BIGINT NOT NULL REFERENCES websites(id),
    PRIMARY KEY (role_id, website_id)
);
