-- Assistance History reads what each of a customer's sessions changed: the entries of one
-- assistance session, found without scanning the action log.
CREATE INDEX action_log_assistance_session ON action_log (assistance_session_id, action)
    WHERE assistance_session_id IS NOT NULL;
