echo "$(
echo in)"