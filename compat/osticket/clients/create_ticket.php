<?php
// osTicket's classic API sample client (the one integrations copy): JSON over curl with X-API-Key.
// Usage: php create_ticket.php <url of api/tickets.json> <api key> [<e-mail>]
// Prints one JSON line: {"code": <http status>, "body": "<answer body>"}.
$config = array(
    'url' => $argv[1],
    'key' => $argv[2],
);
$data = array(
    'name'        => 'John Doe',
    'email'       => isset($argv[3]) ? $argv[3] : 'mailbox@example.com',
    'subject'     => 'Test API message',
    'message'     => 'data:text/html,This is a test of the <b>osTicket API</b>',
    'ip'          => isset($_SERVER['REMOTE_ADDR']) ? $_SERVER['REMOTE_ADDR'] : '127.0.0.1',
    'attachments' => array(),
);
$data['attachments'][] = array('file.txt' => 'data:text/plain;base64,' . base64_encode("attached by the PHP sample\n"));

function_exists('curl_version') or die('CURL support required');
function_exists('json_encode') or die('JSON support required');
set_time_limit(30);

$ch = curl_init();
curl_setopt($ch, CURLOPT_URL, $config['url']);
curl_setopt($ch, CURLOPT_POST, 1);
curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($data));
curl_setopt($ch, CURLOPT_USERAGENT, 'osTicket API Client v1.7');
curl_setopt($ch, CURLOPT_HEADER, FALSE);
curl_setopt($ch, CURLOPT_HTTPHEADER, array('Expect:', 'X-API-Key: ' . $config['key']));
curl_setopt($ch, CURLOPT_FOLLOWLOCATION, FALSE);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, TRUE);
$result = curl_exec($ch);
$code = curl_getinfo($ch, CURLINFO_HTTP_CODE);
if ($result === false) {
    $result = 'curl error: ' . curl_error($ch);
}
curl_close($ch);

// The sample goes on with: if ($code != 201) die('Unable to create ticket: '.$result);
//                          $ticket_id = (int) $result;
echo json_encode(array('code' => $code, 'body' => $result)), "\n";
