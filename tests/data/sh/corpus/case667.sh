cat <<EOF
"$x" '$x'
EOF