exec 3<&0; read line <&3 <<EOF
via3
EOF