-- The waves as the release tables label them (marts.waves): wave_id, its
-- label, its position in fieldwork order (1 = first), its fieldwork dates and
-- how many interviews it has (for the Read me's account of the study) and how
-- many of them were not coded (for the tables' notes).
SELECT wave_id, label, wave_order, fieldwork_start, fieldwork_end, interviews, not_coded
FROM marts.waves
ORDER BY wave_order;
