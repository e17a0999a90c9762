<?php
// PHP's SoapClient in WSDL mode against SwiftDesk: create a ticket and fetch it.
// Usage: php soapclient.php <wsdl-url> <root-password>; prints one JSON object.
ini_set('soap.wsdl_cache_enabled', '0');
[$script, $wsdl, $password] = $argv;
$client = new SoapClient($wsdl, ['trace' => 1, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE]);
$session = $client->SessionCreate(['UserLogin' => 'root@localhost', 'Password' => $password]);
$created = $client->TicketCreate([
    'SessionID' => $session->SessionID,
    'Ticket' => ['Title' => 'from PHP', 'Queue' => 'Misc', 'State' => 'new', 'Priority' => '3 normal', 'CustomerUser' => 'cora'],
    'Article' => [['Subject' => 'PHP SoapClient', 'Body' => "Grüße from PHP", 'ContentType' => 'text/plain; charset=utf8']],
]);
$got = $client->TicketGet(['SessionID' => $session->SessionID, 'TicketID' => [$created->TicketID], 'AllArticles' => '1']);
$none = $client->TicketSearch(['SessionID' => $session->SessionID, 'Title' => ['no ticket is called this']]);
$wrong = $client->SessionCreate(['UserLogin' => 'root@localhost', 'Password' => 'wrong']);
echo json_encode([
    'created' => $created,
    'ticket' => $got->Ticket,
    'none' => $none,
    'wrong' => $wrong,
    'requestHeaders' => $client->__getLastRequestHeaders(),
]), "\n";
