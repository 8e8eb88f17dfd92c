-- The day a community joined its batch: the batch's start for the communities it was opened
-- with, a later day for one added while it ran. added_at stays the time the row was entered (a
-- batch recorded afterwards, as the demo records 2021's, was not joined on the day of typing).
ALTER TABLE batch_community ADD COLUMN joined_on date;
UPDATE batch_community bc SET joined_on = greatest(b.start_date, (bc.added_at AT TIME ZONE 'Asia/Shanghai')::date)
  FROM batch b WHERE b.id = bc.batch_id;
ALTER TABLE batch_community ALTER COLUMN joined_on SET NOT NULL;
