#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# A [mail] plugin like the third-party ones written with Net::DNS: refuses a
# sender domain without MX. Like many, it treats a DNS failure as a pass
# (the fail-open the side-by-side check must catch in a sandbox without
# network). MXCHECK_DNS=ADDR:PORT names its resolver.
use strict;
use warnings;
use Net::DNS;

my $from = $ENV{SMTPMAILFROM} // '';
my ($domain) = $from =~ /\@([^@]+)$/ or exit 0;
my ($addr, $port) = split /:/, ($ENV{MXCHECK_DNS} // '127.0.0.1:53');
my $res = Net::DNS::Resolver->new(nameservers => [$addr], port => $port,
    udp_timeout => 1, tcp_timeout => 1, retry => 1, retrans => 1,
    recurse => 0);
my $reply = $res->send($domain, 'MX');
exit 0 unless $reply && $reply->header->rcode eq 'NOERROR';
exit 0 if grep { $_->type eq 'MX' } $reply->answer;
print "E553 sorry, $domain has no MX (#5.1.8)\n";
