true &&
echo and