cat <<EOF
\$x \\$x \`date\` $x
EOF