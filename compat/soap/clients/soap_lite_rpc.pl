#!/usr/bin/perl
# SOAP::Lite against SwiftDesk's rpc.pl, shaped like the OTRS 3 rpc examples (seed 000):
# TicketCreate with its ArticleCreate, another ArticleCreate, TicketGet, TicketSearch, HistoryGet.
# Usage: perl soap_lite_rpc.pl <url> <user> <password>; prints one JSON object.
use strict;
use warnings;
use JSON::PP;
use SOAP::Lite;

my ( $URL, $User, $Password ) = @ARGV;
my $RPC = SOAP::Lite->new( proxy => $URL, uri => 'http://localhost/Core' );

my @Calls = (
    {
        Method    => 'TicketCreate',
        Parameter => {
            Title    => 'from SOAP::Lite', Queue => 'Raw', Lock => 'unlock', Priority => '3 normal', State => 'new',
            CustomerUser => 'cora', OwnerID => 1, UserID => 1,
        },
    },
    {
        Method    => 'ArticleCreate',
        Parameter => {
            ArticleType => 'webrequest', SenderType => 'customer', From => 'Cora <cora@example.org>',
            Subject => 'Perl says hi', Body => 'Body from SOAP::Lite', ContentType => 'text/plain; charset=utf-8',
            HistoryType => 'WebRequestCustomer', HistoryComment => 'created via rpc.pl', UserID => 1,
        },
    },
);
my $Created = $RPC->DispatchMultipleTicketMethods( $User, $Password, 'TicketObject', \@Calls );
die 'Fault: ' . $Created->faultstring if $Created->fault;
my $TicketID = $Created->result;

my $ArticleID = $RPC->Dispatch(
    $User, $Password, 'TicketObject', 'ArticleCreate',
    TicketID => $TicketID, ArticleType => 'note-internal', SenderType => 'agent', Subject => 'Internal note',
    Body => 'Only agents see this', ContentType => 'text/plain; charset=utf-8', HistoryType => 'AddNote',
    HistoryComment => 'note via rpc.pl', UserID => 1, NoAgentNotify => 1,
)->result;
my %Ticket  = $RPC->Dispatch( $User, $Password, 'TicketObject', 'TicketGet', TicketID => $TicketID, UserID => 1 )->paramsall;
my @Found   = $RPC->Dispatch( $User, $Password, 'TicketObject', 'TicketSearch',
    Title => 'from SOAP::Lite', Result => 'ARRAY', UserID => 1 )->paramsall;
my @History = $RPC->Dispatch( $User, $Password, 'TicketObject', 'HistoryGet', TicketID => $TicketID, UserID => 1 )->paramsall;
my $Refused = $RPC->Dispatch( $User, $Password, 'ConfigObject', 'Set', Key => 'SOAP::User', Value => 'x' );
my $Wrong   = $RPC->Dispatch( $User, 'not the password', 'TicketObject', 'TicketGet', TicketID => $TicketID, UserID => 1 );

print JSON::PP->new->canonical->encode(
    {
        TicketID     => $TicketID,
        ArticleID    => $ArticleID,
        Ticket       => { map { $_ => $Ticket{$_} } qw(Title Queue State Lock TicketNumber) },
        Found        => \@Found,
        HistoryTypes => [ map { $_->{HistoryType} } @History ],
        RefusedFault => scalar $Refused->faultstring,
        WrongResult  => scalar $Wrong->result,
    }
), "\n";
