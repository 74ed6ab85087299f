x=$(echo "a
b"); echo "$x" | wc -l