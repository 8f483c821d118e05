-- The ROI chain: accounts and contacts, campaigns, leads, opportunities, orders, and the
-- per-campaign revenue roll-up kept in slotted counters.

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  industry text,
  size text,
  region text,
  website text,
  phone text,
  address text,
  owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_owner_idx ON accounts (owner_id);
CREATE INDEX accounts_name_idx ON accounts (lower(name));

CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  email text,
  phone text,
  title text,
  owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_account_idx ON contacts (account_id);
CREATE INDEX contacts_email_idx ON contacts (lower(email));

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  code text NOT NULL,
  type text NOT NULL CHECK (type IN ('paid_search', 'trade_show', 'conference', 'traditional_ad', 'promotion',
                                     'webinar', 'email', 'content', 'social', 'other')),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
  start_date date,
  end_date date,
  budget numeric(18,2) NOT NULL DEFAULT 0 CHECK (budget >= 0),
  actual_cost numeric(18,2) NOT NULL DEFAULT 0 CHECK (actual_cost >= 0),
  expected_revenue numeric(18,2) NOT NULL DEFAULT 0 CHECK (expected_revenue >= 0),
  description text,
  parent_id uuid REFERENCES campaigns (id) ON DELETE SET NULL,
  owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT campaigns_dates_check CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE UNIQUE INDEX campaigns_code_key ON campaigns (lower(code));
CREATE INDEX campaigns_parent_idx ON campaigns (parent_id);
CREATE INDEX campaigns_owner_idx ON campaigns (owner_id);

CREATE TABLE leads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  company text,
  email text,
  phone text,
  title text,
  industry text,
  region text,
  campaign_id uuid REFERENCES campaigns (id) ON DELETE SET NULL,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'disqualified', 'converted')),
  disqualified_reason text,
  owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
  converted_at timestamptz,
  converted_account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  converted_contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
  converted_opportunity_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT leads_disqualified_reason_check CHECK (status <> 'disqualified' OR disqualified_reason IS NOT NULL)
);
CREATE INDEX leads_campaign_idx ON leads (campaign_id, status);
CREATE INDEX leads_owner_idx ON leads (owner_id);
CREATE INDEX leads_email_idx ON leads (lower(email));

CREATE TABLE opportunities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
  lead_id uuid REFERENCES leads (id) ON DELETE SET NULL,
  campaign_id uuid REFERENCES campaigns (id) ON DELETE SET NULL,
  amount numeric(18,2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
  stage text NOT NULL DEFAULT 'prospecting'
    CHECK (stage IN ('prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost')),
  probability smallint NOT NULL CHECK (probability BETWEEN 0 AND 100),
  expected_close_date date,
  closed_at timestamptz,
  lost_reason text,
  owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX opportunities_campaign_idx ON opportunities (campaign_id, stage);
CREATE INDEX opportunities_account_idx ON opportunities (account_id);
CREATE INDEX opportunities_lead_idx ON opportunities (lead_id);
CREATE INDEX opportunities_owner_idx ON opportunities (owner_id);
ALTER TABLE leads ADD CONSTRAINT leads_converted_opportunity_fkey
  FOREIGN KEY (converted_opportunity_id) REFERENCES opportunities (id) ON DELETE SET NULL;

CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL DEFAULT ('SO-' || lpad(nextval('order_number_seq')::text, 6, '0')),
  account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  opportunity_id uuid REFERENCES opportunities (id) ON DELETE SET NULL,
  campaign_id uuid REFERENCES campaigns (id) ON DELETE SET NULL,
  amount numeric(18,2) NOT NULL CHECK (amount >= 0),
  order_date date NOT NULL DEFAULT current_date,
  status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
  cancelled_at timestamptz,
  owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX orders_number_key ON orders (number);
CREATE INDEX orders_campaign_idx ON orders (campaign_id) INCLUDE (amount, status);
CREATE INDEX orders_opportunity_idx ON orders (opportunity_id);
CREATE INDEX orders_account_idx ON orders (account_id);

-- Actual revenue per campaign as slotted counters: a write adds its delta to one of N slots
-- picked by its connection, so concurrent orders on one hot campaign do not queue on a single
-- row lock; a read sums a campaign's slots, which is exact.
CREATE TABLE campaign_rollup_slots (
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  slot smallint NOT NULL,
  revenue numeric(18,2) NOT NULL DEFAULT 0,
  order_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, slot)
);
