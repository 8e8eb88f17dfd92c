-- An event is known by its appeal and its place in that appeal's history (seq), which is how
-- everything reads it. The surrogate id cost every write a sequence step and a second index entry,
-- twice over for an import, which writes an event per appeal.
ALTER TABLE appeal_event DROP CONSTRAINT appeal_event_pkey;
ALTER TABLE appeal_event DROP COLUMN id;
ALTER TABLE appeal_event DROP CONSTRAINT appeal_event_appeal_id_seq_key;
ALTER TABLE appeal_event ADD PRIMARY KEY (appeal_id, seq);
