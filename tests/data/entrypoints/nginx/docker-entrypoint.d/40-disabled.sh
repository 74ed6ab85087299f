#!/bin/sh
echo "this one is not executable and must not run"
exit 1
