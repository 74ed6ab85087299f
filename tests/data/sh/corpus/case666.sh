cat <<EOF
${x:-"q"}
EOF