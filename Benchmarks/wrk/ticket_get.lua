-- wrk script: TicketGet with articles through the Znuny REST face. Needs SESSION_ID and TICKET_ID.
local session = os.getenv("SESSION_ID")
local ticket = os.getenv("TICKET_ID") or "1"
wrk.method = "GET"
wrk.path = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Ticket/" .. ticket ..
  "?SessionID=" .. session .. "&AllArticles=1"
