-- The raw layer holds every input row as text, exactly as loaded, with lineage:
-- which file (its path in the study and sha256), which row of it (as seen in
-- Excel or a text editor, header = row 1), when, by which run, and for wave
-- files the wave folder it came from. Extra columns found in a file are added
-- by the loader; the contract's own columns always exist (raw.redact too, empty
-- when the study has no redact file).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE raw.waves (
    wave_id VARCHAR, label VARCHAR, fieldwork_start VARCHAR, fieldwork_end VARCHAR, planned_interviews VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

CREATE OR REPLACE TABLE raw.codebook (
    code_id VARCHAR, theme VARCHAR, label VARCHAR, kind VARCHAR, levels VARCHAR, net_levels VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

CREATE OR REPLACE TABLE raw.interviews (
    interview_id VARCHAR, interview_date VARCHAR, stakeholder_group VARCHAR, organisation_type VARCHAR,
    organisation VARCHAR, mode VARCHAR, duration_minutes VARCHAR, service_area VARCHAR, wave_id VARCHAR,
    document VARCHAR, coded VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

CREATE OR REPLACE TABLE raw.responses (
    interview_id VARCHAR, code_id VARCHAR, value VARCHAR, excerpt VARCHAR, wave_id VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

CREATE OR REPLACE TABLE raw.redact (
    term VARCHAR, label VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

CREATE OR REPLACE TABLE raw.crosswalk (
    wave_id VARCHAR, source_code VARCHAR, code_id VARCHAR, value VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

CREATE OR REPLACE TABLE raw.export_headers (
    tool VARCHAR, field VARCHAR, header VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

-- A coding tool's export (flows/wavecompare/qda/), as the tool wrote it: one row per coding (source_row
-- numbers them in the file's order), its document, the tool's code path, the tool's id for the segment or row
-- (record), the segment's positions in the tool's units, the coded text where the tool gives it, and the
-- coding references a row stands for (1, but for NVivo's count matrices); and every document the export holds.
CREATE OR REPLACE TABLE raw.codings (
    document VARCHAR, source_code VARCHAR, record VARCHAR, start_position BIGINT, end_position BIGINT,
    excerpt VARCHAR, coding_references BIGINT,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);

CREATE OR REPLACE TABLE raw.documents (
    document VARCHAR,
    source_file VARCHAR, source_sha256 VARCHAR, source_row BIGINT, loaded_at TIMESTAMP, run_id VARCHAR,
    folder_wave_id VARCHAR
);
