-- How large the release will be, before it is built: its waves times the
-- codes of the codebook (marts.codebook), one number (`wave_codes`). The
-- release draws its charts in child processes from some size on
-- (release/build.py).
SELECT
    (SELECT count(*) FROM marts.waves)
    * (SELECT count(*) FROM marts.codebook) AS wave_codes;
