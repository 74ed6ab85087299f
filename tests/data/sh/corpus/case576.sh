echo a |
cat