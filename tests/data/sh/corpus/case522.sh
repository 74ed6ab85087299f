cat <<EOF > conf
server {
    listen ${PORT:-80};
    root "${ROOT:-/var/www}";
}
EOF