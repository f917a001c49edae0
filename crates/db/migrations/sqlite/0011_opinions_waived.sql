-- The lead unit replies once the assisting units' opinions are in, unless
-- staff let it reply without them (issue 11): the reason they gave. NULL
-- while not allowed; who allowed it and when are in the item's log.
ALTER TABLE assignment ADD COLUMN opinions_waived TEXT;
