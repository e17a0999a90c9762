-- wrk script: TicketGet with login and password in every request (how curl scripts call Znuny).
-- Needs PASSWORD (root@localhost's) and TICKET_ID.
local password = os.getenv("PASSWORD")
local ticket = os.getenv("TICKET_ID") or "1"
wrk.method = "GET"
wrk.headers["X-OTRS-Header-UserLogin"] = "root@localhost"
wrk.headers["X-OTRS-Header-Password"] = password
wrk.path = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Ticket/" .. ticket .. "?AllArticles=1"
