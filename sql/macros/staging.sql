-- Small helpers shared by the staging models, the checks and the marts.
-- clean_text: trimmed text, with empty text as NULL.
-- parse_date: ISO 2013-10-08 or UK 08/10/2013 (Excel date cells arrive as ISO),
--   optionally followed by a time of day and an offset, as survey tools export
--   them (2015-02-13 17:10:55.000, 2015-02-13T17:10:55+05:00): the date is the
--   date part as written, whatever the offset; anything else after it is refused.
-- pct: 100 * n / base to one decimal; NULL when the base is 0.
-- whole_number: text that is a whole number, as a BIGINT; NULL otherwise.
-- level_list: a codebook cell of levels separated by |, as a list of clean_text
--   levels (an empty one between two | is NULL); NULL when the cell is blank.
-- invisible_characters: the invisible and control characters in an identifier
--   (Unicode categories Cc, Cf, Zl, Zp, and characters that render as nothing:
--   the combining grapheme joiner, Hangul fillers, Khmer inherent vowels,
--   variation selectors), as 'U+200B'; naming_invisible: s followed by them, for
--   messages; visible_text: s without them.
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
CREATE OR REPLACE MACRO staging.level_list(s) AS
    CASE WHEN staging.clean_text(s) IS NOT NULL
        THEN list_transform(string_split(s, '|'), lambda level: staging.clean_text(level))
    END;
CREATE OR REPLACE MACRO staging.match_key(s) AS regexp_replace(lower(s), '[^a-z0-9]', '', 'g');
CREATE OR REPLACE MACRO staging.invisible_class() AS
    '[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\x{034F}\x{115F}\x{1160}\x{17B4}\x{17B5}\x{3164}\x{FFA0}\x{FE00}-\x{FE0F}\x{E0100}-\x{E01EF}]';
CREATE OR REPLACE MACRO staging.invisible_characters(s) AS
    list_distinct(list_transform(regexp_extract_all(s, staging.invisible_class()), lambda c: printf('U+%04X', unicode(c))));
CREATE OR REPLACE MACRO staging.visible_text(s) AS regexp_replace(s, staging.invisible_class(), '', 'g');
CREATE OR REPLACE MACRO staging.naming_invisible(s) AS
    s || ' (holds ' || array_to_string(staging.invisible_characters(s), ', ') || ')';
-- marts.pct: the same percentage, under the marts' name, for the release's sums
-- of published counts (its 'Other ...' groups), which read no staging internals.
CREATE OR REPLACE MACRO marts.pct(n, base) AS staging.pct(n, base);
