x=$(cat <<EOF
inside
EOF