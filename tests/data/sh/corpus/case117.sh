cat <<EOF
a \$x \\ \` "q"
EOF