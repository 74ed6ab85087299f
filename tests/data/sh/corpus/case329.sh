while read l; do echo "<$l>"; done <<EOF
one
two
EOF