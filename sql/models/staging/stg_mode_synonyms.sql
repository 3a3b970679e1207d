-- The documented synonym list for interview mode. A mode is matched ignoring
-- case, spaces and punctuation; anything not listed becomes 'other'.
CREATE OR REPLACE TABLE staging.stg_mode_synonyms AS
WITH source AS (
    SELECT * FROM (VALUES
        ('face_to_face', 'face_to_face'),
        ('Face to face', 'face_to_face'),
        ('Face-to-face', 'face_to_face'),
        ('F2F', 'face_to_face'),
        ('In person', 'face_to_face'),
        ('In-person', 'face_to_face'),
        ('Personal visit', 'face_to_face'),
        ('CAPI', 'face_to_face'),
        ('telephone', 'telephone'),
        ('Phone', 'telephone'),
        ('Tel', 'telephone'),
        ('Tel.', 'telephone'),
        ('By telephone', 'telephone'),
        ('Telephone interview', 'telephone'),
        ('Mobile', 'telephone'),
        ('CATI', 'telephone'),
        ('video', 'video'),
        ('Video call', 'video'),
        ('Video conference', 'video'),
        ('Videoconference', 'video'),
        ('Online video', 'video'),
        ('Teams', 'video'),
        ('MS Teams', 'video'),
        ('Microsoft Teams', 'video'),
        ('Zoom', 'video'),
        ('Skype', 'video'),
        ('Google Meet', 'video'),
        ('Webex', 'video'),
        ('online', 'online'),
        ('Online survey', 'online'),
        ('Web', 'online'),
        ('CAWI', 'online'),
        ('other', 'other')
    ) AS synonyms(synonym, mode)
),
final AS (
    SELECT DISTINCT staging.match_key(synonym) AS synonym_key, mode
    FROM source
)
SELECT * FROM final;
