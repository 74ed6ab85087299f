v=$(cat <<'EOF'
$raw `bq`
EOF
); echo "$v"