-- The wave folders found in the study folder, whether or not their files hold rows.
CREATE OR REPLACE TABLE raw.wave_folders AS
SELECT unnest(CAST($folders AS VARCHAR[])) AS wave_id;
