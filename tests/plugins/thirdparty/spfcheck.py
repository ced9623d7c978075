#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A [mail] plugin like the third-party SPF checks written with dnspython:
# refuses a sender whose domain publishes "v=spf1 -all". Every DNS error is
# swallowed and passes (the fail-open the side-by-side check must catch).
# SPFCHECK_DNS=ADDR:PORT names its resolver.
import os
import dns.resolver

sender = os.environ.get("SMTPMAILFROM", "")
if "@" in sender:
    domain = sender.rsplit("@", 1)[1]
    addr, port = os.environ.get("SPFCHECK_DNS", "127.0.0.1:53").split(":")
    r = dns.resolver.Resolver(configure=False)
    r.nameservers = [addr]
    r.port = int(port)
    r.lifetime = 2
    try:
        for txt in r.resolve(domain, "TXT"):
            if b"".join(txt.strings).decode() == "v=spf1 -all":
                print("E550 SPF says %s sends no mail (#5.7.1)" % domain)
    except Exception:
        pass
