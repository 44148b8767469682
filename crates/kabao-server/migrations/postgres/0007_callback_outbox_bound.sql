-- The callback outbox is bounded per merchant: enqueueing counts the
-- merchant's pending callbacks, which this index finds without walking the
-- merchant's delivered ones.
CREATE INDEX v3_callbacks_pending_by_caller ON v3_callbacks (caller_mchid) WHERE status = 'pending';
