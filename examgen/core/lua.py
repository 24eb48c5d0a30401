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
local stats_key, queue_key, leases_key, durations_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ms = now_ms()
local queued = redis.call('LLEN', queue_key)
local running = redis.call('ZCOUNT', leases_key, '(' .. ms, '+inf')
redis.call('HDEL', stats_key, 'avg_job_ms')
redis.call('DEL', durations_key)
redis.call('HSET', stats_key, 'max_queue_size', queued, 'max_queue_size_at', ms,
           'max_processing', running, 'max_processing_at', ms,
           'total_processed', 0, 'total_failed', 0, 'reset_at', ms)
return ms
"""
)
