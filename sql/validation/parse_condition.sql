-- DuckDB's parse tree of one query, as JSON: how a rule's condition is checked to be
-- one expression, and which Great Expectations expectation it becomes (flows/wavecompare/rules.py).
SELECT json_serialize_sql($query);
