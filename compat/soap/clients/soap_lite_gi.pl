#!/usr/bin/perl
# SOAP::Lite against the GenericInterface SOAP endpoint, the way Znuny's documentation and its own
# requester call a GenericTicketConnectorSOAP: SessionCreate, TicketCreate, TicketGet, TicketSearch.
# Usage: perl soap_lite_gi.pl <endpoint-url> <root-password>; prints one JSON object.
use strict;
use warnings;
use JSON::PP;
use SOAP::Lite;

my ( $URL, $Password ) = @ARGV;
my $NameSpace = 'http://www.otrs.org/TicketConnector/';
# Auto-typing stays on: with autotype(0) SOAP::Lite 1.27 writes "&" and "<" unescaped.
my $SOAP = SOAP::Lite->new( proxy => $URL )->default_ns($NameSpace);
$SOAP->on_action( sub { '"' . $NameSpace . '#' . $_[1] . '"' } );

sub Call {
    my ( $Operation, @Data ) = @_;
    my $Answer = $SOAP->call( SOAP::Data->name($Operation), @Data );
    die "Fault: " . $Answer->faultstring if $Answer->fault;
    return $Answer->body->{ $Operation . 'Response' };
}

my $Session = Call( 'SessionCreate',
    SOAP::Data->name( UserLogin => 'root@localhost' ), SOAP::Data->name( Password => $Password ) );
my $SessionID = SOAP::Data->name( SessionID => $Session->{SessionID} );
my $Created = Call(
    'TicketCreate', $SessionID,
    SOAP::Data->name(
        Ticket => \SOAP::Data->value(
            SOAP::Data->name( Title => 'from SOAP::Lite GI' ), SOAP::Data->name( Queue => 'Misc' ),
            SOAP::Data->name( State => 'new' ), SOAP::Data->name( Priority => '3 normal' ),
            SOAP::Data->name( CustomerUser => 'cora' ),
        )
    ),
    SOAP::Data->name(
        Article => \SOAP::Data->value(
            SOAP::Data->name( Subject => 'Perl' ), SOAP::Data->name( Body => 'Body & soul' ),
            SOAP::Data->name( ContentType => 'text/plain; charset=utf8' ),
        )
    ),
);
my $Got = Call( 'TicketGet', $SessionID, SOAP::Data->name( TicketID => $Created->{TicketID} ),
    SOAP::Data->name( AllArticles => 1 ) );
my $Found = Call( 'TicketSearch', $SessionID, SOAP::Data->name( Title => 'from SOAP::Lite GI' ) );
my $Wrong = Call( 'SessionCreate',
    SOAP::Data->name( UserLogin => 'root@localhost' ), SOAP::Data->name( Password => 'wrong' ) );

print JSON::PP->new->canonical->encode(
    {
        TicketID  => $Created->{TicketID},
        Title     => $Got->{Ticket}->{Title},
        Body      => $Got->{Ticket}->{Article}->{Body},
        Found     => $Found->{TicketID},
        WrongCode => $Wrong->{Error}->{ErrorCode},
    }
), "\n";
