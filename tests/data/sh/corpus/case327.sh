cat <<EOF; echo after
body
EOF