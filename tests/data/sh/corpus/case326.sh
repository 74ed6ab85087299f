cat << 'EOF' | cat
raw $x
EOF