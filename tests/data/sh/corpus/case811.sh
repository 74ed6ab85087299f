while false
do
:
done; echo w