-- Radiant admission counters (owned by metering; run by metering and, as metering's library, by the router).
--
-- KEYS[1] is the tenant's base key "radiant:adm:{<tenant>}": every key below starts with it, so one tenant's counters
-- share a hash slot and one script call sees them atomically. The clock is Redis's own (TIME), so every replica
-- counts on the same time line.
--
-- ARGV[1] names the operation:
--   admit  id ttl_ms tokens cost n scope * n  -> check every limit, consume all or nothing
--   settle id tokens cost n scope * n         -> replace a reservation by the real usage, add spend
--   status n scope * n                        -> what is used / held / left, and when it frees
-- Limits per scope, in this order (0 = none): requests per minute, per hour (sliding logs), tokens per minute, per day
-- (sliding-window counters in 1/60 steps), concurrent requests, daily and monthly budget (pico-USD, decimal strings).
-- Money is only ever added in Redis (HINCRBY of the caller's decimal strings), never computed in Lua, so spend is exact.

local base = KEYS[1]
local op = ARGV[1]

local RPM, RPH, TPM, TPD, CONC, BD, BM = 1, 2, 3, 4, 5, 6, 7
local SUFFIX = {'rpm', 'rph', 'tpm', 'tpd', 'conc'}
local LOG_WINDOW = {[RPM] = 60000, [RPH] = 3600000}
local BUCKET = {[TPM] = 1000, [TPD] = 1440000}
local NB = 60
local GRACE = 3600000  -- a reservation record outlives its expiry this long, so a late settlement still finds it
local KEEP_PERIOD = 2 * 86400000
local THRESHOLDS = {50, 80, 100}

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- UTC calendar periods (H. Hinnant's days <-> civil date algorithms).
local function civil(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m
end

local function first_day(y, m)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doy = math.floor((153 * mp + 2) / 5)
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end

local function day_end(day)
  return (day + 1) * 86400000
end

local function month_end(month_id)
  local y, m = math.floor(month_id / 100), month_id % 100 + 1
  if m > 12 then y, m = y + 1, 1 end
  return first_day(y, m) * 86400000
end

local today = math.floor(now / 86400000)
local this_year, this_month = civil(today)
local this_month_id = this_year * 100 + this_month

local function budget_key(prefix, d, period)
  return prefix .. (d == BD and ':bd:' or ':bm:') .. period
end

local function period_end(d, period)
  return d == BD and day_end(period) or month_end(period)
end

local function hash(key)
  local flat = redis.call('HGETALL', key)
  local out = {}
  for i = 1, #flat, 2 do out[flat[i]] = flat[i + 1] end
  return out
end

-- A scope is one argument: its seven limits and its key prefix, separated by spaces (the prefix last: it may hold any
-- character an id may).
local function scopes_from(pos, n)
  local scopes = {}
  for i = 1, n do
    local arg = ARGV[pos + i - 1]
    local s, from = {lim = {}}, 1
    for d = 1, 7 do
      local sep = string.find(arg, ' ', from, true)
      s.lim[d] = string.sub(arg, from, sep - 1)
      from = sep + 1
    end
    s.prefix = string.sub(arg, from)
    scopes[i] = s
  end
  return scopes
end

-- Sliding log: members are reservation ids scored by admission time; counted while score > now - window.
local function log_count(key, w)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - w)
  return redis.call('ZCARD', key)
end

local function log_entry_leaves(key, w, index)
  local e = redis.call('ZRANGE', key, index, index, 'WITHSCORES')
  if #e == 0 then return w end
  return tonumber(e[2]) + w - now
end

-- Sliding-window counter: bucket j (time / b) is counted while j >= now/b - NB, i.e. until (j + NB + 1) * b. The
-- counted span is never shorter than the window, so the window never holds more than the limit.
local function buckets(key, b)
  local cur = math.floor(now / b)
  local flat = redis.call('HGETALL', key)
  local list, sum, oldest = {}, 0, nil
  for i = 1, #flat, 2 do
    local j = tonumber(flat[i])
    if j < cur - NB then
      redis.call('HDEL', key, flat[i])
    else
      local v = tonumber(flat[i + 1])
      sum = sum + v
      if v > 0 then
        list[#list + 1] = {j, v}
        if oldest == nil or j < oldest then oldest = j end
      end
    end
  end
  return sum, list, cur, oldest
end

local function bucket_leaves(j, b)
  return (j + NB + 1) * b - now
end

-- ms until `need` tokens have left the window
local function bucket_wait(list, b, need)
  table.sort(list, function(a, c) return a[1] < c[1] end)
  local freed = 0
  for _, e in ipairs(list) do
    freed = freed + e[2]
    if freed >= need then return bucket_leaves(e[1], b) end
  end
  return NB * b
end

local function has(dims, d)
  for _, x in ipairs(dims) do if x == d then return true end end
  return false
end

-- Give back what a held reservation still holds (tokens, its concurrency slot, budget held), once.
local function release_held(rec, rid)
  for _, item in ipairs(cjson.decode(rec.k)) do
    local prefix, dims = item[1], item[2]
    for _, d in ipairs(dims) do
      if d == TPM or d == TPD then
        local key, field = prefix .. ':' .. SUFFIX[d], (d == TPM and rec.tm or rec.td)
        if rec.n ~= '0' and redis.call('HEXISTS', key, field) == 1 then
          redis.call('HINCRBY', key, field, -tonumber(rec.n))
        end
      elseif d == CONC then
        redis.call('ZREM', prefix .. ':conc', rid)
      elseif rec.c ~= '0' then
        redis.call('HINCRBY', budget_key(prefix, d, d == BD and rec.d or rec.m), 'held', '-' .. rec.c)
      end
    end
  end
end

local function expire_reservations()
  local pending = base .. ':pending'
  local ids = redis.call('ZRANGEBYSCORE', pending, '-inf', now, 'LIMIT', 0, 100)
  for _, rid in ipairs(ids) do
    local rkey = base .. ':r:' .. rid
    local rec = hash(rkey)
    if rec.s == 'h' then
      release_held(rec, rid)
      redis.call('HSET', rkey, 's', 'e')
    end
    redis.call('ZREM', pending, rid)
  end
end

-- The tightest limit for the headers: least remaining, then the smaller limit. Its reset is a function, computed
-- only for the one that is reported.
local function tighter(cur, lim, remaining, reset, i, d)
  if cur == nil or remaining < cur[2] or (remaining == cur[2] and lim < cur[1]) then
    return {lim, remaining, reset, i, d}
  end
  return cur
end

local function pack(x)
  if x == nil then return {'', '', '', '', ''} end
  return {tostring(x[1]), tostring(math.max(x[2], 0)), tostring(math.max(math.ceil(x[3]()), 0)), tostring(x[4]),
          tostring(x[5])}
end

if op == 'admit' then
  local id, ttl, tokens, cost = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
  local costn = tonumber(cost)
  local scopes = scopes_from(7, tonumber(ARGV[6]))
  expire_reservations()

  local deny, req, tok = nil, nil, nil
  -- kind 1: rate limit (wait), 2: budget (until the period ends), 3: the request alone exceeds the limit
  local function consider(kind, i, d, wait, lim, used)
    local better = deny == nil
    if not better then
      if kind == 3 then better = deny[1] ~= 3 elseif deny[1] ~= 3 then better = wait > deny[4] end
    end
    if better then deny = {kind, i, d, wait, lim, used} end
  end

  local cur_bucket = {}
  for i, s in ipairs(scopes) do
    for d = RPM, RPH do
      local lim = tonumber(s.lim[d])
      if lim > 0 then
        local key, w = s.prefix .. ':' .. SUFFIX[d], LOG_WINDOW[d]
        local count = log_count(key, w)
        if count + 1 > lim then
          consider(1, i, d, log_entry_leaves(key, w, count - lim), lim, count)
        end
        local reset = function() return count > 0 and log_entry_leaves(key, w, 0) or w end
        req = tighter(req, lim, lim - count - 1, reset, i, d)
      end
    end
    for d = TPM, TPD do
      local lim = tonumber(s.lim[d])
      if lim > 0 then
        local key, b = s.prefix .. ':' .. SUFFIX[d], BUCKET[d]
        local sum, list, cur, oldest = buckets(key, b)
        cur_bucket[d] = cur
        if tokens > lim then
          consider(3, i, d, 0, lim, sum)
        elseif sum + tokens > lim then
          consider(1, i, d, bucket_wait(list, b, sum + tokens - lim), lim, sum)
        end
        local reset = function() return bucket_leaves(oldest or cur, b) end
        tok = tighter(tok, lim, lim - sum - tokens, reset, i, d)
      end
    end
    local lim = tonumber(s.lim[CONC])
    if lim > 0 then
      local key = s.prefix .. ':conc'
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
      local count = redis.call('ZCARD', key)
      if count + 1 > lim then consider(1, i, CONC, 1000, lim, count) end
    end
    for d = BD, BM do
      lim = tonumber(s.lim[d])
      if lim > 0 then
        local period = d == BD and today or this_month_id
        local v = redis.call('HMGET', budget_key(s.prefix, d, period), 'spent', 'held')
        local used = (tonumber(v[1]) or 0) + (tonumber(v[2]) or 0)
        if costn > lim then
          consider(3, i, d, 0, lim, used)
        elseif used + costn > lim then
          consider(2, i, d, period_end(d, period) - now, lim, used)
        end
      end
    end
  end

  local out
  if deny ~= nil then
    local hit = 0
    if deny[1] == 2 then
      local d = deny[3]
      hit = redis.call('HSETNX', budget_key(scopes[deny[2]].prefix, d, d == BD and today or this_month_id), 't100', '1')
    end
    out = {'0', tostring(deny[1]), tostring(deny[2]), tostring(deny[3]), tostring(math.max(math.ceil(deny[4]), 1)),
           scopes[deny[2]].lim[deny[3]], tostring(deny[6]), tostring(hit)}
    if req ~= nil then req[2] = req[2] + 1 end  -- nothing was consumed
    if tok ~= nil then tok[2] = tok[2] + tokens end
  else
    local items, held = {}, false
    for i, s in ipairs(scopes) do
      local dims = {}
      for d = RPM, RPH do
        if tonumber(s.lim[d]) > 0 then
          local key = s.prefix .. ':' .. SUFFIX[d]
          redis.call('ZADD', key, now, id)
          redis.call('PEXPIRE', key, LOG_WINDOW[d])
        end
      end
      for d = TPM, TPD do
        if tonumber(s.lim[d]) > 0 then
          local key = s.prefix .. ':' .. SUFFIX[d]
          redis.call('HINCRBY', key, cur_bucket[d], tokens)
          redis.call('PEXPIRE', key, (NB + 2) * BUCKET[d])
          dims[#dims + 1] = d
        end
      end
      if tonumber(s.lim[CONC]) > 0 then
        local key = s.prefix .. ':conc'
        redis.call('ZADD', key, now + ttl, id)
        redis.call('PEXPIRE', key, ttl)
        dims[#dims + 1] = CONC
      end
      for d = BD, BM do
        if tonumber(s.lim[d]) > 0 then
          local period = d == BD and today or this_month_id
          local key = budget_key(s.prefix, d, period)
          if costn > 0 then redis.call('HINCRBY', key, 'held', cost) end
          redis.call('PEXPIREAT', key, period_end(d, period) + KEEP_PERIOD)
          dims[#dims + 1] = d
        end
      end
      if #dims > 0 then held = true end
      items[i] = {s.prefix, dims, s.lim[BD], s.lim[BM]}
    end
    if held then
      local rkey = base .. ':r:' .. id
      redis.call('HSET', rkey, 's', 'h', 'n', tostring(tokens), 'c', cost, 'tm', tostring(cur_bucket[TPM] or 0),
                 'td', tostring(cur_bucket[TPD] or 0), 'd', tostring(today), 'm', tostring(this_month_id),
                 'k', cjson.encode(items))
      redis.call('PEXPIRE', rkey, ttl + GRACE)
      redis.call('ZADD', base .. ':pending', now + ttl, id)
    end
    out = {'1', held and '1' or '0', '', '', '', '', '', '0'}
  end
  for _, v in ipairs(pack(req)) do out[#out + 1] = v end
  for _, v in ipairs(pack(tok)) do out[#out + 1] = v end
  out[#out + 1] = tostring(now)
  return out

elseif op == 'settle' then
  local id, tokens, cost = ARGV[2], tonumber(ARGV[3]), ARGV[4]
  expire_reservations()
  local rkey = base .. ':r:' .. id
  local rec = hash(rkey)
  local items, day, month, state
  if rec.s ~= nil then
    state = rec.s
    items, day, month = cjson.decode(rec.k), tonumber(rec.d), tonumber(rec.m)
    for _, item in ipairs(items) do
      local prefix, dims = item[1], item[2]
      for _, d in ipairs(dims) do
        if d == TPM or d == TPD then
          local key, field = prefix .. ':' .. SUFFIX[d], (d == TPM and rec.tm or rec.td)
          -- an expired reservation gave its tokens back already; a bucket that left the window is not revived
          local delta = state == 'h' and tokens - tonumber(rec.n) or tokens
          if delta ~= 0 and redis.call('HEXISTS', key, field) == 1 then redis.call('HINCRBY', key, field, delta) end
        elseif state == 'h' then
          if d == CONC then
            redis.call('ZREM', prefix .. ':conc', id)
          elseif rec.c ~= '0' then
            redis.call('HINCRBY', budget_key(prefix, d, d == BD and day or month), 'held', '-' .. rec.c)
          end
        end
      end
    end
    redis.call('ZREM', base .. ':pending', id)
    redis.call('DEL', rkey)
  else
    state = 'n'
    items, day, month = {}, today, this_month_id
    for i, s in ipairs(scopes_from(6, tonumber(ARGV[5]))) do items[i] = {s.prefix, {}, '0', '0'} end
  end
  local out = {state}
  if cost ~= '0' then
    for _, item in ipairs(items) do
      for d = BD, BM do
        local period = d == BD and day or month
        local key = budget_key(item[1], d, period)
        local spent = redis.call('HINCRBY', key, 'spent', cost)
        redis.call('PEXPIREAT', key, period_end(d, period) + KEEP_PERIOD)
        local cap = tonumber(item[d == BD and 3 or 4]) or 0
        if cap > 0 then
          for _, pct in ipairs(THRESHOLDS) do
            if tonumber(spent) * 100 >= cap * pct and redis.call('HSETNX', key, 't' .. pct, '1') == 1 then
              for _, v in ipairs({item[1], tostring(d), tostring(pct), tostring(period), tostring(spent),
                                  item[d == BD and 3 or 4]}) do
                out[#out + 1] = v
              end
            end
          end
        end
      end
    end
  end
  return out

elseif op == 'status' then
  local scopes = scopes_from(3, tonumber(ARGV[2]))
  expire_reservations()
  local out = {tostring(now), tostring(day_end(today)), tostring(month_end(this_month_id))}
  local function row(i, d, used, held, reset)
    for _, v in ipairs({tostring(i), tostring(d), used, held, tostring(math.max(math.ceil(reset), 0))}) do
      out[#out + 1] = v
    end
  end
  for i, s in ipairs(scopes) do
    for d = RPM, RPH do
      if tonumber(s.lim[d]) > 0 then
        local key, w = s.prefix .. ':' .. SUFFIX[d], LOG_WINDOW[d]
        local count = log_count(key, w)
        row(i, d, tostring(count), '0', count > 0 and log_entry_leaves(key, w, 0) or 0)
      end
    end
    for d = TPM, TPD do
      if tonumber(s.lim[d]) > 0 then
        local sum, _, _, oldest = buckets(s.prefix .. ':' .. SUFFIX[d], BUCKET[d])
        row(i, d, tostring(sum), '0', oldest and bucket_leaves(oldest, BUCKET[d]) or 0)
      end
    end
    if tonumber(s.lim[CONC]) > 0 then
      local key = s.prefix .. ':conc'
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
      row(i, CONC, tostring(redis.call('ZCARD', key)), '0', 0)
    end
    for d = BD, BM do
      if tonumber(s.lim[d]) > 0 then
        local period = d == BD and today or this_month_id
        local v = redis.call('HMGET', budget_key(s.prefix, d, period), 'spent', 'held')
        row(i, d, v[1] or '0', v[2] or '0', period_end(d, period) - now)
      end
    end
  end
  return out
end
return redis.error_reply('unknown admission operation')
