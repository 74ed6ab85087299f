(
echo sub
)