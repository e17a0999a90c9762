-- wrk target: SwiftDesk through its Znuny GenericInterface REST face (GenericTicketConnectorREST).
-- Environment: OP (create | create-refused | create-bench | get | get-login | list | followup | update | search | health), SESSION_ID,
-- TICKET_MAX (ids 1..TICKET_MAX exist), for get-login USER_LOGIN and PASSWORD, for search optionally
-- SEARCH_SHAPE and SEARCH_URL; see measure.lua.
local measure = require("measure")

local base = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
local session = os.getenv("SESSION_ID") or ""
local ticket_max = tonumber(os.getenv("TICKET_MAX") or "1")
local json = { ["Content-Type"] = "application/json" }
local sentence = measure.sentence

local function answered(status, body, needle)
  return status == 200 and string.find(body, needle, 1, true) ~= nil and string.find(body, '"Error"', 1, true) == nil
end

local ops = {}

ops.health = {
  request = function() return wrk.format("GET", "/health") end,
  response = function(status) return true, status == 200 end,
}

-- A Znuny TicketCreate with one article into QUEUE.
local function create_request(queue)
  local body = '{"SessionID":"' .. session .. '","Ticket":{"Title":"' .. sentence(5) .. '","Queue":"' .. queue .. '",' ..
    '"State":"new","Priority":"3 normal","CustomerUser":"customer' .. math.random(2000) .. '@bench.test"},' ..
    '"Article":{"CommunicationChannel":"Email","SenderType":"customer","Subject":"' .. sentence(4) .. '",' ..
    '"Body":"' .. sentence(40) .. '","ContentType":"text/plain; charset=utf8"}}'
  return wrk.format("POST", base .. "/Ticket", json, body)
end

ops.create = {
  request = function() return create_request("Raw") end,
  response = function(status, _, body) return true, answered(status, body, '"TicketID"') end,
}

-- The same request naming a queue that does not exist: parsed, authenticated and checked like a
-- create, refused by the core before the write. Its rate against `create` shows what the write costs.
ops["create-refused"] = {
  request = function() return create_request("No such queue") end,
  response = function(status, _, body)
    return true, status == 200 and string.find(body, "TicketCreate.InvalidParameter", 1, true) ~= nil
  end,
}

ops.get = {
  request = function()
    return wrk.format("GET", base .. "/Ticket/" .. measure.pick(1, ticket_max) .. "?SessionID=" .. session .. "&AllArticles=1")
  end,
  response = function(status, _, body) return true, answered(status, body, '"TicketNumber"') end,
}

local login = "UserLogin=" .. (os.getenv("USER_LOGIN") or "") .. "&Password=" .. (os.getenv("PASSWORD") or "")
ops["get-login"] = {
  request = function()
    return wrk.format("GET", base .. "/Ticket/" .. measure.pick(1, ticket_max) .. "?" .. login .. "&AllArticles=1")
  end,
  response = ops.get.response,
}

-- The newest 25 tickets with their articles: TicketSearch for the ids, then one TicketGet for all 25,
-- as a Znuny integration does it (TicketSearch answers ids only).
local pending_ids = nil
ops.list = {
  request = function()
    if pending_ids then
      return wrk.format("GET", base .. "/TicketList?SessionID=" .. session .. "&AllArticles=1&TicketID=" .. pending_ids)
    end
    return wrk.format("GET", base .. "/Ticket?SessionID=" .. session .. "&SortBy=Age&OrderBy=Down&Limit=25")
  end,
  response = function(status, _, body)
    if pending_ids then
      pending_ids = nil
      return true, answered(status, body, '"TicketNumber"')
    end
    if not answered(status, body, '"TicketID"') then return true, false end
    local ids = {}
    for id in string.gmatch(body, '"(%d+)"') do ids[#ids + 1] = id end
    if #ids == 0 then return true, false end
    pending_ids = table.concat(ids, ",")
    return false
  end,
}

ops.followup = {
  request = function()
    local body = '{"SessionID":"' .. session .. '","Article":{"CommunicationChannel":"Internal","SenderType":"agent",' ..
      '"IsVisibleForCustomer":1,"Subject":"Follow-up","Body":"' .. sentence(30) .. '","ContentType":"text/plain; charset=utf8"}}'
    return wrk.format("PATCH", base .. "/Ticket/" .. measure.pick(1, ticket_max), json, body)
  end,
  response = function(status, _, body) return true, answered(status, body, '"ArticleID"') end,
}

local priorities = { "1 very low", "2 low", "3 normal", "4 high", "5 very high" }

-- TicketUpdate without an article: a new priority for a random ticket.
ops.update = {
  request = function()
    local body = '{"SessionID":"' .. session .. '","Ticket":{"Priority":"' .. priorities[math.random(#priorities)] .. '"}}'
    return wrk.format("PATCH", base .. "/Ticket/" .. measure.pick(1, ticket_max), json, body)
  end,
  response = function(status, _, body) return true, answered(status, body, '"TicketID"') end,
}

-- The search mix of `swiftdesk bench search` over HTTP, against data from `swiftdesk bench load`
-- (queues "Bench 1".."Bench 12", owners bench-agent-1..20, customers CUST-0..1999, BenchSeverity).
local common = { "printer", "error", "please", "help", "server", "login", "update", "issue", "email", "network" }
local ordinary = { "invoice", "billing", "password", "reset", "account", "access", "laptop", "monitor", "backup", "license" }
local rare = { "zephyrine", "quillwort", "obsidianite", "marzipanic", "flumadiddle", "gobbledygook", "snollygoster", "xylograph" }
local severities = { "low", "medium", "high", "critical" }
local function pick(list) return list[math.random(#list)] end
-- Znuny's GenericInterface reads StateType as a list of state type names (the scalar "Open" of
-- the core's Perl API is not passed through), so "open tickets" lists the viewable types.
local open_types = '"StateType":["new","open","pending reminder","pending auto"]'
local shapes = {
  -- the order of `swiftdesk bench search`; SEARCH_SHAPE=<n> runs shape n alone
  function() return '"Queues":["Bench ' .. math.random(12) .. '"],' .. open_types .. ',"SortBy":"Age","OrderBy":"Down","Limit":50' end,
  function() return '"Queues":["Bench ' .. math.random(12) .. '"],"States":["open"],"TicketCreateTimeNewerMinutes":10080,"Limit":50' end,
  function() return '"OwnerIDs":[' .. (2 + math.random(20)) .. '],' .. open_types .. ',"Limit":50' end,
  function() return '"CustomerIDRaw":"CUST-' .. (math.random(2000) - 1) .. '","Limit":50' end,
  function() return '"Title":"%' .. pick(ordinary) .. '%","Limit":50' end,
  function() return '"TicketID":["' .. measure.pick(1, ticket_max) .. '"],"Limit":1' end,
  function() return '"DynamicField_BenchSeverity":{"Equals":"' .. pick(severities) .. '"},"Limit":50' end,
  function() return '"MIMEBase_Body":"' .. pick(rare) .. '","Limit":50' end,
  function() return '"MIMEBase_Body":"' .. common[math.random(5)] .. ' ' .. common[5 + math.random(5)] .. '","Limit":50' end,
  function() return '"Queues":["Bench ' .. math.random(12) .. '"],' .. open_types .. ',"SortBy":"DynamicField_BenchSeverity","OrderBy":"Up","Limit":50' end,
  function() return '"Fulltext":"' .. (math.random(2) == 1 and pick(rare) or pick(common)) .. '","Limit":50' end,
}
-- TicketSearch's sample route is GET /Ticket, and Znuny reads no body on GET, so the nested
-- parameters (dynamic field operators) need a POST route, as integrators add one:
-- `swiftdesk webservice route add --webservice GenericTicketConnectorREST --method POST --route /TicketSearch --operation TicketSearch`.
local search_url = os.getenv("SEARCH_URL") or (base .. "/TicketSearch")
local only_shape = tonumber(os.getenv("SEARCH_SHAPE") or "")
ops.search = {
  request = function()
    local body = '{"SessionID":"' .. session .. '",' .. shapes[only_shape or math.random(#shapes)]() .. '}'
    return wrk.format("POST", search_url, json, body)
  end,
  response = function(status, _, body) return true, status == 200 and string.find(body, '"Error"', 1, true) == nil end,
}

-- TicketCreate of a ticket like those `swiftdesk bench load` writes (its word lists and mix: a
-- "Bench N" queue, a 3–6-word title and a 20–79-word body, 30 % of words common, a BenchSeverity
-- value), so that a long run adds tickets the search mix finds as it finds the loaded ones.
local load_ordinary = {
  "invoice", "billing", "password", "reset", "account", "access", "laptop", "monitor", "keyboard", "backup", "restore",
  "license", "renewal", "outage", "latency", "database", "firewall", "vpn", "certificate", "expired", "install", "driver",
  "crash", "freeze", "slow", "timeout", "refund", "order", "shipping", "delivery", "contract", "upgrade", "downgrade",
  "mailbox", "quota", "calendar", "meeting", "phone", "headset", "camera", "badge", "door", "parking", "office", "chair",
  "desk", "light", "heating", "cooling", "report", "dashboard", "export", "import", "spreadsheet", "macro", "plugin",
}
local function load_words(n)
  local out = {}
  for i = 1, n do out[i] = math.random(100) <= 30 and pick(common) or pick(load_ordinary) end
  return table.concat(out, " ")
end
ops["create-bench"] = {
  request = function()
    local customer = math.random(2000) - 1
    local body = '{"SessionID":"' .. session .. '","Ticket":{"Title":"' .. load_words(3 + math.random(0, 3)) .. '",' ..
      '"Queue":"Bench ' .. math.random(12) .. '","State":"new","Priority":"3 normal",' ..
      '"CustomerUser":"customer' .. customer .. '@bench.test","CustomerID":"CUST-' .. customer .. '"},' ..
      '"Article":{"CommunicationChannel":"Email","SenderType":"customer","Subject":"' .. load_words(4) .. '",' ..
      '"Body":"' .. load_words(20 + math.random(0, 59)) .. '","ContentType":"text/plain; charset=utf8"},' ..
      '"DynamicField":{"Name":"BenchSeverity","Value":"' .. pick(severities) .. '"}}'
    return wrk.format("POST", base .. "/Ticket", json, body)
  end,
  response = function(status, _, body) return true, answered(status, body, '"TicketID"') end,
}

local op = ops[os.getenv("OP") or ""]
if not op then error("OP must be one of: health, create, create-refused, create-bench, get, get-login, list, followup, update, search") end
measure.run(op)
