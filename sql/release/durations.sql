-- How long the interviews of each wave lasted (marts.interview_duration), in fieldwork order, for the
-- stakeholder mix's notes: a design fact the report publishes ("all lasted between 20-45 minutes").
SELECT waves.label, durations.n, durations."min", durations."median", durations."max"
FROM marts.interview_duration AS durations
JOIN marts.waves AS waves ON waves.wave_id = durations.wave_id
WHERE durations.n > 0
ORDER BY waves.wave_order;
