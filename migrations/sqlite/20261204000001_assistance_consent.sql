-- When the shopper's consent to remote shopping assistance was given (NULL: not given), so a
-- Consent Lifetime can let it lapse by itself.
ALTER TABLE customers ADD COLUMN assistance_allowed_at INTEGER;
