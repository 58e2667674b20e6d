import { createHash } from 'node:crypto';

/**
 * The store's Lua scripts: one per StateStore method, so each runs atomically in Redis. The
 * breaker scripts are line-for-line ports of `admitBreaker` and `recordOutcome` in @reg/core's
 * `state/breaker.ts`; the differential test holds them to the in-memory store's answers.
 *
 * Numbers cross as strings: the caller's in ARGV (JavaScript's shortest round-trip form), the
 * computed ones formatted with `%.17g`, so every double comes back exactly as it was.
 */
export interface RedisScript {
  readonly name: string;
  readonly lua: string;
  /** SHA-1 of `lua`, the name EVALSHA knows it by. */
  readonly sha: string;
}

const PRELUDE = `
local function number(value) return string.format('%.17g', value) end
-- ttl 0: the key lives until deleted.
local function expire(key, ttl)
  if tonumber(ttl) > 0 then redis.call('PEXPIRE', key, ttl) else redis.call('PERSIST', key) end
end
`;

/** KEYS[1] counter. ARGV: idle TTL. Returns the value before the increment. */
const INCREMENT = `
local value = redis.call('INCR', KEYS[1])
expire(KEYS[1], ARGV[1])
return value - 1
`;

/** KEYS[1] bucket. ARGV: amount, capacity, idle TTL. A missing bucket is full. */
const TAKE = `
local amount = tonumber(ARGV[1])
local stored = redis.call('GET', KEYS[1])
local tokens = tonumber(ARGV[2])
if stored then tokens = tonumber(stored) end
if tokens < amount then return 0 end
redis.call('SET', KEYS[1], number(tokens - amount))
expire(KEYS[1], ARGV[3])
return 1
`;

/** KEYS[1] bucket. ARGV: amount, capacity, idle TTL. A missing (full) bucket stays missing. */
const GIVE = `
local stored = redis.call('GET', KEYS[1])
if not stored then return 0 end
redis.call('SET', KEYS[1], number(math.min(tonumber(ARGV[2]), tonumber(stored) + tonumber(ARGV[1]))))
expire(KEYS[1], ARGV[3])
return 1
`;

/** KEYS[1] cooldown. ARGV: until (ms), TTL (0: none, for a deadline that never comes). Keeps the later deadline. */
const COOL_DOWN = `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
expire(KEYS[1], ARGV[2])
return 1
`;

/**
 * KEYS[1] breaker hash, KEYS[2..] cooldowns in the caller's order.
 * ARGV: now, cooldownMs, halfOpenProbes, breaker TTL.
 * Returns {'admitted', probe 0|1} | {'cooldown', index into the cooldowns, until} | {'open', until}.
 */
const ADMIT = `
local now = tonumber(ARGV[1])
for index = 2, #KEYS do
  local untilMs = redis.call('GET', KEYS[index])
  if untilMs then
    if now < tonumber(untilMs) then return {'cooldown', index - 2, untilMs} end
    redis.call('DEL', KEYS[index])
  end
end
local fields = redis.call('HMGET', KEYS[1], 'state', 'openUntil', 'probes', 'probesUntil')
local state = fields[1]
if not state or state == 'closed' then return {'admitted', 0} end
local probes = tonumber(fields[3])
local probesUntil = tonumber(fields[4])
if state == 'open' then
  if now < tonumber(fields[2]) then return {'open', fields[2]} end
  state = 'half_open'
  probes = 0
end
if probes > 0 and now >= probesUntil then probes = 0 end
local answer
if probes >= tonumber(ARGV[3]) then
  answer = {'open', number(probesUntil)}
else
  probes = probes + 1
  probesUntil = now + tonumber(ARGV[2])
  answer = {'admitted', 1}
end
redis.call('HSET', KEYS[1], 'state', state, 'probes', number(probes), 'probesUntil', number(probesUntil))
expire(KEYS[1], ARGV[4])
return answer
`;

/**
 * KEYS[1] breaker hash.
 * ARGV: outcome, probe 0|1, now, failureThreshold, failureRate, minimumCalls, windowMs, cooldownMs, breaker TTL.
 * Returns {} (no change) or {from, to}.
 */
const RECORD = `
local outcome = ARGV[1]
local probe = ARGV[2] == '1'
local now = tonumber(ARGV[3])
local failureThreshold = tonumber(ARGV[4])
local failureRate = tonumber(ARGV[5])
local minimumCalls = tonumber(ARGV[6])
local windowMs = tonumber(ARGV[7])
local cooldownMs = tonumber(ARGV[8])

local function closed()
  return { state = 'closed', consecutive = 0, windowStart = now, calls = 0, failures = 0, openUntil = 0, probes = 0, probesUntil = 0 }
end
local function opened()
  local record = closed()
  record.state = 'open'
  record.openUntil = now + cooldownMs
  return record
end
local function save(record)
  redis.call('HSET', KEYS[1], 'state', record.state, 'consecutive', number(record.consecutive),
    'windowStart', number(record.windowStart), 'calls', number(record.calls), 'failures', number(record.failures),
    'openUntil', number(record.openUntil), 'probes', number(record.probes), 'probesUntil', number(record.probesUntil))
  expire(KEYS[1], ARGV[9])
end

local fields = redis.call('HMGET', KEYS[1], 'state', 'consecutive', 'windowStart', 'calls', 'failures', 'openUntil', 'probes', 'probesUntil')
local record
local created = false
if not fields[1] then
  if outcome == 'neutral' then return {} end
  -- Like the memory store: the first counted outcome creates the record, even one that changes nothing.
  record = closed()
  created = true
else
  record = { state = fields[1], consecutive = tonumber(fields[2]), windowStart = tonumber(fields[3]), calls = tonumber(fields[4]),
    failures = tonumber(fields[5]), openUntil = tonumber(fields[6]), probes = tonumber(fields[7]), probesUntil = tonumber(fields[8]) }
end

if probe then
  if record.state ~= 'half_open' then
    if created then save(record) end
    return {}
  end
  record.probes = math.max(0, record.probes - 1)
  local change = {}
  if outcome == 'success' then
    record = closed()
    change = {'half_open', 'closed'}
  elseif outcome == 'failure' then
    record = opened()
    change = {'half_open', 'open'}
  end
  save(record)
  return change
end

-- An attempt admitted before the breaker opened tells nothing new about a breaker now open.
if record.state ~= 'closed' or outcome == 'neutral' then
  if created then save(record) end
  return {}
end
if now - record.windowStart >= windowMs then
  record.windowStart = now
  record.calls = 0
  record.failures = 0
end
record.calls = record.calls + 1
if outcome == 'failure' then
  record.failures = record.failures + 1
  record.consecutive = record.consecutive + 1
else
  record.consecutive = 0
end
local tooMany = failureThreshold > 0 and record.consecutive >= failureThreshold
local tooOften = failureRate > 0 and record.calls >= minimumCalls and record.failures >= failureRate * record.calls
if not tooMany and not tooOften then
  save(record)
  return {}
end
save(opened())
return {'closed', 'open'}
`;

function script(name: string, body: string): RedisScript {
  const lua = `-- reg state-redis: ${name}\n${PRELUDE}${body}`;
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex') };
}

export interface RedisScripts {
  increment: RedisScript;
  take: RedisScript;
  give: RedisScript;
  coolDown: RedisScript;
  admit: RedisScript;
  record: RedisScript;
}

let scripts: RedisScripts | undefined;

/** The scripts, hashed on first use (nothing runs at import). */
export function redisScripts(): RedisScripts {
  scripts ??= {
    increment: script('increment', INCREMENT),
    take: script('take', TAKE),
    give: script('give', GIVE),
    coolDown: script('coolDown', COOL_DOWN),
    admit: script('admit', ADMIT),
    record: script('record', RECORD),
  };
  return scripts;
}
