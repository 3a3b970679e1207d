-- The check relation of one suite, rendered from its rules file (expectations/<suite>.yml,
-- see flows/wavecompare/rules.py): one row per row of the suite's facts, with the values
-- as given (given_*, for messages) and one column per rule, named after it: the rule's
-- check (true or false), or for a check Great Expectations asserts itself (a range, a set
-- of values) the value it checks. A rule with a `when` is NULL where it does not apply,
-- and expectations skip NULLs. A view: the suite reads it once, reduced to its distinct
-- combinations (profile.sql), and its rows are read again only for a failing rule.
CREATE OR REPLACE VIEW {{ check_table }} AS
SELECT
    source_file,
    source_row,
    COLUMNS('^given_'),
{%- for rule in rules %}
    {% if rule.when %}CASE WHEN {{ rule.when }} THEN {{ rule.column_sql }} END{% else %}{{ rule.column_sql }}{% endif %} AS {{ rule.name }}{{ "," if not loop.last }}
{%- endfor %}
FROM {{ facts }};
