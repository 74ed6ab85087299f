cat <<E1 <<E2
first
E1
second
E2