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

# Shared by NOTE_ENQUEUED and SUBMIT: the job joins its owner's list (the order the claim follows)
# and the ring, the marks and the history see the new level, a waiting worker is woken.
_ENQUEUED = """
local function note_enqueued(k, minutes, wakeup_len, job_id, owner, at_front)
  local ms = now_ms()
  if at_front then
    redis.call('LPUSH', k.owner_list, job_id)
  else
    redis.call('RPUSH', k.owner_list, job_id)
  end
  redis.call('HSET', k.waiting_owner, job_id, owner)
  join_ring(k.ring, k.passes, k.clock, owner)
  local queued = redis.call('LLEN', k.queue)
  local running = redis.call('ZCOUNT', k.leases, '(' .. ms, '+inf')
  raise_mark(k.stats, 'max_queue_size', queued, ms)
  note_levels(k.history, minutes, ms, queued, running)
  wake(k.wakeup, wakeup_len)
  return {queued, running}
end
"""

# The first ten KEYS of NOTE_ENQUEUED and SUBMIT, named at the top of both.
_ENQUEUED_KEYS = """
local queue_key, leases_key, stats_key, history_key, wakeup_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local owner_list_key, waiting_owner_key, ring_key, passes_key, clock_key = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local k = {queue = queue_key, leases = leases_key, stats = stats_key, history = history_key, wakeup = wakeup_key,
           owner_list = owner_list_key, waiting_owner = waiting_owner_key, ring = ring_key, passes = passes_key,
           clock = clock_key}
"""

# KEYS: queue, leases, stats, history, wakeup, the owner's waiting list, waiting owners, ring,
#       passes, clock.
# ARGV: history minutes, wakeup max length, job id, owner, at front ("1": a requeue, the owner's next).
# Runs inside the same MULTI as RQ's own enqueue commands, right after the push: the job joins
# RQ's list (every waiting job) and its owner's list (the order the claim follows) in one step.
NOTE_ENQUEUED = (
    _PRELUDE
    + _FAIR
    + _ENQUEUED
    + _ENQUEUED_KEYS
    + """
local minutes, wakeup_len = tonumber(ARGV[1]), tonumber(ARGV[2])
local job_id, owner, at_front = ARGV[3], ARGV[4], ARGV[5] == '1'
return note_enqueued(k, minutes, wakeup_len, job_id, owner, at_front)
"""
)

# KEYS: the ten of NOTE_ENQUEUED, then the job's upload, all jobs, the owner's jobs, the owner's
#       open jobs, the tokens by digest, the owners' weights, when each running job started, the
#       job's RQ hash, the jobs being recovered.
# ARGV: history minutes, wakeup max length, job id, owner, the owner's quota, created (ms), forget
#       listings before (ms), RQ's job key prefix, the submitting token's digest and the record the
#       web process holds for it ('' and '': no token to check), the owner list prefix and suffix,
#       the upload's lifetime (s; 0: no upload) and bytes, the number of ended statuses and each,
#       then RQ's own enqueue commands, each as its argument count and arguments.
# A whole submission in one script, with no MULTI around it: the token check, the quota check, then
# the upload, RQ's commands (captured from RQ's own enqueue, run here unchanged: they write the
# job's hash, `rq:queues` and RQ's list, and a callback's pending delivery), the indexes and the
# bookkeeping. Nothing is written unless both checks pass, and as one command it is sent as
# EVALSHA: a script missing after a restart fails before anything ran (inside a MULTI it would
# fail after the commands before it). The token is checked against the stored record itself, so
# a web process may skip its own lookup for a token it has seen (examgen.services.tokens): a token
# revoked or changed since writes nothing, at the moment of the write. Two submissions can no
# longer both pass a separate quota check at the same time.
# Returns {queued, running, the job's index in its owner's list, the ring: {owner, virtual time,
# weight, waiting} for each owner with waiting jobs, now (ms), when each running job started (ms)},
# {-1, open jobs} over quota, or {-2, 0} when the token's record is no longer the one sent.
SUBMIT = (
    _PRELUDE
    + _FAIR
    + _ENQUEUED
    + _ENQUEUED_KEYS
    + """
local upload_key, all_jobs_key, owner_jobs_key, open_key = KEYS[11], KEYS[12], KEYS[13], KEYS[14]
local tokens_key, weights_key, started_key, job_key = KEYS[15], KEYS[16], KEYS[17], KEYS[18]
local recovering_key = KEYS[19]
local minutes, wakeup_len, job_id, owner = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local limit, created_ms, forget_before_ms, job_prefix = tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[8]
local token_digest, token_record, list_prefix, list_suffix = ARGV[9], ARGV[10], ARGV[11], ARGV[12]
local upload_ttl_s, upload = tonumber(ARGV[13]), ARGV[14]
local ended_count = tonumber(ARGV[15])
local ended = {}
for i = 16, 15 + ended_count do
  ended[ARGV[i]] = true
end
local first_command = 16 + ended_count

-- {queued, running, the job's index in its owner's list, the ring, now, the running jobs' starts}.
local function answer(queued, running, index)
  -- With the ring as it stands now, the index gives the job's place in the order the claim
  -- follows (fair.ahead).
  local ring, rows = redis.call('ZRANGE', ring_key, 0, -1, 'WITHSCORES'), {}
  for j = 1, #ring, 2 do
    rows[#rows + 1] = {ring[j], ring[j + 1], redis.call('HGET', weights_key, ring[j]) or '1',
                       redis.call('LLEN', list_prefix .. ring[j] .. list_suffix)}
  end
  -- The running jobs' ages move with every second: read here, exactly (at most the cap of them).
  local ms = now_ms()
  local started = {}
  for j, id in ipairs(redis.call('ZRANGEBYSCORE', leases_key, '(' .. ms, '+inf')) do
    started[j] = redis.call('HGET', started_key, id) or tostring(ms)
  end
  return {queued, running, index, rows, ms, started}
end

-- A re-sent call whose first reply was lost (the web clients retry once): every submission has a
-- new job id, so its hash already there means this script wrote it. Answer, write nothing again.
if redis.call('EXISTS', job_key) == 1 then
  local now = now_ms()
  return answer(redis.call('LLEN', queue_key), redis.call('ZCOUNT', leases_key, '(' .. now, '+inf'),
                redis.call('LPOS', owner_list_key, job_id) or -1)
end
if token_digest ~= '' and redis.call('HGET', tokens_key, token_digest) ~= token_record then
  return {-2, 0}
end
-- The open set holds every unfinished job (and maybe ended ones not yet pruned): a size under the
-- limit proves the quota holds; only an owner at its limit pays for reading each job's status. A
-- job whose lease is live or whose recovery is under way is not ended, whatever its status says.
local open = redis.call('SCARD', open_key)
if open >= limit then
  for _, id in ipairs(redis.call('SMEMBERS', open_key)) do
    local status = redis.call('HGET', job_prefix .. id, 'status')
    local held = redis.call('ZSCORE', leases_key, id) or redis.call('ZSCORE', recovering_key, id)
    if not status or (ended[status] and not held) then
      redis.call('SREM', open_key, id)
      open = open - 1
    end
  end
  if open >= limit then
    return {-1, open}
  end
end
if upload_ttl_s > 0 then
  redis.call('SET', upload_key, upload, 'EX', upload_ttl_s)
end
local i = first_command
while i <= #ARGV do
  local argc = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + argc))
  i = i + argc + 1
end
-- The listings forget jobs RQ has forgotten: they would otherwise grow forever.
redis.call('ZADD', all_jobs_key, created_ms, job_id)
redis.call('ZREMRANGEBYSCORE', all_jobs_key, '-inf', forget_before_ms)
redis.call('ZADD', owner_jobs_key, created_ms, job_id)
redis.call('ZREMRANGEBYSCORE', owner_jobs_key, '-inf', forget_before_ms)
redis.call('SADD', open_key, job_id)
local levels = note_enqueued(k, minutes, wakeup_len, job_id, owner, false)
-- Pushed at the tail of its owner's list: its index there needs no scan (LPOS is O(list)).
return answer(levels[1], levels[2], redis.call('LLEN', owner_list_key) - 1)
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
