x=$(cat <<EOF
a $((2+3))
EOF
)