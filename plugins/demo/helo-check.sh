#!/bin/sh
# Demo [helo] plugin: refuse a bare IP or a name without a dot.
case "$SMTPHELOHOST" in
*.*[a-zA-Z]*) echo N ;;
*) echo "E550 bad HELO $SMTPHELOHOST (#5.7.1)" ;;
esac
