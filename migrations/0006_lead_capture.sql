-- Lead capture (forms, imports, events, tracking codes) finds people again by email, phone or
-- company + name. The keys are generated columns over immutable functions, so that every write
-- path (the API, an import, manual SQL) keeps them, and each lookup is an index probe.

-- Lower-cased, trimmed; empty is no key.
CREATE FUNCTION crm_email_key(email text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(lower(btrim(email)), '');

-- Digits only, without China's country code on a mobile number (+86 138 0013 8000, 0086-13800138000
-- and 13800138000 are one phone); fewer than five digits is no key.
CREATE FUNCTION crm_phone_key(phone text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
  SELECT CASE
    WHEN length(d) < 5 THEN NULL
    WHEN d ~ '^(0086|86)1[0-9]{10}$' THEN right(d, 11)
    ELSE d
  END
  FROM (SELECT regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') AS d) digits
);

-- Company and name together, case and surrounding space ignored; both are needed.
CREATE FUNCTION crm_company_name_key(company text, name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN nullif(btrim(company), '') IS NULL OR nullif(btrim(name), '') IS NULL THEN NULL
  ELSE lower(btrim(company)) || chr(31) || lower(btrim(name))
END;

ALTER TABLE leads
  ADD COLUMN email_key text GENERATED ALWAYS AS (crm_email_key(email)) STORED,
  ADD COLUMN phone_key text GENERATED ALWAYS AS (crm_phone_key(phone)) STORED,
  ADD COLUMN company_name_key text GENERATED ALWAYS AS (crm_company_name_key(company, name)) STORED,
  -- Where the lead came from when it was first captured: kept as it arrived, never overwritten.
  ADD COLUMN utm_source text,
  ADD COLUMN utm_medium text,
  ADD COLUMN utm_campaign text,
  ADD COLUMN utm_term text,
  ADD COLUMN utm_content text,
  ADD COLUMN referrer text,
  -- The coupon, promo code or hotline the lead came with, as given.
  ADD COLUMN tracking_code text;
CREATE INDEX leads_email_key_idx ON leads (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX leads_phone_key_idx ON leads (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX leads_company_name_key_idx ON leads (company_name_key) WHERE company_name_key IS NOT NULL;

ALTER TABLE contacts
  ADD COLUMN email_key text GENERATED ALWAYS AS (crm_email_key(email)) STORED,
  ADD COLUMN phone_key text GENERATED ALWAYS AS (crm_phone_key(phone)) STORED;
CREATE INDEX contacts_email_key_idx ON contacts (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX contacts_phone_key_idx ON contacts (phone_key) WHERE phone_key IS NOT NULL;

ALTER TABLE orders ADD COLUMN tracking_code text;

-- A member now has a touchpoint for each step a person takes (a form sent, a registration, a
-- check-in), not only for its first response. The first response stays unique per member; the
-- other steps are kept unique by their external id.
DROP INDEX touchpoints_member_key;
CREATE UNIQUE INDEX touchpoints_member_response_key ON touchpoints (member_id) WHERE type = 'campaign_member';
CREATE INDEX touchpoints_member_idx ON touchpoints (member_id) WHERE member_id IS NOT NULL;

-- Coupon and promo codes and hotline numbers, each pointing at one campaign. A code is matched
-- case-insensitively; a hotline by its digits, so that "400-800-1234" and "4008001234" are one.
CREATE TABLE campaign_tracking_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('coupon', 'promo', 'hotline')),
  code text NOT NULL CHECK (length(btrim(code)) > 0 AND length(code) <= 100),
  match_key text GENERATED ALWAYS AS (
    CASE WHEN kind = 'hotline' THEN crm_phone_key(code) ELSE upper(btrim(code)) END
  ) STORED,
  note text,
  active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT campaign_tracking_codes_match_key_check CHECK (match_key IS NOT NULL)
);
CREATE UNIQUE INDEX campaign_tracking_codes_match_key ON campaign_tracking_codes (match_key);
CREATE INDEX campaign_tracking_codes_campaign_idx ON campaign_tracking_codes (campaign_id);
