-- wrk target: django-helpdesk's REST API (Django REST Framework, token auth), as set up by
-- ../shared/peers/django-helpdesk/setup.sh. Environment: OP (create | get | list | followup),
-- TOKEN, QUEUES (comma-separated queue ids), TICKET_MAX (ids 1..TICKET_MAX exist); see measure.lua.
local measure = require("measure")

local headers = {
  ["Authorization"] = "Token " .. (os.getenv("TOKEN") or ""),
  ["Accept"] = "application/json",
  ["Content-Type"] = "application/json",
}
local ticket_max = tonumber(os.getenv("TICKET_MAX") or "1")
local queues = {}
for id in string.gmatch(os.getenv("QUEUES") or "1", "%d+") do queues[#queues + 1] = id end
local sentence = measure.sentence

local ops = {}

ops.create = {
  request = function()
    local body = '{"queue":' .. queues[math.random(#queues)] .. ',"title":"' .. sentence(5) .. '",' ..
      '"description":"' .. sentence(40) .. '","submitter_email":"customer' .. math.random(2000) .. '@example.com","priority":3}'
    return wrk.format("POST", "/api/tickets/", headers, body)
  end,
  response = function(status, _, body) return true, status == 201 and string.find(body, '"id"', 1, true) ~= nil end,
}

ops.get = {
  request = function() return wrk.format("GET", "/api/tickets/" .. measure.pick(1, ticket_max) .. "/", headers) end,
  response = function(status) return true, status == 200 end,
}

-- The API's only listing: the first page (25 tickets, follow-ups nested), ordered by id.
ops.list = {
  request = function() return wrk.format("GET", "/api/tickets/", headers) end,
  response = function(status) return true, status == 200 end,
}

ops.followup = {
  request = function()
    local body = '{"ticket":' .. measure.pick(1, ticket_max) .. ',"comment":"' .. sentence(30) .. '","public":true}'
    return wrk.format("POST", "/api/followups/", headers, body)
  end,
  response = function(status) return true, status == 201 end,
}

local op = ops[os.getenv("OP") or ""]
if not op then error("OP must be one of: create, get, list, followup") end
measure.run(op)
