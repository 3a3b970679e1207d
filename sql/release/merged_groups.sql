-- The groups group_merges.sql found too small to publish answers for, in print order, for the tables' notes.
SELECT split, wave_id, grp, base, merged_into FROM release_group_merges ORDER BY split, wave_id, grp;
