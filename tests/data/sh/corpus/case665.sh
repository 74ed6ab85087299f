cat << EOF
spaced
EOF