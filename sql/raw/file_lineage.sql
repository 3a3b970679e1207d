-- The lineage file_rows.sql gives every row of the file being loaded.
SET VARIABLE file_lineage = {
    'source_file': $source_file,
    'source_sha256': $source_sha256,
    'loaded_at': $loaded_at,
    'run_id': $run_id,
    'folder_wave_id': $folder_wave_id
};
