#!/bin/sh
# Demo of a plugin whose backend hangs: it never answers.
echo "N"
exec sleep 600
