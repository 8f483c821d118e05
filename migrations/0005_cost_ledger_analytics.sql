-- The cost ledger: dated spend per campaign. campaigns.actual_cost stays as the ledger's sum,
-- kept by a trigger so that every write path (the API, the demo loader, a restore, manual SQL)
-- keeps it right, and every read of a campaign's ROI stays a single-row read.
CREATE TABLE campaign_costs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns (id),
  spent_on date NOT NULL,
  category text NOT NULL CHECK (category IN ('media', 'venue', 'material', 'staff', 'agency', 'other')),
  amount numeric(18,2) NOT NULL CHECK (amount > 0),
  note text,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_costs_campaign_idx ON campaign_costs (campaign_id, spent_on) INCLUDE (amount, category);
CREATE INDEX campaign_costs_spent_on_idx ON campaign_costs (spent_on) INCLUDE (campaign_id, amount, category);

-- Spend entered before the ledger becomes one entry per campaign, dated when the campaign began.
INSERT INTO campaign_costs (campaign_id, spent_on, category, amount, note)
SELECT id, coalesce(start_date, created_at::date), 'other', actual_cost, '期初支出（启用费用明细前录入）/ Spend entered before the cost ledger'
FROM campaigns
WHERE actual_cost > 0;

CREATE FUNCTION campaign_costs_sum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE campaigns SET actual_cost = actual_cost - OLD.amount WHERE id = OLD.campaign_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE campaigns SET actual_cost = actual_cost + NEW.amount WHERE id = NEW.campaign_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER campaign_costs_sum AFTER INSERT OR UPDATE OF campaign_id, amount OR DELETE ON campaign_costs
FOR EACH ROW EXECUTE FUNCTION campaign_costs_sum();

-- A lead's first response: its first status change, set by the database so that every path
-- that changes a status (edit, conversion, bulk work) records it.
ALTER TABLE leads ADD COLUMN first_response_at timestamptz;

UPDATE leads l
SET first_response_at = coalesce(
  (SELECT min(a.occurred_at) FROM audit_log a
   WHERE a.entity = 'lead' AND a.entity_id = l.id::text AND a.action IN ('update', 'convert')
     AND a.changes ? 'status'),
  l.converted_at, l.updated_at)
WHERE l.status <> 'new';

CREATE FUNCTION leads_first_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND OLD.first_response_at IS NULL THEN
    NEW.first_response_at := now();
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER leads_first_response BEFORE UPDATE OF status ON leads
FOR EACH ROW EXECUTE FUNCTION leads_first_response();

-- Analytics read leads, opportunities and orders by date and campaign.
CREATE INDEX leads_created_idx ON leads (created_at) INCLUDE (campaign_id, status, owner_id, converted_opportunity_id, first_response_at);
CREATE INDEX opportunities_created_idx ON opportunities (created_at) INCLUDE (campaign_id, stage, owner_id);
CREATE INDEX opportunities_closed_idx ON opportunities (closed_at) INCLUDE (campaign_id, stage, owner_id, account_id, amount)
  WHERE stage IN ('won', 'lost');
CREATE INDEX orders_date_idx ON orders (order_date) INCLUDE (campaign_id, amount, account_id, owner_id) WHERE status = 'confirmed';

-- Long-term ROI follows each customer won: for every account won in the last 365 days, the
-- confirmed orders dated from the win to the end of the horizon. One index-only range scan per
-- account instead of fetching every order of the account from the heap.
CREATE INDEX orders_account_date_idx ON orders (account_id, order_date) INCLUDE (amount) WHERE status = 'confirmed';

-- Revenue under an attribution model sums the credited revenue of the period's days; without
-- this every request reads all of attribution_totals, which grows with campaigns × days.
CREATE INDEX attribution_totals_revenue_day_idx ON attribution_totals (credited_on) WHERE measure = 'revenue';

-- The funnel follows the leads created in a period to their opportunity and asks whether it was
-- won: one index-only lookup here per converted lead, rather than a heap visit by primary key.
-- Opportunities change rarely, so the extra write is cheap.
CREATE INDEX opportunities_won_idx ON opportunities (id) WHERE stage = 'won';
