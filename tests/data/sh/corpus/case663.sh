cat <<\EOF
$x
EOF