echo "a
b"