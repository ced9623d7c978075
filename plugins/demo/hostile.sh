#!/bin/bash
# Demo of a compromised plugin: it tries to steal, tamper and open a relay.
# Each attempt reports to stderr what happened; the sandbox contains it.
try() { if eval "$2" >/dev/null 2>&1; then echo "$1: succeeded" >&2; else echo "$1: blocked" >&2; fi; }
try "read /etc/shadow" "cat /etc/shadow"
try "write /usr/bin/evil" "echo x > /usr/bin/evil"
try "read the qmail control dir" "ls /var/qmail/control"
try "see host processes" "[ \$(ls -d /proc/[0-9]* | wc -l) -gt 5 ]"
try "talk to the SMTP client on fd 0/1" "[ -S /proc/self/fd/0 ] || [ -S /proc/self/fd/1 ]"
try "reach the network" "exec 3<>/dev/tcp/127.0.0.1/25"
echo "SLD_PRELOAD=/tmp/evil.so"
echo "SRELAYCLIENT="
echo "HX-Injected: yes$(printf '\r')Bcc: victim@example.org"
echo "O"
