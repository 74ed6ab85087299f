x=$(cat <<EOF
one
EOF
); echo "$x"