-- lpad() cuts to its length: from the millionth order on, 'SO-' || lpad(n, 6, '0') repeated
-- earlier numbers. Numbers now grow past six digits instead.
CREATE FUNCTION next_order_number() RETURNS text
LANGUAGE sql VOLATILE AS $$
  SELECT 'SO-' || lpad(n::text, greatest(6, length(n::text)), '0')
  FROM (SELECT nextval('order_number_seq') AS n) AS next
$$;

ALTER TABLE orders ALTER COLUMN number SET DEFAULT next_order_number();
