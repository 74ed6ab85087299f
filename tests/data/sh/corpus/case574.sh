{ echo a
echo b; }