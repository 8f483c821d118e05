-- Campaign membership, touchpoints, opportunity contact roles and multi-touch attribution.

-- Member statuses per campaign type, in funnel order. Admins edit them; a status marked
-- `responded` makes the member's first response a touchpoint.
CREATE TABLE member_status_flows (
  campaign_type text NOT NULL CHECK (campaign_type IN ('paid_search', 'trade_show', 'conference', 'traditional_ad', 'promotion',
                                                       'webinar', 'email', 'content', 'social', 'other')),
  status text NOT NULL CHECK (status ~ '^[a-z][a-z0-9_]{0,39}$'),
  position smallint NOT NULL CHECK (position >= 0),
  responded boolean NOT NULL DEFAULT false,
  PRIMARY KEY (campaign_type, status)
);

INSERT INTO member_status_flows (campaign_type, status, position, responded)
SELECT t.type, s.status, s.position, s.responded
FROM (VALUES ('trade_show'), ('conference'), ('webinar')) AS t (type)
CROSS JOIN (VALUES ('invited', 0, false), ('registered', 1, true), ('attended', 2, true), ('no_show', 3, false))
  AS s (status, position, responded)
UNION ALL
SELECT t.type, s.status, s.position, s.responded
FROM (VALUES ('paid_search'), ('traditional_ad'), ('promotion'), ('email'), ('content'), ('social'), ('other')) AS t (type)
CROSS JOIN (VALUES ('sent', 0, false), ('opened', 1, false), ('clicked', 2, true), ('responded', 3, true))
  AS s (status, position, responded);

CREATE TABLE campaign_members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  person_type text NOT NULL CHECK (person_type IN ('lead', 'contact')),
  lead_id uuid REFERENCES leads (id) ON DELETE CASCADE,
  contact_id uuid REFERENCES contacts (id) ON DELETE CASCADE,
  status text NOT NULL,
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  -- The first time the member reached a responded status: when its touchpoint happened.
  responded_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT campaign_members_person_check CHECK (
    (person_type = 'lead' AND lead_id IS NOT NULL AND contact_id IS NULL)
    OR (person_type = 'contact' AND contact_id IS NOT NULL AND lead_id IS NULL))
);
CREATE UNIQUE INDEX campaign_members_lead_key ON campaign_members (campaign_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE UNIQUE INDEX campaign_members_contact_key ON campaign_members (campaign_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX campaign_members_campaign_status_idx ON campaign_members (campaign_id, status);
CREATE INDEX campaign_members_lead_idx ON campaign_members (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX campaign_members_contact_idx ON campaign_members (contact_id) WHERE contact_id IS NOT NULL;

-- Every status a member has had, with when it changed.
CREATE TABLE campaign_member_status_history (
  id bigserial PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES campaign_members (id) ON DELETE CASCADE,
  status text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by uuid REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX campaign_member_status_history_member_idx ON campaign_member_status_history (member_id, changed_at);

-- A person met a campaign. A converted lead's touchpoints move to its contact and keep lead_id,
-- so that they still count for opportunities of the lead.
CREATE TABLE touchpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_type text NOT NULL CHECK (person_type IN ('lead', 'contact')),
  lead_id uuid REFERENCES leads (id) ON DELETE CASCADE,
  contact_id uuid REFERENCES contacts (id) ON DELETE CASCADE,
  campaign_id uuid NOT NULL REFERENCES campaigns (id),
  type text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.:-]{0,63}$'),
  occurred_at timestamptz NOT NULL,
  external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
  metadata jsonb,
  member_id uuid REFERENCES campaign_members (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT touchpoints_person_check CHECK (
    (person_type = 'lead' AND lead_id IS NOT NULL) OR (person_type = 'contact' AND contact_id IS NOT NULL))
);
CREATE UNIQUE INDEX touchpoints_external_id_key ON touchpoints (external_id);
CREATE UNIQUE INDEX touchpoints_member_key ON touchpoints (member_id);
CREATE INDEX touchpoints_lead_idx ON touchpoints (lead_id, occurred_at) WHERE lead_id IS NOT NULL;
CREATE INDEX touchpoints_contact_idx ON touchpoints (contact_id, occurred_at) WHERE contact_id IS NOT NULL;
CREATE INDEX touchpoints_campaign_idx ON touchpoints (campaign_id, occurred_at);

CREATE TABLE opportunity_contact_roles (
  opportunity_id uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('decision_maker', 'economic_buyer', 'technical_buyer', 'evaluator',
                                     'influencer', 'executive_sponsor', 'business_user', 'other')),
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (opportunity_id, contact_id)
);
CREATE UNIQUE INDEX opportunity_contact_roles_primary_key ON opportunity_contact_roles (opportunity_id) WHERE is_primary;
CREATE INDEX opportunity_contact_roles_contact_idx ON opportunity_contact_roles (contact_id);

-- The opportunity's contact is its primary contact role from now on.
INSERT INTO opportunity_contact_roles (opportunity_id, contact_id, role, is_primary)
SELECT id, contact_id, 'other', true FROM opportunities WHERE contact_id IS NOT NULL;

CREATE TABLE attribution_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  lookback_days integer NOT NULL DEFAULT 90 CHECK (lookback_days BETWEEN 0 AND 3650),
  half_life_days numeric(6,2) NOT NULL DEFAULT 7 CHECK (half_life_days > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL
);
INSERT INTO attribution_settings DEFAULT VALUES;

-- What a write made stale, drained by the attribution service before it answers a read.
-- A person (lead or contact) is resolved to its opportunities when drained, not when marked,
-- so that a contact role committed in between is not missed.
CREATE TABLE attribution_stale (
  id bigserial PRIMARY KEY,
  opportunity_id uuid,
  order_id uuid,
  lead_id uuid,
  contact_id uuid,
  everything boolean NOT NULL DEFAULT false
);

-- Each unit of revenue (a won or ordered opportunity, an order without one) and each open
-- opportunity's amount is shared out under every model at once. attribution_units keeps each
-- unit's inputs (touches, anchors, amount, half-life), so that a recompute of one unit can share
-- it out again as it was and take that back from the totals; attribution_totals holds
-- the sums per campaign, date and measure that reads add up. c<i> are cents and w<i> shares of a
-- unit in units of 10^-10 (exact integers, so adding and taking back never drifts), both for the
-- i-th model of roi-core's ATTRIBUTION_MODELS. campaign_id null is unattributed revenue.
-- Derived data, recomputable at any time from the tables above: UNLOGGED spares a full
-- recompute the WAL. A crash empties them, and with them attribution_built, whose missing row
-- makes the next read recompute everything.
CREATE UNLOGGED TABLE attribution_units (
  unit_id uuid NOT NULL,
  measure text NOT NULL CHECK (measure IN ('revenue', 'pipeline')),
  credited_on date,
  won boolean NOT NULL,
  -- Opaque to SQL: written and read by the attribution service (attribution.credits.ts).
  inputs text NOT NULL,
  PRIMARY KEY (unit_id, measure)
);

-- Append-only: a recompute adds the difference it makes, and rows are folded together now and
-- then (attribution_built counts what was added since).
CREATE UNLOGGED TABLE attribution_totals (
  campaign_id uuid,
  measure text NOT NULL CHECK (measure IN ('revenue', 'pipeline')),
  credited_on date,
  won boolean NOT NULL,
  c1 bigint NOT NULL,
  c2 bigint NOT NULL,
  c3 bigint NOT NULL,
  c4 bigint NOT NULL,
  c5 bigint NOT NULL,
  c6 bigint NOT NULL,
  c7 bigint NOT NULL,
  c8 bigint NOT NULL,
  c9 bigint NOT NULL,
  c10 bigint NOT NULL,
  c11 bigint NOT NULL,
  w1 bigint NOT NULL,
  w2 bigint NOT NULL,
  w3 bigint NOT NULL,
  w4 bigint NOT NULL,
  w5 bigint NOT NULL,
  w6 bigint NOT NULL,
  w7 bigint NOT NULL,
  w8 bigint NOT NULL,
  w9 bigint NOT NULL,
  w10 bigint NOT NULL,
  w11 bigint NOT NULL
);
CREATE INDEX attribution_totals_campaign_idx ON attribution_totals (campaign_id);

CREATE UNLOGGED TABLE attribution_built (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  built_at timestamptz NOT NULL DEFAULT now(),
  -- attribution_totals rows left by the last full build or folding, and appended since.
  folded_rows integer NOT NULL DEFAULT 0,
  appended_rows integer NOT NULL DEFAULT 0
);

-- Statement-level triggers mark what a write made stale, so that no write path (services,
-- the demo loader, a restore, manual SQL) can forget it; one INSERT per statement.
CREATE FUNCTION attribution_mark_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO attribution_stale (opportunity_id, order_id)
    SELECT DISTINCT opportunity_id, CASE WHEN opportunity_id IS NULL THEN id END FROM new_rows;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO attribution_stale (opportunity_id, order_id)
    SELECT DISTINCT opportunity_id, CASE WHEN opportunity_id IS NULL THEN id END FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION attribution_mark_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO attribution_stale (lead_id, contact_id) SELECT DISTINCT lead_id, contact_id FROM new_rows;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO attribution_stale (lead_id, contact_id) SELECT DISTINCT lead_id, contact_id FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_attribution_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_orders();
CREATE TRIGGER orders_attribution_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_orders();
CREATE TRIGGER orders_attribution_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_orders();

CREATE FUNCTION attribution_mark_opportunity_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO attribution_stale (opportunity_id) SELECT DISTINCT id FROM new_rows;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO attribution_stale (opportunity_id) SELECT DISTINCT id FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER opportunities_attribution_insert AFTER INSERT ON opportunities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_opportunity_rows();
CREATE TRIGGER opportunities_attribution_update AFTER UPDATE ON opportunities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_opportunity_rows();
CREATE TRIGGER opportunities_attribution_delete AFTER DELETE ON opportunities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_opportunity_rows();

CREATE FUNCTION attribution_mark_contact_roles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO attribution_stale (opportunity_id) SELECT DISTINCT opportunity_id FROM new_rows;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO attribution_stale (opportunity_id) SELECT DISTINCT opportunity_id FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER contact_roles_attribution_insert AFTER INSERT ON opportunity_contact_roles
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_contact_roles();
CREATE TRIGGER contact_roles_attribution_update AFTER UPDATE ON opportunity_contact_roles
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_contact_roles();
CREATE TRIGGER contact_roles_attribution_delete AFTER DELETE ON opportunity_contact_roles
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_contact_roles();

CREATE TRIGGER touchpoints_attribution_insert AFTER INSERT ON touchpoints
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_people();
CREATE TRIGGER touchpoints_attribution_update AFTER UPDATE ON touchpoints
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_people();
CREATE TRIGGER touchpoints_attribution_delete AFTER DELETE ON touchpoints
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_mark_people();
