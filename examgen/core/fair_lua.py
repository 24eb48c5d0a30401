"""The Lua sources of the fair-share bookkeeping beside the claim (examgen.core.fair).

The claim itself (which owner's turn, slot and job together) is lease_lua.CLAIM; these scripts keep the
owners' lists consistent with RQ's list and read them.
"""

from __future__ import annotations

# KEYS: queue, waiting owners, ring, passes. ARGV: job id, owner list prefix, suffix.
# Takes a job out of its owner's list after the caller removed it from RQ's list (a cancel); the
# owner leaves the ring once it has nothing left, keeping its virtual time.
FORGET = """
local queue_key, waiting_owner_key, ring_key, passes_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local job_id, list_prefix, list_suffix = ARGV[1], ARGV[2], ARGV[3]
local owner = redis.call('HGET', waiting_owner_key, job_id)
if not owner then
  return 0
end
redis.call('HDEL', waiting_owner_key, job_id)
local list_key = list_prefix .. owner .. list_suffix
redis.call('LREM', list_key, 1, job_id)
if redis.call('LLEN', list_key) == 0 then
  local pass = redis.call('ZSCORE', ring_key, owner)
  if pass then
    redis.call('ZREM', ring_key, owner)
    redis.call('HSET', passes_key, owner, pass)
  end
end
return 1
"""

# KEYS: queue, waiting owners, ring, passes, clock, the no-owner list. ARGV: no-owner name, most
# ids to look at. Jobs in RQ's list that no owner's list holds (requeued through rq-dashboard,
# queued before fair shares) go to the no-owner list, so the claim gives them turns like any owner.
ADOPT = """
local queue_key, waiting_owner_key, ring_key, passes_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local clock_key, no_owner_list = KEYS[5], KEYS[6]
local no_owner, most = ARGV[1], tonumber(ARGV[2])
if redis.call('LLEN', queue_key) <= redis.call('HLEN', waiting_owner_key) then
  return 0
end
local adopted = 0
for _, id in ipairs(redis.call('LRANGE', queue_key, 0, most - 1)) do
  if redis.call('HEXISTS', waiting_owner_key, id) == 0 then
    redis.call('RPUSH', no_owner_list, id)
    redis.call('HSET', waiting_owner_key, id, no_owner)
    adopted = adopted + 1
  end
end
if adopted > 0 and not redis.call('ZSCORE', ring_key, no_owner) then
  local clock = tonumber(redis.call('GET', clock_key) or '0')
  local pass = tonumber(redis.call('HGET', passes_key, no_owner) or '0')
  redis.call('ZADD', ring_key, math.max(clock, pass), no_owner)
  redis.call('HDEL', passes_key, no_owner)
end
return adopted
"""

# KEYS: ring, weights, running per owner, waiting owners. ARGV: owner list prefix, suffix, RQ's
# job key prefix. Every owner with waiting or running jobs: name, virtual time ('' when not
# waiting), weight, waiting, running, enqueued_at of its oldest waiting job ('' when none).
OWNERS = """
local ring_key, weights_key, running_key = KEYS[1], KEYS[2], KEYS[3]
local list_prefix, list_suffix, job_prefix = ARGV[1], ARGV[2], ARGV[3]
local rows, seen = {}, {}
local function row(owner, pass)
  seen[owner] = true
  local list_key = list_prefix .. owner .. list_suffix
  local oldest = redis.call('LINDEX', list_key, 0)
  local enqueued = ''
  if oldest then
    enqueued = redis.call('HGET', job_prefix .. oldest, 'enqueued_at') or ''
  end
  rows[#rows + 1] = {owner, pass, redis.call('HGET', weights_key, owner) or '1', redis.call('LLEN', list_key),
                     tonumber(redis.call('HGET', running_key, owner) or '0'), enqueued}
end
local ring = redis.call('ZRANGE', ring_key, 0, -1, 'WITHSCORES')
for i = 1, #ring, 2 do
  row(ring[i], ring[i + 1])
end
local running = redis.call('HGETALL', running_key)
for i = 1, #running, 2 do
  if not seen[running[i]] then
    row(running[i], '')
  end
end
return rows
"""

# KEYS: waiting owners. ARGV: owner list prefix, suffix, job ids... For each job: its owner and
# its index in the owner's list, or {'', -1} when no owner's list holds it.
PLACES = """
local waiting_owner_key = KEYS[1]
local list_prefix, list_suffix = ARGV[1], ARGV[2]
local out = {}
for i = 3, #ARGV do
  local owner = redis.call('HGET', waiting_owner_key, ARGV[i])
  local index = false
  if owner then
    index = redis.call('LPOS', list_prefix .. owner .. list_suffix, ARGV[i])
  end
  if index then
    out[#out + 1] = {owner, index}
  else
    out[#out + 1] = {'', -1}
  end
end
return out
"""
