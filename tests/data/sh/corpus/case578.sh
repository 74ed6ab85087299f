false ||
echo or