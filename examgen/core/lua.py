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

# Shared by enqueue and claim: an owner joins the ring at the virtual time of the last claim, or
# later if it left the ring with a later one (leaving and coming back never earns an earlier turn).
_FAIR = """
local function join_ring(ring_key, passes_key, clock_key, owner)
  if redis.call('ZSCORE', ring_key, owner) then
    return
  end
  local clock = tonumber(redis.call('GET', clock_key) or '0')
  local pass = tonumber(redis.call('HGET', passes_key, owner) or '0')
  redis.call('ZADD', ring_key, math.max(clock, pass), owner)
  redis.call('HDEL', passes_key, owner)
end

local function give_back_running(running_key, lease_owner_key, job_id)
  local owner = redis.call('HGET', lease_owner_key, job_id)
  if owner and redis.call('HDEL', lease_owner_key, job_id) == 1 then
    if redis.call('HINCRBY', running_key, owner, -1) <= 0 then
      redis.call('HDEL', running_key, owner)
    end
  end
end
"""

# KEYS: queue, leases, stats, history, wakeup, the owner's waiting list, waiting owners, ring,
#       passes, clock.
# ARGV: history minutes, wakeup max length, job id, owner, at front ("1": a requeue, the owner's next).
# Runs inside the same MULTI as RQ's own enqueue commands, right after the push: the job joins
# RQ's list (every waiting job) and its owner's list (the order the claim follows) in one step.
NOTE_ENQUEUED = (
    _PRELUDE
    + _FAIR
    + """
local queue_key, leases_key, stats_key, history_key, wakeup_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local owner_list_key, waiting_owner_key, ring_key, passes_key, clock_key = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local minutes, wakeup_len = tonumber(ARGV[1]), tonumber(ARGV[2])
local job_id, owner, at_front = ARGV[3], ARGV[4], ARGV[5] == '1'
local ms = now_ms()
if at_front then
  redis.call('LPUSH', owner_list_key, job_id)
else
  redis.call('RPUSH', owner_list_key, job_id)
end
redis.call('HSET', waiting_owner_key, job_id, owner)
join_ring(ring_key, passes_key, clock_key, owner)
local queued = redis.call('LLEN', queue_key)
local running = redis.call('ZCOUNT', leases_key, '(' .. ms, '+inf')
raise_mark(stats_key, 'max_queue_size', queued, ms)
note_levels(history_key, minutes, ms, queued, running)
wake(wakeup_key, wakeup_len)
return {queued, running}
"""
)

# KEYS: queue, leases, lease_started, stats, history, lease tokens, fence counter, ring, passes,
#       clock, weights, waiting owners, running per owner, lease owners.
# ARGV: cap, lease ms, history minutes, owner list prefix, owner list suffix, most running per
#       owner (0: no limit), stride of weight 1, the name of no owner.
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
CLAIM = (
    _PRELUDE
    + """
local queue_key, leases_key, started_key = KEYS[1], KEYS[2], KEYS[3]
local stats_key, history_key, tokens_key, fence_key = KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local ring_key, passes_key, clock_key, weights_key = KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local waiting_owner_key, running_key, lease_owner_key = KEYS[12], KEYS[13], KEYS[14]
local cap, lease_ms, minutes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local list_prefix, list_suffix = ARGV[4], ARGV[5]
local per_owner, stride = tonumber(ARGV[6]), tonumber(ARGV[7])
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
      if redis.call('LREM', queue_key, 1, id) == 1 then
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
  owner = ARGV[8]
  if job_id then redis.call('HDEL', waiting_owner_key, job_id) end
end
if not job_id then
  return {0, redis.call('LLEN', queue_key), running}
end
local token = redis.call('INCR', fence_key)
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

# KEYS: leases, lease_started, lease tokens, running per owner, lease owners. ARGV: most leases
# to reap. Removes expired leases (expiry at or before now) with their tokens and their owners'
# running counts, and returns their job ids; only the caller that removed a lease acts on its job.
REAP = (
    _PRELUDE
    + _FAIR
    + """
local leases_key, started_key, tokens_key, running_key, lease_owner_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local ms = now_ms()
local ids = redis.call('ZRANGEBYSCORE', leases_key, '-inf', ms, 'LIMIT', 0, tonumber(ARGV[1]))
for _, id in ipairs(ids) do
  redis.call('ZREM', leases_key, id)
  redis.call('HDEL', started_key, id)
  redis.call('HDEL', tokens_key, id)
  give_back_running(running_key, lease_owner_key, id)
end
return ids
"""
)

# KEYS: stats, queue, leases, lease_started, pools, pool sizes, tokens by digest, ring, clock,
#       recent ends.
# ARGV: RQ's job key prefix, a token digest ('' for none), the recent-ends window (ms).
# Everything /queue/status shows, and who is asking, in one round trip. Besides: the owners whose
# turn comes before a newcomer's first job (virtual time at the clock: no ring score is below it),
# and the sampled gaps between recent ends (count and sum, ms).
READ_STATUS = (
    _PRELUDE
    + """
local stats_key, queue_key, leases_key, started_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local pools_key, pool_sizes_key, tokens_key = KEYS[5], KEYS[6], KEYS[7]
local ring_key, clock_key, ends_key = KEYS[8], KEYS[9], KEYS[10]
local job_prefix, token_digest, ends_window_ms = ARGV[1], ARGV[2], tonumber(ARGV[3])
local ms = now_ms()
local running = redis.call('ZRANGEBYSCORE', leases_key, '(' .. ms, '+inf')
local started = {}
for i, id in ipairs(running) do
  started[i] = redis.call('HGET', started_key, id) or tostring(ms)
end
local oldest = redis.call('LINDEX', queue_key, 0)
local oldest_enqueued = false
if oldest then
  oldest_enqueued = redis.call('HGET', job_prefix .. oldest, 'enqueued_at')
end
local pools = redis.call('ZRANGEBYSCORE', pools_key, '(' .. ms, '+inf')
local workers = 0
for _, name in ipairs(pools) do
  workers = workers + tonumber(redis.call('HGET', pool_sizes_key, name) or '0')
end
local caller = ''
if token_digest ~= '' then
  caller = redis.call('HGET', tokens_key, token_digest) or ''
end
local ahead_of_newcomer = -1
if redis.call('ZCARD', ring_key) > 0 then
  ahead_of_newcomer = redis.call('ZCOUNT', ring_key, '-inf', redis.call('GET', clock_key) or '0')
end
local gaps, gap_sum = 0, 0
for _, member in ipairs(redis.call('ZRANGEBYSCORE', ends_key, ms - ends_window_ms, '+inf')) do
  gaps = gaps + 1
  gap_sum = gap_sum + tonumber(string.match(member, ':(%d+)$'))
end
return {ms, redis.call('HGETALL', stats_key), redis.call('LLEN', queue_key), started,
        oldest_enqueued or '', #pools, workers, caller, ahead_of_newcomer, gaps, gap_sum}
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
