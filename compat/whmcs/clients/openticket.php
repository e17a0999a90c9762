<?php
// The "Example Request (CURL)" of WHMCS's OpenTicket API reference
// (WHMCS/developer-docs api-reference/openticket.md), unchanged except that the URL and the
// credentials come from the command line, and that the answer is printed at the end.
// Usage: php openticket.php <url of includes/api.php> <identifier or admin username> <secret or md5 hex>
// Prints one JSON line: {"code": <http status>, "body": "<answer body>"}.
$url = $argv[1];
$username = $argv[2];
$password = $argv[3];

$ch = curl_init();
curl_setopt($ch, CURLOPT_URL, $url);
curl_setopt($ch, CURLOPT_POST, 1);
curl_setopt($ch, CURLOPT_POSTFIELDS,
    http_build_query(
        array(
            'action' => 'OpenTicket',
            // See https://developers.whmcs.com/api/authentication
            'username' => $username,
            'password' => $password,
            'deptid' => '1',
            'subject' => 'This is a sample ticket',
            'message' => 'This is a **sample** ticket message',
            'clientid' => '1',
            'priority' => 'Medium',
            'markdown' => true,
            'attachments' => base64_encode(json_encode([['name' => 'sample_text_file.txt', 'data' => base64_encode('This is a sample text file contents')]])),
            'preventClientClosure' => true,
            'responsetype' => 'json',
        )
    )
);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
$response = curl_exec($ch);
$code = curl_getinfo($ch, CURLINFO_HTTP_CODE);
curl_close($ch);

if ($response === false) {
    $response = 'curl error';
}
echo json_encode(array('code' => $code, 'body' => $response)), "\n";
