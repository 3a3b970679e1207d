-- The waves as the release tables label them (marts.waves): wave_id, its
-- label, its position in fieldwork order (1 = first), its fieldwork dates and
-- how many interviews it has (for the Read me's account of the study).
SELECT wave_id, label, wave_order, fieldwork_start, fieldwork_end, interviews
FROM marts.waves
ORDER BY wave_order;
