cat <<'A B'
x
A B