-- An appeal filed by hand, through the API or by an Open311 client naming its district or street
-- but no community waits in the same queue as an imported row that matched none: the queue row
-- then belongs to no import.
ALTER TABLE appeal_unmatched ALTER COLUMN import_id DROP NOT NULL;
