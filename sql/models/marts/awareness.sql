-- The awareness theme of marts.code_levels: see that model for how it is counted.
CREATE OR REPLACE TABLE marts.awareness AS
SELECT * EXCLUDE (theme) FROM marts.code_levels WHERE theme = 'awareness';
