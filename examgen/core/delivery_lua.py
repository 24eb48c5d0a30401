"""The Lua sources of webhook deliveries: make due, claim, record (examgen.core.deliveries).

A delivery's member in keys.deliveries is scored by when a sender should look at it next; a claim
moves that time to the claim's end, so the score itself is the lease: a sender that dies leaves a
delivery that is due again once its claim runs out. Each claim gets a new fencing token, kept in
the delivery's hash; only its holder may record an attempt, so a sender stalled past its claim
cannot write over the one that replaced it. Times come from Redis' own clock (TIME).
"""

from __future__ import annotations

from examgen.core.lua import _PRELUDE

# KEYS: deliveries, the job's delivery hash.
# ARGV: job id.
# An end makes the delivery due now, unless it is claimed or was tried already: an end reported
# twice (a cancel, then the worker's release) must not start a second delivery beside the first.
# A claimed delivery's job has ended already (see CLAIM), so nothing is missed by leaving it.
DUE = (
    _PRELUDE
    + """
local due_key, delivery_key = KEYS[1], KEYS[2]
local job_id = ARGV[1]
if redis.call('HEXISTS', delivery_key, 'claim') == 1 then return 0 end
if tonumber(redis.call('HGET', delivery_key, 'tries') or '0') > 0 then return 0 end
local score = redis.call('ZSCORE', due_key, job_id)
local ms = now_ms()
if not score or tonumber(score) <= ms then return 0 end
redis.call('ZADD', due_key, ms, job_id)
return 1
"""
)

# KEYS: deliveries, fence counter, slot leases, jobs being recovered.
# ARGV: RQ's job hash prefix, delivery hash prefix, attempts list suffix, claim ms, recheck ms,
#       most entries looked at, the claimer's nonce.
# Looks at due deliveries, oldest first: one whose job is gone (expired, deleted, or refused over
# quota after the submission's MULTI wrote it) is dropped; one whose job has not ended is looked at
# again in `recheck ms` (the periodic check that catches an end nobody reported); the first whose
# job ended is claimed: {job id, token, tries so far}. False when none is.
# A job still leased or being recovered has not ended, whatever its status says: RQ's registry
# cleanup marks a job whose lease expired `failed` while examgen's recovery will requeue it, and
# sending that "failed" would spend the delivery on an end that never was; the re-run's real end
# is reported by its release (DUE) or found by the periodic check.
CLAIM = (
    _PRELUDE
    + """
local due_key, fence_key, leases_key, recovering_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local job_prefix, delivery_prefix, attempts_suffix = ARGV[1], ARGV[2], ARGV[3]
local claim_ms, recheck_ms, scan = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local nonce = ARGV[7]
local ended = {finished = true, failed = true, canceled = true, stopped = true}
local ms = now_ms()
for _, job_id in ipairs(redis.call('ZRANGEBYSCORE', due_key, '-inf', ms, 'LIMIT', 0, scan)) do
  local status = redis.call('HGET', job_prefix .. job_id, 'status')
  local delivery_key = delivery_prefix .. job_id
  if not status then
    redis.call('ZREM', due_key, job_id)
    redis.call('DEL', delivery_key, delivery_key .. attempts_suffix)
  elseif ended[status] and not redis.call('ZSCORE', leases_key, job_id)
      and not redis.call('ZSCORE', recovering_key, job_id) then
    local token = redis.call('INCR', fence_key) .. ':' .. nonce
    redis.call('ZADD', due_key, ms + claim_ms, job_id)
    redis.call('HSET', delivery_key, 'claim', token)
    return {job_id, token, tonumber(redis.call('HGET', delivery_key, 'tries') or '0')}
  else
    redis.call('ZADD', due_key, ms + recheck_ms, job_id)
  end
end
return false
"""
)

# KEYS: deliveries, the job's delivery hash, its attempts list, RQ's job hash, slot leases, jobs
#       being recovered.
# ARGV: job id, claim token, the attempt (JSON), retry in ms (negative: no retry), the final state
#       without a retry (delivered or failed), attempts kept, lifetime s, recheck ms.
# Records one attempt if the claim is still this one (the state it left), else nothing (0). The claim ends here:
# the delivery is due again at the retry time, or leaves keys.deliveries for good; but not while
# the job runs again (requeued during the attempt): that end is not its last, so the delivery
# stays pending for the periodic check, which sends the re-run's end.
RECORD = (
    _PRELUDE
    + """
local due_key, delivery_key, attempts_key = KEYS[1], KEYS[2], KEYS[3]
local job_key, leases_key, recovering_key = KEYS[4], KEYS[5], KEYS[6]
local job_id, token, attempt = ARGV[1], ARGV[2], ARGV[3]
local retry_ms, final, kept, ttl_s = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local recheck_ms = tonumber(ARGV[8])
if redis.call('HGET', delivery_key, 'claim') ~= token then return 0 end
local ended = {finished = true, failed = true, canceled = true, stopped = true}
local status = redis.call('HGET', job_key, 'status')
if retry_ms < 0 and status and (not ended[status] or redis.call('ZSCORE', leases_key, job_id)
    or redis.call('ZSCORE', recovering_key, job_id)) then
  retry_ms = recheck_ms
end
redis.call('RPUSH', attempts_key, attempt)
redis.call('LTRIM', attempts_key, -kept, -1)
redis.call('EXPIRE', attempts_key, ttl_s)
redis.call('HINCRBY', delivery_key, 'tries', 1)
redis.call('HDEL', delivery_key, 'claim')
if retry_ms >= 0 then
  local next_ms = now_ms() + retry_ms
  redis.call('ZADD', due_key, next_ms, job_id)
  redis.call('HSET', delivery_key, 'state', 'pending', 'next_ms', next_ms)
  final = 'pending'
else
  redis.call('ZREM', due_key, job_id)
  redis.call('HSET', delivery_key, 'state', final)
  redis.call('HDEL', delivery_key, 'next_ms')
end
redis.call('EXPIRE', delivery_key, ttl_s)
return final
"""
)
