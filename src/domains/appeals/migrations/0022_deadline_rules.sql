-- Time limits for responding and handling, by category and urgency. A null column matches any
-- value. The most specific rule wins: one naming the urgency beats one that does not, then the
-- deepest matching category (a rule on 'heating' covers 'heating.outage'), so an urgent appeal
-- gets the urgent limit unless its own category says otherwise for urgent ones.
CREATE TABLE deadline_rule (
  id            serial PRIMARY KEY,
  category_code text REFERENCES appeal_category (code),
  urgency       text CHECK (urgency IN ('normal', 'urgent')),
  respond_hours numeric NOT NULL CHECK (respond_hours > 0),
  handle_hours  numeric NOT NULL CHECK (handle_hours > 0),
  note          text,
  UNIQUE NULLS NOT DISTINCT (category_code, urgency)
);

-- Beijing's swift-response regulation asks for a response within 2 hours; handling limits are
-- local practice and meant to be edited.
INSERT INTO deadline_rule (category_code, urgency, respond_hours, handle_hours, note) VALUES
  (NULL, NULL, 2, 168, '默认：2 小时响应，7 天办结 / default: respond in 2 hours, handle in 7 days'),
  (NULL, 'urgent', 2, 24, '紧急：24 小时办结 / urgent: handle within 24 hours'),
  ('heating', NULL, 2, 72, '供暖季民生保障 / heating season'),
  ('water.outage', NULL, 2, 48, '停水 / water outage'),
  ('electricity.outage', NULL, 2, 48, '停电 / power outage'),
  ('gas.safety', NULL, 1, 24, '燃气安全 / gas safety'),
  ('gas.safety', 'urgent', 0.5, 4, '燃气安全紧急 / urgent gas safety'),
  ('elevator.fault', NULL, 2, 72, '电梯故障 / elevator faults');
