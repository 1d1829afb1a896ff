-- Who holds an outbox row's lease ("<host>:<pid>:<process start>"), so a bot that starts while
-- an operator's `innspill outbox send` is still sending leaves that row alone; a row leased
-- before owners were recorded has none, and its sender is long gone.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
