cat <<"E"
$HOME `x`
E