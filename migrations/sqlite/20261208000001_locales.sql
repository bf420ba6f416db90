-- Each admin reads the admin panel in their own language (`Interface Locale`); store views
-- take theirs from configuration (`general/locale/code`).
ALTER TABLE admin_users ADD COLUMN interface_locale TEXT NOT NULL DEFAULT 'en-US';
