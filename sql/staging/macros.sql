-- Small helpers shared by the staging models, the checks and the marts.
-- clean_text: trimmed text, with empty text as NULL.
-- parse_date: ISO 2013-10-08 or UK 08/10/2013 (Excel date cells arrive as ISO),
--   optionally followed by a time of day and an offset, as survey tools export
--   them (2015-02-13 17:10:55.000, 2015-02-13T17:10:55+05:00): the date is the
--   date part as written, whatever the offset; anything else after it is refused.
-- pct: 100 * n / base to one decimal; NULL when the base is 0.
-- whole_number: text that is a whole number, as a BIGINT; NULL otherwise.
CREATE OR REPLACE MACRO staging.clean_text(s) AS nullif(trim(s), '');
CREATE OR REPLACE MACRO staging.parse_date(s) AS
    CAST(try_strptime(regexp_extract(trim(s),
        '^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})'
        || '(?:(?:T| +)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]+)?)? *(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$',
        1), ['%Y-%m-%d', '%d/%m/%Y']) AS DATE);
CREATE OR REPLACE MACRO staging.pct(n, base) AS
    CASE WHEN base > 0 THEN CAST(round(100.0 * n / base, 1) AS DECIMAL(4, 1)) END;
CREATE OR REPLACE MACRO staging.whole_number(s) AS
    CASE WHEN regexp_full_match(trim(s), '[0-9]+') THEN try_cast(trim(s) AS BIGINT) END;
CREATE OR REPLACE MACRO staging.match_key(s) AS regexp_replace(lower(s), '[^a-z0-9]', '', 'g');
