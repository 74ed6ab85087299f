if cat <<EOF
in if
EOF
then echo yes; fi