-- What a released excerpt must not name, each term with the kind it is redacted
-- as (private.redaction_terms): the terms of the study's redact.csv under their
-- labels, then its own organisations and interview ids. A term listed twice
-- keeps its first kind.
SELECT kind, term FROM private.redaction_terms ORDER BY term_order;
