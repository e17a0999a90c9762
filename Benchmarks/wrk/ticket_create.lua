-- wrk script: TicketCreate with one article through the Znuny REST face.
-- Needs SESSION_ID in the environment (a session of an agent allowed to create in Misc).
local session = os.getenv("SESSION_ID")
wrk.method = "POST"
wrk.path = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Ticket"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"SessionID":"' .. session .. '","Ticket":{"Title":"Benchmark ticket","Queue":"Misc","State":"new",' ..
  '"Priority":"3 normal","CustomerUser":"bench@example.com"},"Article":{"Subject":"Benchmark","Body":"A body of ' ..
  'moderate length, as monitoring systems send them.","ContentType":"text/plain; charset=utf8"}}'

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"Error"') then
    io.stderr:write("unexpected answer: " .. status .. " " .. body .. "\n")
  end
end
