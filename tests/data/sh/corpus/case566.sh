echo \"\'\\
echo a'b'"c"\d