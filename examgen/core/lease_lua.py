"""The Lua sources of the lease semaphore: claim, renew, holds, release, reap, hand-back.

Each runs atomically inside Redis, so a slot and a job are always taken together and a count and
its high-water mark never disagree. Times come from Redis' own clock (TIME), so hosts with skewed
clocks still agree on when a lease expires. The shared helpers are lua._PRELUDE and lua._FAIR.
"""

from __future__ import annotations

from examgen.core.lua import _FAIR, _PRELUDE

# KEYS: queue, leases, lease_started, stats, history, lease tokens, fence counter, ring, passes,
#       clock, weights, waiting owners, running per owner, lease owners, recovering.
# ARGV: cap, lease ms, history minutes, owner list prefix, owner list suffix, most running per
#       owner (0: no limit), stride of weight 1, the name of no owner, the claimer's nonce.
# Takes a slot and the next job in one step: a job is always counted either as waiting or as
# processing, never as both or neither. Every claim gets a new fencing token: only its holder may
# renew, release or hand back this claim, however late a stale holder wakes up. A lease is live
# while its expiry is after now (`> ms`), in every script.
# Which job: the owner with the lowest virtual time whose running jobs are under the limit (ties
# by name), its oldest job; the owner's virtual time then grows by stride / weight, so over a long
# run owners get slots in the ratio of their weights and a newcomer's first job is next. RQ's
# list stays the list of every waiting job: the job is removed from it here (LREM, which stops at
# the job: the oldest jobs are near its head). An id in an owner's list that RQ's list no longer
# holds (deleted or emptied through rq-dashboard) is dropped on the way. Jobs that are only in
# RQ's list (requeued by rq-dashboard, queued before fair shares) are taken FIFO when no owner
# waits, and handed to the owner "-" by every pool's reaper (fair.adopt) in the meantime.
# The token is the counter and the claimer's random nonce: should Redis lose its last writes (a
# crash before the AOF fsync, a failover to a lagging replica) and count the same number again,
# the token still differs. A queue entry of a job that holds a lease or is being recovered (a
# second entry) is dropped, never run beside it.
CLAIM = (
    _PRELUDE
    + """
local queue_key, leases_key, started_key = KEYS[1], KEYS[2], KEYS[3]
local stats_key, history_key, tokens_key, fence_key = KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local ring_key, passes_key, clock_key, weights_key = KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local waiting_owner_key, running_key, lease_owner_key = KEYS[12], KEYS[13], KEYS[14]
local cap, lease_ms, minutes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local list_prefix, list_suffix = ARGV[4], ARGV[5]
local per_owner, stride, no_owner = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
local recovering_key, nonce = KEYS[15], ARGV[9]
local function held(id)
  return redis.call('ZSCORE', leases_key, id) or redis.call('ZSCORE', recovering_key, id)
end
local ms = now_ms()
local running = redis.call('ZCOUNT', leases_key, '(' .. ms, '+inf')
if running >= cap then
  return {0, redis.call('LLEN', queue_key), running}
end
local job_id, owner = false, false
local ring = redis.call('ZRANGE', ring_key, 0, -1, 'WITHSCORES')
for i = 1, #ring, 2 do
  local candidate, pass = ring[i], tonumber(ring[i + 1])
  if per_owner <= 0 or tonumber(redis.call('HGET', running_key, candidate) or '0') < per_owner then
    local list_key = list_prefix .. candidate .. list_suffix
    while true do
      local id = redis.call('LPOP', list_key)
      if not id then break end
      redis.call('HDEL', waiting_owner_key, id)
      if redis.call('LREM', queue_key, 1, id) == 1 and not held(id) then
        job_id = id
        break
      end
    end
    local weight = tonumber(redis.call('HGET', weights_key, candidate) or '1')
    local next_pass = pass
    if job_id then
      redis.call('SET', clock_key, tostring(pass))
      next_pass = pass + stride / math.max(weight, 1)
    end
    if redis.call('LLEN', list_key) > 0 then
      redis.call('ZADD', ring_key, next_pass, candidate)
    else
      redis.call('ZREM', ring_key, candidate)
      redis.call('HSET', passes_key, candidate, tostring(next_pass))
    end
    if job_id then
      owner = candidate
      break
    end
  end
end
if not job_id and redis.call('ZCARD', ring_key) == 0 then
  -- No owner waits: whatever RQ's list still holds was never sorted to an owner; FIFO.
  job_id = redis.call('LPOP', queue_key)
  while job_id and held(job_id) do
    job_id = redis.call('LPOP', queue_key)
  end
  owner = no_owner
  if job_id then redis.call('HDEL', waiting_owner_key, job_id) end
end
if not job_id then
  return {0, redis.call('LLEN', queue_key), running}
end
local token = redis.call('INCR', fence_key) .. ':' .. nonce
redis.call('ZADD', leases_key, ms + lease_ms, job_id)
redis.call('HSET', started_key, job_id, ms)
redis.call('HSET', tokens_key, job_id, token)
redis.call('HSET', lease_owner_key, job_id, owner)
redis.call('HINCRBY', running_key, owner, 1)
running = running + 1
raise_mark(stats_key, 'max_processing', running, ms)
local queued = redis.call('LLEN', queue_key)
note_levels(history_key, minutes, ms, queued, running)
return {1, queued, running, job_id, token, owner}
"""
)

# KEYS: leases, lease tokens. ARGV: job id, token, lease ms. An expired lease is never revived:
# its slot may already be someone else's, so the holder must stop instead. A stale holder's token
# no longer matches, so it cannot extend its successor's claim.
RENEW = (
    _PRELUDE
    + """
local leases_key, tokens_key = KEYS[1], KEYS[2]
local job_id, token, lease_ms = ARGV[1], ARGV[2], tonumber(ARGV[3])
local ms = now_ms()
if redis.call('HGET', tokens_key, job_id) ~= token then
  return 0
end
local expiry = redis.call('ZSCORE', leases_key, job_id)
if not expiry or tonumber(expiry) <= ms then
  return 0
end
redis.call('ZADD', leases_key, 'XX', ms + lease_ms, job_id)
return 1
"""
)

# KEYS: leases, lease tokens. ARGV: job id, token. Whether this token still holds a live lease.
HOLDS = (
    _PRELUDE
    + """
local leases_key, tokens_key = KEYS[1], KEYS[2]
local job_id, token = ARGV[1], ARGV[2]
if redis.call('HGET', tokens_key, job_id) ~= token then
  return 0
end
local expiry = redis.call('ZSCORE', leases_key, job_id)
if not expiry or tonumber(expiry) <= now_ms() then
  return 0
end
return 1
"""
)

# KEYS: leases, lease_started, stats, history, job hash, queue, wakeup, duration histogram,
#       lease tokens, running per owner, lease owners, recent ends.
# ARGV: job id, history minutes, EWMA weight, force ("1": leave leases alone and count the end
#       of a job whose lease the caller already reaped), wakeup max length, the caller's token,
#       the duration the caller measured for a forced end (ms, -1 unknown), recent-ends window (ms),
#       most recent ends kept, bucket bounds (ms)...
#       A token other than the claim's frees nothing and counts nothing. Each end while jobs wait
#       is noted with the time since the previous one: the completion rate the estimate uses.
RELEASE = (
    _PRELUDE
    + _FAIR
    + """
local leases_key, started_key, stats_key, history_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local job_key, queue_key, wakeup_key, durations_key, tokens_key = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local running_key, lease_owner_key, ends_key = KEYS[10], KEYS[11], KEYS[12]
local job_id, minutes, weight = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local force, wakeup_len, token = ARGV[4] == '1', tonumber(ARGV[5]), ARGV[6]
local measured_ms = tonumber(ARGV[7])
local ends_window_ms, ends_max = tonumber(ARGV[8]), tonumber(ARGV[9])
local ms = now_ms()
local held = 0
local started = false
if not force and redis.call('HGET', tokens_key, job_id) == token then
  held = redis.call('ZREM', leases_key, job_id)
  started = redis.call('HGET', started_key, job_id)
  redis.call('HDEL', started_key, job_id)
  redis.call('HDEL', tokens_key, job_id)
  give_back_running(running_key, lease_owner_key, job_id)
end
local queued = redis.call('LLEN', queue_key)
local running = redis.call('ZCOUNT', leases_key, '(' .. ms, '+inf')
if held == 0 and not force then
  return {0, '', queued, running, -1}
end
local status = redis.call('HGET', job_key, 'status') or ''
local duration = -1
local slot = note_levels(history_key, minutes, ms, queued, running)
if status == 'finished' or status == 'failed' then
  redis.call('HINCRBY', stats_key, 'total_processed', 1)
  if held == 1 then
    -- What the deployment delivers: the time between two ends while jobs kept waiting (every
    -- slot busy in between, whatever slows the jobs down). Ends after a quiet spell measure the
    -- arrivals, not the deployment, and are not sampled.
    local last_ms = tonumber(redis.call('HGET', stats_key, 'last_end_ms') or '-1')
    if last_ms >= 0 and redis.call('HGET', stats_key, 'last_end_busy') == '1' then
      redis.call('ZADD', ends_key, ms, job_id .. ':' .. (ms - last_ms))
      redis.call('ZREMRANGEBYSCORE', ends_key, '-inf', ms - ends_window_ms)
      redis.call('ZREMRANGEBYRANK', ends_key, 0, -(ends_max + 1))
    end
    redis.call('HSET', stats_key, 'last_end_ms', ms, 'last_end_busy', queued > 0 and '1' or '0')
  end
  if status == 'failed' then
    redis.call('HINCRBY', stats_key, 'total_failed', 1)
    redis.call('HINCRBY', history_key, slot .. ':x', 1)
  else
    redis.call('HINCRBY', history_key, slot .. ':f', 1)
  end
  if started and held == 1 then
    duration = ms - tonumber(started)
      local avg = tonumber(redis.call('HGET', stats_key, 'avg_job_ms') or '-1')
      if avg < 0 then avg = duration else avg = avg + weight * (duration - avg) end
      redis.call('HSET', stats_key, 'avg_job_ms', tostring(avg))
    elseif measured_ms >= 0 then
      duration = measured_ms
    end
    -- Every end counted in total_processed is also one histogram sample (0 s when its start is
    -- unknown), so the histogram's count and the counter always agree. One bucket per job (the
    -- first bound it fits under; ARGV[10..] are the bounds in ms): /metrics adds them up into
    -- Prometheus' cumulative buckets at scrape time.
    local sample = math.max(duration, 0)
    redis.call('HINCRBY', durations_key, 'count', 1)
    redis.call('HINCRBY', durations_key, 'sum_ms', sample)
    for i = 10, #ARGV do
      if sample <= tonumber(ARGV[i]) then
        redis.call('HINCRBY', durations_key, 'in_' .. ARGV[i], 1)
        break
    end
  end
end
if held == 1 then
  wake(wakeup_key, wakeup_len)
end
return {held, status, queued, running, duration}
"""
)

# Parks a job for recovery under a new recovery token (RECOVERY_TOKEN_PREFIX + job id), to be
# taken over after recovery_ms unless the recovery's own transaction ends it first.
_PARK = """
local function park(recovering_key, fence_key, token_prefix, id, ms, recovery_ms, nonce)
  local token = redis.call('INCR', fence_key) .. ':' .. nonce
  redis.call('ZADD', recovering_key, ms + recovery_ms, id)
  redis.call('SET', token_prefix .. id, token, 'PX', 2 * recovery_ms)
  return token
end
"""

# KEYS: leases, lease_started, lease tokens, recovering, fence counter, running per owner, lease owners.
# ARGV: most jobs to take, recovery ms, recovery token prefix, the reaper's nonce.
# Takes over every expired lease (expiry at or before now) and every recovery left unfinished
# past its time, parking each under a new recovery token. Returns job id, token, job id, token...
# Nothing is deleted before the recovery's own transaction: a reaper that dies, or whose reply is
# lost, leaves the job parked, and the next reap after recovery ms takes it over.
REAP = (
    _PRELUDE
    + _FAIR
    + _PARK
    + """
local leases_key, started_key, tokens_key, recovering_key, fence_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local running_key, lease_owner_key = KEYS[6], KEYS[7]
local limit, recovery_ms, token_prefix, nonce = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local ms = now_ms()
local taken = {}
local expired = redis.call('ZRANGEBYSCORE', leases_key, '-inf', ms, 'LIMIT', 0, limit)
for _, id in ipairs(expired) do
  redis.call('ZREM', leases_key, id)
  redis.call('HDEL', started_key, id)
  redis.call('HDEL', tokens_key, id)
  give_back_running(running_key, lease_owner_key, id)
  taken[#taken + 1] = id
end
local unfinished = redis.call('ZRANGEBYSCORE', recovering_key, '-inf', ms, 'LIMIT', 0, limit)
for _, id in ipairs(unfinished) do
  taken[#taken + 1] = id
end
local out = {}
for _, id in ipairs(taken) do
  out[#out + 1] = id
  out[#out + 1] = park(recovering_key, fence_key, token_prefix, id, ms, recovery_ms, nonce)
end
return out
"""
)

# KEYS: leases, lease_started, lease tokens, recovering, fence counter, running per owner, lease owners.
# ARGV: job id, the claim's token, recovery ms, recovery token prefix, nonce.
# A worker whose work-horse died hands its claim over to recovery: the lease goes (its slot is
# free at once) and the job is parked under a recovery token, returned; '' when the token no
# longer holds the claim (the reaper took it over).
HAND_BACK = (
    _PRELUDE
    + _FAIR
    + _PARK
    + """
local leases_key, started_key, tokens_key, recovering_key, fence_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local running_key, lease_owner_key = KEYS[6], KEYS[7]
local job_id, token, recovery_ms, token_prefix, nonce = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
if redis.call('HGET', tokens_key, job_id) ~= token or redis.call('ZREM', leases_key, job_id) == 0 then
  return ''
end
redis.call('HDEL', started_key, job_id)
redis.call('HDEL', tokens_key, job_id)
give_back_running(running_key, lease_owner_key, job_id)
return park(recovering_key, fence_key, token_prefix, job_id, now_ms(), recovery_ms, nonce)
"""
)
