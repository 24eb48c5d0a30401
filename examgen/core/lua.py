"""The Lua sources of every script that changes a count together with its statistics.

Each script runs atomically inside Redis, so a count and its high-water mark can never disagree
and a burst between two polls is never missed. Times come from Redis' own clock (TIME), so hosts
with skewed clocks still agree on when a lease expires.
"""

from __future__ import annotations

_PRELUDE = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function history_slot(hkey, minutes, ms)
  local minute = math.floor(ms / 60000)
  local slot = minute % minutes
  if tonumber(redis.call('HGET', hkey, slot .. ':t') or '-1') ~= minute then
    redis.call('HSET', hkey, slot .. ':t', minute, slot .. ':q', 0, slot .. ':ql', 0,
               slot .. ':p', 0, slot .. ':pl', 0, slot .. ':f', 0, slot .. ':x', 0)
  end
  return slot
end

-- The per-minute ring keeps both the peak within the minute and the last level, so a quiet
-- minute can be drawn from the level its predecessor ended at.
local function note_levels(hkey, minutes, ms, queued, running)
  local slot = history_slot(hkey, minutes, ms)
  if queued > tonumber(redis.call('HGET', hkey, slot .. ':q')) then
    redis.call('HSET', hkey, slot .. ':q', queued)
  end
  if running > tonumber(redis.call('HGET', hkey, slot .. ':p')) then
    redis.call('HSET', hkey, slot .. ':p', running)
  end
  redis.call('HSET', hkey, slot .. ':ql', queued, slot .. ':pl', running)
  return slot
end

local function raise_mark(skey, field, value, ms)
  if value > tonumber(redis.call('HGET', skey, field) or '0') then
    redis.call('HSET', skey, field, value, field .. '_at', ms)
  end
end

local function wake(wkey, max_len)
  redis.call('RPUSH', wkey, 1)
  redis.call('LTRIM', wkey, -max_len, -1)
end
"""

# KEYS: queue, leases, stats, history, wakeup. ARGV: history minutes, wakeup max length.
# Runs inside the same MULTI as RQ's own enqueue commands, right after the push.
NOTE_ENQUEUED = (
    _PRELUDE
    + """
local ms = now_ms()
local queued = redis.call('LLEN', KEYS[1])
local running = redis.call('ZCOUNT', KEYS[2], '(' .. ms, '+inf')
raise_mark(KEYS[3], 'max_queue_size', queued, ms)
note_levels(KEYS[4], tonumber(ARGV[1]), ms, queued, running)
wake(KEYS[5], tonumber(ARGV[2]))
return {queued, running}
"""
)

# KEYS: queue, leases, lease_started, stats, history, lease tokens, fence counter, recovering.
# ARGV: cap, lease ms, history minutes, the claimer's nonce.
# Takes a slot and the oldest waiting job in one step: a job is always counted either as
# waiting or as processing, never as both or neither. Every claim gets a new fencing token: only
# its holder may renew, release or hand back this claim, however late a stale holder wakes up.
# The token is the counter and the claimer's random nonce: should Redis lose its last writes (a
# crash before the AOF fsync, a failover to a lagging replica) and count the same number again,
# the token still differs. A second queue entry of a job that holds a lease or is being
# recovered is dropped, never run beside it.
# A lease is live while its expiry is after now (`> ms`), in every script.
CLAIM = (
    _PRELUDE
    + """
local queue_key, leases_key, started_key = KEYS[1], KEYS[2], KEYS[3]
local stats_key, history_key, tokens_key, fence_key = KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local recovering_key = KEYS[8]
local cap, lease_ms, minutes, nonce = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local ms = now_ms()
local running = redis.call('ZCOUNT', leases_key, '(' .. ms, '+inf')
if running >= cap then
  return {0, redis.call('LLEN', queue_key), running}
end
local job_id = redis.call('LPOP', queue_key)
while job_id and (redis.call('ZSCORE', leases_key, job_id) or redis.call('ZSCORE', recovering_key, job_id)) do
  job_id = redis.call('LPOP', queue_key)
end
if not job_id then
  return {0, 0, running}
end
local token = redis.call('INCR', fence_key) .. ':' .. nonce
redis.call('ZADD', leases_key, ms + lease_ms, job_id)
redis.call('HSET', started_key, job_id, ms)
redis.call('HSET', tokens_key, job_id, token)
running = running + 1
raise_mark(stats_key, 'max_processing', running, ms)
local queued = redis.call('LLEN', queue_key)
note_levels(history_key, minutes, ms, queued, running)
return {1, queued, running, job_id, token}
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
#       lease tokens.
# ARGV: job id, history minutes, EWMA weight, force ("1": leave leases alone and count the end
#       of a job whose lease the caller already reaped), wakeup max length, the caller's token,
#       the duration the caller measured for a forced end (ms, -1 unknown), bucket bounds (ms)...
#       A token other than the claim's frees nothing and counts nothing.
RELEASE = (
    _PRELUDE
    + """
local leases_key, started_key, stats_key, history_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local job_key, queue_key, wakeup_key, durations_key, tokens_key = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local job_id, minutes, weight = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local force, wakeup_len, token = ARGV[4] == '1', tonumber(ARGV[5]), ARGV[6]
local measured_ms = tonumber(ARGV[7])
local ms = now_ms()
local held = 0
local started = false
if not force and redis.call('HGET', tokens_key, job_id) == token then
  held = redis.call('ZREM', leases_key, job_id)
  started = redis.call('HGET', started_key, job_id)
  redis.call('HDEL', started_key, job_id)
  redis.call('HDEL', tokens_key, job_id)
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
    -- first bound it fits under; ARGV[8..] are the bounds in ms): /metrics adds them up into
    -- Prometheus' cumulative buckets at scrape time.
    local sample = math.max(duration, 0)
    redis.call('HINCRBY', durations_key, 'count', 1)
    redis.call('HINCRBY', durations_key, 'sum_ms', sample)
    for i = 8, #ARGV do
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

# KEYS: leases, lease_started, lease tokens, recovering, fence counter.
# ARGV: most jobs to take, recovery ms, recovery token prefix, the reaper's nonce.
# Takes over every expired lease (expiry at or before now) and every recovery left unfinished
# past its time, parking each under a new recovery token. Returns job id, token, job id, token...
# Nothing is deleted before the recovery's own transaction: a reaper that dies, or whose reply is
# lost, leaves the job parked, and the next reap after recovery ms takes it over.
REAP = (
    _PRELUDE
    + _PARK
    + """
local leases_key, started_key, tokens_key, recovering_key, fence_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local limit, recovery_ms, token_prefix, nonce = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local ms = now_ms()
local taken = {}
local expired = redis.call('ZRANGEBYSCORE', leases_key, '-inf', ms, 'LIMIT', 0, limit)
for _, id in ipairs(expired) do
  redis.call('ZREM', leases_key, id)
  redis.call('HDEL', started_key, id)
  redis.call('HDEL', tokens_key, id)
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

# KEYS: leases, lease_started, lease tokens, recovering, fence counter.
# ARGV: job id, the claim's token, recovery ms, recovery token prefix, nonce.
# A worker whose work-horse died hands its claim over to recovery: the lease goes (its slot is
# free at once) and the job is parked under a recovery token, returned; '' when the token no
# longer holds the claim (the reaper took it over).
HAND_BACK = (
    _PRELUDE
    + _PARK
    + """
local leases_key, started_key, tokens_key, recovering_key, fence_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local job_id, token, recovery_ms, token_prefix, nonce = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
if redis.call('HGET', tokens_key, job_id) ~= token or redis.call('ZREM', leases_key, job_id) == 0 then
  return ''
end
redis.call('HDEL', started_key, job_id)
redis.call('HDEL', tokens_key, job_id)
return park(recovering_key, fence_key, token_prefix, job_id, now_ms(), recovery_ms, nonce)
"""
)

# KEYS: stats, queue, leases, lease_started, pools, pool sizes, tokens by digest.
# ARGV: RQ's job key prefix, a token digest ('' for none). Everything /queue/status shows, and
# who is asking, in one round trip.
READ_STATUS = (
    _PRELUDE
    + """
local ms = now_ms()
local running = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. ms, '+inf')
local started = {}
for i, id in ipairs(running) do
  started[i] = redis.call('HGET', KEYS[4], id) or tostring(ms)
end
local oldest = redis.call('LINDEX', KEYS[2], 0)
local oldest_enqueued = false
if oldest then
  oldest_enqueued = redis.call('HGET', ARGV[1] .. oldest, 'enqueued_at')
end
local pools = redis.call('ZRANGEBYSCORE', KEYS[5], '(' .. ms, '+inf')
local workers = 0
for _, name in ipairs(pools) do
  workers = workers + tonumber(redis.call('HGET', KEYS[6], name) or '0')
end
local caller = ''
if ARGV[2] ~= '' then
  caller = redis.call('HGET', KEYS[7], ARGV[2]) or ''
end
return {ms, redis.call('HGETALL', KEYS[1]), redis.call('LLEN', KEYS[2]), started,
        oldest_enqueued or '', #pools, workers, caller}
"""
)

# KEYS: stats, queue, leases, duration histogram. Marks restart from the levels of this moment,
# so a mark is never below the count it watches; the histogram restarts with the totals, so its
# count stays equal to total_processed.
RESET = (
    _PRELUDE
    + """
local ms = now_ms()
local queued = redis.call('LLEN', KEYS[2])
local running = redis.call('ZCOUNT', KEYS[3], '(' .. ms, '+inf')
redis.call('HDEL', KEYS[1], 'avg_job_ms')
redis.call('DEL', KEYS[4])
redis.call('HSET', KEYS[1], 'max_queue_size', queued, 'max_queue_size_at', ms,
           'max_processing', running, 'max_processing_at', ms,
           'total_processed', 0, 'total_failed', 0, 'reset_at', ms)
return ms
"""
)
