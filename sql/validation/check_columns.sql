-- The columns of one relation with their types: a check view's, so a rule's check is
-- known to be true or false and the fact it shows known to exist.
SELECT column_name, data_type
FROM information_schema.columns
WHERE table_schema || '.' || table_name = $relation
ORDER BY ordinal_position;
